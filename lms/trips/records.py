"""Training-record entries (学习档案) for finished field-study trips."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Trip

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


def entries(*, person, year: int | None) -> list[RecordEntry]:
    """One entry per finished (or settled) trip the person took part in, dated its last day."""
    trips = Trip.objects.filter(
        participants__person=person, state__in=[Trip.State.FINISHED, Trip.State.SETTLED]
    ).prefetch_related("destinations").order_by("ends_on", "pk")
    if year is not None:
        trips = trips.filter(ends_on__year=year)
    return [
        RecordEntry(
            kind="trip",
            title=_("Field study: %(title)s") % {"title": trip.title},
            date=trip.ends_on,
            credit_hours=trip.credit_hours,
            category="concentrated",
            detail=trip.destinations_display(),
            url=reverse("trips:detail", args=[trip.pk]),
        )
        for trip in trips
    ]
