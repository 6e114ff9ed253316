"""Builders for trip tests."""

import datetime
from decimal import Decimal

from lms.trips.models import Participant, Trip

YEAR = 2026


def make_trip(*, fund=None, state=Trip.State.FINISHED, title="赴苏州考察学习", people=(), credit_hours="16"):
    trip = Trip.objects.create(
        title=title, starts_on=datetime.date(YEAR, 6, 1), ends_on=datetime.date(YEAR, 6, 4),
        cost_budget=Decimal("100000"), credit_hours=Decimal(credit_hours), fund=fund, state=state,
    )
    for person in people:
        Participant.objects.create(trip=trip, person=person)
    return trip
