"""Township and county roll-up: classes, person-times (人次) and credit hours per township, mode and year."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from .four_implementations import four_implementations_for_classes
from .models import ATTENDED, Attendance, Enrolment, Session, TrainingMode

MODE_ORDER = {mode: i for i, mode in enumerate(TrainingMode.values)}


@dataclass
class RollupRow:
    organiser: str
    mode: str
    year: int
    classes: int = 0
    person_times: int = 0
    credit_hours: Decimal = Decimal("0")
    all_green: int = 0
    not_started: int = 0

    @property
    def mode_label(self) -> str:
        return TrainingMode(self.mode).label


def class_rollup(*, classes, township_id: int | None = None) -> tuple[list[RollupRow], dict]:
    """Rows per organising township (or the county school), mode and year, and the checks of every class."""
    classes = list(classes.select_related("organiser_township"))
    checks = four_implementations_for_classes(classes=classes, township_id=township_id)
    rows: dict[tuple, RollupRow] = {}
    county = _("County Party school")
    for c in classes:
        organiser = c.organiser_township.name if c.organiser_township else county
        key = (c.organiser_township.sort_order if c.organiser_township else -1, organiser, c.year, c.mode)
        row = rows.setdefault(key, RollupRow(organiser=organiser, mode=c.mode, year=c.year))
        fi = checks[c.pk]
        row.classes += 1
        row.person_times += fi.person_times
        row.credit_hours += fi.credit_hours
        row.all_green += fi.ok
        row.not_started += not fi.started
    return [rows[k] for k in sorted(rows)], checks


def rollup_totals(rows: list[RollupRow]) -> dict:
    """The sums of the roll-up's columns."""
    return {
        "classes": sum(r.classes for r in rows),
        "person_times": sum(r.person_times for r in rows),
        "credit_hours": sum((r.credit_hours for r in rows), Decimal("0")),
        "all_green": sum(r.all_green for r in rows),
        "not_started": sum(r.not_started for r in rows),
    }


@dataclass
class ParticipationRow:
    area: str
    mode: str
    classes: int = 0
    person_times: int = 0
    credit_hours: Decimal = Decimal("0")

    @property
    def mode_label(self) -> str:
        return TrainingMode(self.mode).label


def participation_rollup(*, classes, township_id: int | None = None) -> list[ParticipationRow]:
    """Classes, person-times and hours earned by each township's learners (each village's, for one township)."""
    # Two grouped queries, whatever the number of classes or learners.
    if township_id is None:
        area = ("person__village__township__sort_order", "person__village__township__name")
        people = {}
    else:
        area = ("person__village__name", "person__village__name")
        people = {"person__village__township_id": township_id}
    mode = "training_class__mode"
    enrolled = (Enrolment.objects.filter(training_class__in=classes, status=Enrolment.Status.ENROLLED, **people)
                .values(*area, mode).annotate(classes=Count("training_class", distinct=True), person_times=Count("pk"))
                .order_by())
    hours = (Attendance.objects.filter(session__training_class__in=classes, session__state=Session.State.HELD,
                                       status__in=ATTENDED, **people)
             .values(*area, "session__training_class__mode").annotate(hours=Sum("session__credit_hours"))
             .order_by())
    rows: dict[tuple, ParticipationRow] = {}
    for r in enrolled:
        key = (r[area[0]], r[area[1]], r[mode])
        rows[key] = ParticipationRow(area=r[area[1]], mode=r[mode], classes=r["classes"],
                                     person_times=r["person_times"])
    for r in hours:
        key = (r[area[0]], r[area[1]], r["session__training_class__mode"])
        if key in rows:
            rows[key].credit_hours = r["hours"] or Decimal("0")
    return [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1], MODE_ORDER[k[2]]))]


def participation_totals(rows: list[ParticipationRow]) -> dict:
    """The sums of the participation roll-up's columns (classes are not summed: a class spans areas)."""
    return {
        "person_times": sum(r.person_times for r in rows),
        "credit_hours": sum((r.credit_hours for r in rows), Decimal("0")),
    }
