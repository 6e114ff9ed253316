"""Township and county roll-up: classes, person-times (人次) and credit hours per township, mode and year."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .four_implementations import four_implementations_for_classes
from .models import TrainingMode


@dataclass
class RollupRow:
    organiser: str
    mode: str
    year: int
    classes: int = 0
    person_times: int = 0
    credit_hours: Decimal = Decimal("0")
    all_green: int = 0

    @property
    def mode_label(self) -> str:
        return TrainingMode(self.mode).label


def class_rollup(*, classes) -> tuple[list[RollupRow], dict]:
    """Rows per organising township (or the county school), mode and year, and the checks of every class."""
    classes = list(classes.select_related("organiser_township"))
    checks = four_implementations_for_classes(classes=classes)
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
    return [rows[k] for k in sorted(rows)], checks


def rollup_totals(rows: list[RollupRow]) -> dict:
    """The sums of the roll-up's columns."""
    return {
        "classes": sum(r.classes for r in rows),
        "person_times": sum(r.person_times for r in rows),
        "credit_hours": sum((r.credit_hours for r in rows), Decimal("0")),
        "all_green": sum(r.all_green for r in rows),
    }
