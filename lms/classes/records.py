"""The training record (学习档案): entries from every app's provider, totals against the annual requirement."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .credits import Requirement, requirement_for
from .models import ATTENDED, Attendance, Enrolment, Session

RECORD_PROVIDERS = [
    "lms.classes.records.class_entries",
    "lms.quizzes.records.entries",
    "lms.videos.records.entries",
    "lms.trips.records.entries",
    "lms.certificates.records.entries",
]
CONCENTRATED = "concentrated"
ONLINE = "online"


@dataclass(frozen=True)
class RecordEntry:
    kind: str
    title: str
    date: datetime.date
    credit_hours: Decimal
    category: str  # "concentrated" | "online"
    detail: str = ""
    url: str = ""


@dataclass
class TrainingRecord:
    person: object
    year: int
    entries: list[RecordEntry]
    requirement: Requirement
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def concentrated_short(self) -> Decimal:
        return max(self.requirement.concentrated_hours - self.totals[CONCENTRATED], Decimal("0"))

    @property
    def online_short(self) -> Decimal:
        return max(self.requirement.online_hours - self.totals[ONLINE], Decimal("0"))

    @property
    def meets_requirement(self) -> bool:
        return not self.concentrated_short and not self.online_short


def class_entries(*, person, year: int | None) -> list[RecordEntry]:
    """Every class the cadre was enrolled in and every session they attended, with credit hours."""
    enrolments = Enrolment.objects.filter(person=person).exclude(status=Enrolment.Status.WITHDRAWN)
    if year:
        enrolments = enrolments.filter(training_class__year=year)
    entries = [
        RecordEntry(kind="class", title=e.training_class.name, date=e.training_class.starts_on,
                    credit_hours=Decimal("0"), category=CONCENTRATED,
                    detail=f"{e.training_class.get_mode_display()} · {e.get_status_display()}",
                    url=reverse("classes:class_detail", args=[e.training_class_id]))
        for e in enrolments.select_related("training_class")
    ]
    attended = Attendance.objects.filter(person=person, status__in=ATTENDED, session__state=Session.State.HELD)
    if year:
        attended = attended.filter(session__training_class__year=year)
    entries += [
        RecordEntry(kind="session", title=f"{a.session.training_class.name} · {a.session.topic}",
                    date=a.session.date, credit_hours=a.session.credit_hours, category=CONCENTRATED,
                    detail=a.get_status_display())
        for a in attended.select_related("session__training_class")
    ]
    return entries


def _providers():
    for dotted in RECORD_PROVIDERS:
        try:
            yield import_string(dotted)
        except ImportError:
            continue


def record_for(*, person, year: int) -> TrainingRecord:
    """The cadre's record for a year, from every installed provider."""
    entries: list[RecordEntry] = []
    for provider in _providers():
        entries += provider(person=person, year=year)
    entries.sort(key=lambda e: (e.date, e.kind, e.title))
    totals = {CONCENTRATED: Decimal("0"), ONLINE: Decimal("0")}
    for entry in entries:
        totals[entry.category] = totals.get(entry.category, Decimal("0")) + entry.credit_hours
    requirement = requirement_for(post_ids=[p.pk for p in person.posts.all()], year=year)
    return TrainingRecord(person=person, year=year, entries=entries, requirement=requirement, totals=totals)


def category_label(category: str) -> str:
    """The translated name of a record category."""
    return {CONCENTRATED: _("Concentrated training"), ONLINE: _("Online study")}.get(category, category)


def class_hours_by_person(*, person_ids, year: int) -> dict[int, Decimal]:
    """Credit hours from attended class sessions per cadre in a year (one query, for lists)."""
    out: dict[int, Decimal] = {}
    for pid, hours in Attendance.objects.filter(
        person_id__in=person_ids, status__in=ATTENDED, session__state=Session.State.HELD,
        session__training_class__year=year,
    ).values_list("person_id", "session__credit_hours"):
        out[pid] = out.get(pid, Decimal("0")) + hours
    return out
