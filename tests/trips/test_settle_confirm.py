"""Settling a trip shows the totals first and charges nothing until the officer confirms them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lms.budget.ledger import allowance_account_open, entry_post
from lms.budget.models import Account, LedgerEntry
from lms.trips.models import Share, Trip
from lms.trips.services import cost_add
from lms.trips.settlement import settlement_preview, trip_settle
from tests.budget.helpers import fund
from tests.trips.helpers import YEAR, make_trip

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(county, budget_user):
    secretary, director = county["people"]["east"][:2]
    spent = county["people"]["east"][3]
    account = allowance_account_open(person=spent, year=YEAR)
    entry_post(account=account, kind=LedgerEntry.Kind.CHARGE, amount=Decimal("-900"), memo="培训费",
               cost_type="class_fee")
    trip = make_trip(fund=fund(amount="10000.00"), people=[secretary, director, spent])
    cost_add(trip=trip, by=budget_user, item="transport", amount=Decimal("3000.00"))
    cost_add(trip=trip, by=budget_user, item="lodging", amount=Decimal("1000.00"))
    return trip


def test_the_preview_matches_what_settling_then_charges(trip, budget_user):
    preview = settlement_preview(trip=trip)
    shares = {s.participant_id: s for s in trip_settle(trip=trip, by=budget_user)}
    assert preview.total == Decimal("4000.00") == sum(s.amount for s in shares.values())
    for row in preview.rows:
        share = shares[row.participant.pk]
        assert (row.total, row.from_allowance, row.from_fund) == (share.amount, share.from_allowance,
                                                                   share.from_fund)
    assert preview.from_allowances + preview.from_fund == preview.total


def test_the_confirmation_page_shows_the_totals_and_writes_nothing(client, trip, budget_user):
    accounts, entries = Account.objects.count(), LedgerEntry.objects.count()
    client.force_login(budget_user)
    detail = client.get(reverse("trips:detail", args=[trip.pk])).content.decode()
    assert reverse("trips:settle", args=[trip.pk]) in detail
    assert reverse("trips:action", args=[trip.pk, "settle"]) not in detail  # no one-click settlement
    page = client.get(reverse("trips:settle", args=[trip.pk])).content.decode()
    assert "应结算合计" in page and "¥4000.00" in page
    assert 'name="confirm_total" value="4000.00"' in page
    assert "确认结算：扣减 ¥4000.00" in page
    assert (Account.objects.count(), LedgerEntry.objects.count()) == (accounts, entries)
    trip.refresh_from_db()
    assert trip.state == Trip.State.FINISHED


def test_settling_needs_the_confirmed_total_and_refuses_after_a_change(client, trip, budget_user):
    client.force_login(budget_user)
    client.post(reverse("trips:action", args=[trip.pk, "settle"]))
    assert not Share.objects.exists()
    cost_add(trip=trip, by=budget_user, item="tickets", amount=Decimal("50.00"))
    response = client.post(reverse("trips:action", args=[trip.pk, "settle"]), {"confirm_total": "4000.00"},
                           follow=True)
    assert "费用已有变动" in response.content.decode()
    assert not Share.objects.exists()
    client.post(reverse("trips:action", args=[trip.pk, "settle"]), {"confirm_total": "4050.00"})
    trip.refresh_from_db()
    assert trip.state == Trip.State.SETTLED and Share.objects.filter(participant__trip=trip).count() == 3


def test_only_officers_reach_the_confirmation_page(client, trip, staff_user, learner_user):
    for user in (staff_user, learner_user):
        client.force_login(user)
        assert client.get(reverse("trips:settle", args=[trip.pk])).status_code == 404
