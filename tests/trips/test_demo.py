"""The demo's year of spending: the seed's three trips with 125 cadres, claims in every state, secretaries near
their limit, and settlements that are the ledger to the fen."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from lms.budget.models import Account, Claim, ClaimEvent, LedgerEntry
from lms.budget.selectors import secretaries_tables
from lms.trips.models import Participant, Share, Trip, TripCost, TripReport, TripReportPhoto

STEPS = ["lms.people.demo", "courses.demo", "lms.accounts.demo", "lms.classes.demo", "lms.trips.demo",
         "lms.budget.demo"]

pytestmark = pytest.mark.django_db


def _fen(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _check_trips() -> None:
    trips = {t.title: t for t in Trip.objects.prefetch_related("destinations", "itinerary")}
    assert set(trips) == {"赴北京考察学习", "赴苏州考察学习", "赴上海考察学习"}
    assert Participant.objects.values("person").distinct().count() == 125
    assert all(t.itinerary.exists() and t.destinations.exists() for t in trips.values())
    assert {t.state for t in trips.values()} == {Trip.State.SETTLED, Trip.State.FINISHED}
    for trip in Trip.objects.filter(state=Trip.State.SETTLED):
        costs = _fen(TripCost.objects.filter(trip=trip).aggregate(t=Sum("amount"))["t"])
        shares = Share.objects.filter(participant__trip=trip)
        assert shares.count() == trip.participants.count()
        assert _fen(sum(s.amount for s in shares)) == costs
        assert all(s.from_allowance + s.from_fund == s.amount for s in shares)
        entries = LedgerEntry.objects.filter(trip=trip, cost_type="trip")
        assert -_fen(sum(e.amount for e in entries)) == costs


def _check_claims() -> None:
    states = set(Claim.objects.filter(origin=Claim.Origin.REIMBURSEMENT).values_list("state", flat=True))
    assert states == set(Claim.State.values)
    for claim in Claim.objects.filter(state=Claim.State.PAID)[:5]:
        steps = list(ClaimEvent.objects.filter(claim=claim).values_list("to_state", "at"))
        assert [s for s, _at in steps] == ["draft", "submitted", "approved", "paid"]
        assert [at for _s, at in steps] == sorted(at for _s, at in steps)  # decisions dated after submission
    learner_states = set(Claim.objects.filter(person__user__username="19923764983", origin="reimbursement")
                         .values_list("state", flat=True))
    assert {"draft", "submitted", "sent_back", "paid"} <= learner_states


def _check_allowances() -> None:
    year = Trip.objects.first().year
    near, idle = secretaries_tables(year=year)
    assert len(near.rows) >= 5 and len(idle.rows) >= 1
    for account in Account.objects.filter(kind=Account.Kind.ALLOWANCE):
        assert _fen(sum(e.amount for e in account.entries.all())) >= 0


def _check_reports() -> None:
    states = set(TripReport.objects.values_list("state", flat=True))
    assert states == set(TripReport.State.values)
    assert TripReportPhoto.objects.filter(report__state=TripReport.State.ACCEPTED).exists()
    returned = TripReport.objects.get(state=TripReport.State.RETURNED)
    assert returned.review_note and returned.photos.exists()
    assert returned.participant.person.user.username == "19923764983"  # the demo learner can revise it


def test_the_demo_year_of_trips_and_spending_and_a_second_run_adds_nothing():
    call_command("demo", "--only", *STEPS, stdout=io.StringIO())
    _check_trips()
    _check_claims()
    _check_allowances()
    _check_reports()
    counts = (LedgerEntry.objects.count(), Claim.objects.count(), TripReport.objects.count())
    call_command("demo", "--only", "lms.trips.demo", "lms.budget.demo", stdout=io.StringIO())
    assert (LedgerEntry.objects.count(), Claim.objects.count(), TripReport.objects.count()) == counts
