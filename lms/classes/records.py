"""The training record (学习档案): entries from every app's provider, totals against the annual requirement."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .credits import Requirement, requirements_for_people
from .models import ATTENDED, Attendance, Enrolment, Session

RECORD_PROVIDERS = [
    "lms.classes.records.class_entries",  # a provider may add `<name>_by_person(*, people, year)` for lists
    "lms.quizzes.records.entries",
    "courses.records.entries",  # online study is credited per lesson (read, or its lectures watched)
    "lms.trips.records.entries",
    "lms.certificates.records.entries",
    "lms.classes.declarations.entries",  # approved self-declared study, by type within the yearly caps
]
CONCENTRATED = "concentrated"
ONLINE = "online"
ELECTIVE = "elective"  # shown in the record, not counted against the requirement


@dataclass(frozen=True)
class RecordEntry:
    kind: str
    title: str
    date: datetime.date
    credit_hours: Decimal
    category: str  # "concentrated" | "online" | "elective"
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
    def elective_hours(self) -> Decimal:
        """Elective study, plus the surplus of required study over the requirement carried over as elective."""
        surplus = max(self.totals[CONCENTRATED] - self.requirement.concentrated_hours, Decimal("0")) + max(
            self.totals[ONLINE] - self.requirement.online_hours, Decimal("0"))
        return self.totals.get(ELECTIVE, Decimal("0")) + surplus

    @property
    def meets_requirement(self) -> bool:
        return not self.concentrated_short and not self.online_short


def class_entries(*, person, year: int | None) -> list[RecordEntry]:
    """Every class the cadre was enrolled in and every session they attended, with credit hours."""
    return class_entries_by_person(people=[person], year=year).get(person.pk, [])


def class_entries_by_person(*, people, year: int | None) -> dict[int, list[RecordEntry]]:
    """The class entries of many cadres at once (two queries), keyed by person id."""
    ids = [p.pk for p in people]
    out: dict[int, list[RecordEntry]] = {pid: [] for pid in ids}
    enrolments = Enrolment.objects.filter(person_id__in=ids).exclude(status=Enrolment.Status.WITHDRAWN)
    if year:
        enrolments = enrolments.filter(training_class__year=year)
    for e in enrolments.select_related("training_class"):
        out[e.person_id].append(RecordEntry(
            kind="class", title=e.training_class.name, date=e.training_class.starts_on,
            credit_hours=Decimal("0"), category=CONCENTRATED,
            detail=f"{e.training_class.get_mode_display()} · {e.get_status_display()}",
            url=reverse("classes:class_detail", args=[e.training_class_id])))
    attended = Attendance.objects.filter(person_id__in=ids, status__in=ATTENDED, session__state=Session.State.HELD)
    if year:
        attended = attended.filter(session__training_class__year=year)
    for a in attended.select_related("session__training_class"):
        out[a.person_id].append(RecordEntry(
            kind="session", title=f"{a.session.training_class.name} · {a.session.topic}",
            date=a.session.date, credit_hours=a.session.credit_hours, category=CONCENTRATED,
            detail=a.get_status_display()))
    return out


def _providers():
    """Each provider as (per-person function, bulk function or None); a bulk one is `<name>_by_person`."""
    for dotted in RECORD_PROVIDERS:
        try:
            single = import_string(dotted)
        except ImportError:
            continue
        try:
            bulk = import_string(f"{dotted}_by_person")
        except ImportError:
            bulk = None
        yield single, bulk


def _record(person, year: int, entries: list[RecordEntry], requirement: Requirement) -> TrainingRecord:
    entries.sort(key=lambda e: (e.date, e.kind, e.title))
    totals = {CONCENTRATED: Decimal("0"), ONLINE: Decimal("0"), ELECTIVE: Decimal("0")}
    for entry in entries:
        totals[entry.category] = totals.get(entry.category, Decimal("0")) + entry.credit_hours
    return TrainingRecord(person=person, year=year, entries=entries, requirement=requirement, totals=totals)


def record_for(*, person, year: int) -> TrainingRecord:
    """The cadre's record for a year, from every installed provider."""
    return records_for_people(people=[person], year=year)[0]


def records_for_people(*, people, year: int) -> list[TrainingRecord]:
    """The records of many cadres for a year; providers with a bulk function cost the same for any number."""
    people = list(people)
    entries: dict[int, list[RecordEntry]] = {p.pk: [] for p in people}
    for single, bulk in _providers():
        if bulk is not None:
            for pid, found in bulk(people=people, year=year).items():
                entries[pid] += found
        else:
            for person in people:
                entries[person.pk] += single(person=person, year=year)
    requirements = requirements_for_people(people=people, year=year)
    return [_record(p, year, entries[p.pk], requirements[p.pk]) for p in people]


def category_label(category: str) -> str:
    """The translated name of a record category."""
    return {CONCENTRATED: _("Concentrated training"), ONLINE: _("Online study"),
            ELECTIVE: _("Elective study")}.get(category, category)
