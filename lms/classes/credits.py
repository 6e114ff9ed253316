"""Credit hours by the rules kept as data: online course bands, passed tests, annual requirements."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from lms.people.models import Person

from .models import CreditRule, RequirementSetting


@dataclass(frozen=True)
class Requirement:
    concentrated_hours: Decimal
    online_hours: Decimal


DEFAULT_REQUIREMENT = Requirement(Decimal("90"), Decimal("50"))


def _rules(kind: str, year: int | None) -> list[CreditRule]:
    rules = list(CreditRule.objects.filter(kind=kind, year=year)) if year else []
    return rules or list(CreditRule.objects.filter(kind=kind, year__isnull=True))


def online_course_credit_hours(*, minutes: int, year: int | None = None) -> Decimal:
    """Credit hours of an online course of this many minutes (default: ≥30 → 1, 15–30 → 0.5, <15 → 0.25)."""
    bands = sorted(_rules(CreditRule.Kind.ONLINE_COURSE, year), key=lambda r: r.min_minutes, reverse=True)
    for band in bands:
        if minutes >= band.min_minutes:
            return band.credit_hours
    return Decimal("0")


LESSON_MINUTES_PER_UNIT = 45  # a class hour (课时) of the Party school: 45 minutes earn 1 credit hour
ONE_PLACE = Decimal("0.1")


def lesson_credit_calculator(*, year: int | None = None) -> Callable[[int], Decimal]:
    """minutes → credit hours of one online lesson studied in the year, with the rule read once (one query)."""
    rules = _rules(CreditRule.Kind.LESSON_STUDIED, year)
    per, hours = (rules[0].min_minutes, rules[0].credit_hours) if rules else (LESSON_MINUTES_PER_UNIT, Decimal("1"))

    def credit(minutes: int) -> Decimal:
        if minutes <= 0 or per <= 0 or hours <= 0:
            return Decimal("0")
        earned = (Decimal(minutes) * hours / Decimal(per)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
        return max(earned, ONE_PLACE)

    return credit


def lesson_credit_hours(*, minutes: int, year: int | None = None) -> Decimal:
    """Credit hours of one online lesson studied, from its estimated minutes (default 45 minutes → 1, to 0.1)."""
    return lesson_credit_calculator(year=year)(minutes)


def quiz_credit_hours(*, year: int | None = None) -> Decimal:
    """Credit hours of a passed test (default 0.5)."""
    rules = _rules(CreditRule.Kind.QUIZ_PASSED, year)
    return rules[0].credit_hours if rules else Decimal("0")


def requirement_for(*, post_ids: list[int], year: int) -> Requirement:
    """The annual requirement of someone holding these posts: the highest among them, year-specific first."""
    settings = list(RequirementSetting.objects.filter(
        Q(post_id__in=post_ids) | Q(post__isnull=True), Q(year=year) | Q(year__isnull=True)
    ))
    return _requirement(settings, post_ids, year)


def requirements_for_people(*, people, year: int) -> dict[int, Requirement]:
    """The annual requirement of each cadre (posts prefetched or not), in two queries, keyed by person id."""
    through = Person.posts.through
    post_ids: dict[int, list[int]] = {p.pk: [] for p in people}
    for pid, post_id in through.objects.filter(person_id__in=list(post_ids)).values_list("person_id", "post_id"):
        post_ids[pid].append(post_id)
    settings = list(RequirementSetting.objects.filter(Q(year=year) | Q(year__isnull=True)))
    return {pid: _requirement(settings, ids, year) for pid, ids in post_ids.items()}


def _requirement(settings: list[RequirementSetting], post_ids: list[int], year: int) -> Requirement:
    def pick(post_id):
        for wanted_year in (year, None):
            for s in settings:
                if s.post_id == post_id and s.year == wanted_year:
                    return s
        return None

    chosen = [s for s in (pick(pid) for pid in post_ids) if s is not None]
    if not chosen:
        fallback = pick(None)
        return Requirement(fallback.concentrated_hours, fallback.online_hours) if fallback else DEFAULT_REQUIREMENT
    return Requirement(max(s.concentrated_hours for s in chosen), max(s.online_hours for s in chosen))
