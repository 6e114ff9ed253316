"""Training-record entries (学习档案) for finished field-study trips."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import RollCall, Trip

try:
    from lms.classes.records import RecordEntry
except ImportError:  # the classes app may not ship its records module yet

    @dataclass(frozen=True)
    class RecordEntry:
        kind: str
        title: str
        date: datetime.date
        credit_hours: Decimal
        category: str
        detail: str = ""
        url: str = ""


def _absent_days(*, person, trip_ids: list[int]) -> dict[int, int]:
    """trip id → days the person was marked absent at roll call."""
    rows = (RollCall.objects.filter(participant__person=person, participant__trip_id__in=trip_ids, present=False)
            .values("participant__trip_id").annotate(n=Count("pk")))
    return {row["participant__trip_id"]: row["n"] for row in rows}


def trip_credit_hours(*, trip: Trip, absent_days: int) -> Decimal:
    """The trip's credit hours for the days present (a day without a roll call counts as present)."""
    days = (trip.ends_on - trip.starts_on).days + 1
    present = max(days - absent_days, 0)
    return (trip.credit_hours * present / days).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def entries(*, person, year: int | None) -> list[RecordEntry]:
    """One entry per finished (or settled) trip the person took part in, dated its last day."""
    trips = Trip.objects.filter(
        participants__person=person, state__in=[Trip.State.FINISHED, Trip.State.SETTLED]
    ).prefetch_related("destinations").order_by("ends_on", "pk")
    if year is not None:
        trips = trips.filter(ends_on__year=year)
    trips = list(trips)
    absent = _absent_days(person=person, trip_ids=[trip.pk for trip in trips])
    result = []
    for trip in trips:
        detail = trip.destinations_display()
        if absent.get(trip.pk):
            days = (trip.ends_on - trip.starts_on).days + 1
            detail += " · " + _("present %(present)s of %(days)s days") % {
                "present": max(days - absent[trip.pk], 0), "days": days}
        result.append(RecordEntry(
            kind="trip",
            title=_("Field study: %(title)s") % {"title": trip.title},
            date=trip.ends_on,
            credit_hours=trip_credit_hours(trip=trip, absent_days=absent.get(trip.pk, 0)),
            category="concentrated",
            detail=detail,
            url=reverse("trips:detail", args=[trip.pk]),
        ))
    return result
