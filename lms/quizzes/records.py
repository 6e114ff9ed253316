"""Training-record entries (学习档案) for passed quizzes: their credit hours count towards the year."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import expiry
from .models import Attempt

try:
    from lms.classes.records import RecordEntry
except ImportError:  # the classes app may not ship its records module

    @dataclass(frozen=True)
    class RecordEntry:
        kind: str
        title: str
        date: datetime.date
        credit_hours: Decimal
        category: str
        detail: str = ""
        url: str = ""


CONCENTRATED = "concentrated"
ONLINE = "online"


def entries(*, person, year: int | None) -> list[RecordEntry]:
    """One entry per quiz the cadre passed, dated the first passing grade; class quizzes count as concentrated."""
    return entries_by_person(people=[person], year=year).get(person.pk, [])


def entries_by_person(*, people, year: int | None) -> dict[int, list[RecordEntry]]:
    """The quiz entries of many cadres at once (a fixed number of queries), keyed by person id."""
    people = list(people)
    person_of_user = {p.user_id: p.pk for p in people if getattr(p, "user_id", None)}
    out: dict[int, list[RecordEntry]] = {p.pk: [] for p in people}
    if not person_of_user:
        return out
    passed = list(Attempt.objects.filter(user_id__in=list(person_of_user), passed=True, graded_at__isnull=False)
                  .select_related("quiz").order_by("graded_at", "pk"))
    # A learner who let the timer run out and never came back still gets the grade the deadline gives,
    # computed here until beat saves it.
    passed += [a for a in expiry.expired_results(user_id__in=list(person_of_user)) if a.passed]
    first: dict[tuple[int, int], Attempt] = {}
    best: dict[tuple[int, int], Decimal] = {}
    for attempt in passed:
        key = (attempt.user_id, attempt.quiz_id)
        first.setdefault(key, attempt)
        best[key] = max(best.get(key, Decimal(0)), attempt.percent or Decimal(0))
    for key, attempt in first.items():
        day = timezone.localdate(attempt.graded_at)
        if year is not None and day.year != year:
            continue
        quiz = attempt.quiz
        out[person_of_user[attempt.user_id]].append(RecordEntry(
            kind="quiz",
            title=_("Quiz: %(title)s") % {"title": quiz.title},
            date=day,
            credit_hours=quiz.credit_hours,
            category=CONCENTRATED if quiz.class_id else ONLINE,
            detail=_("Passed with %(percent)s%%") % {"percent": f"{best[key]:.0f}"},
            url=reverse("quizzes:intro", args=[quiz.pk]),
        ))
    return out
