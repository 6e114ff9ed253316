from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.budget.errors import BudgetRefused
from lms.budget.ledger import account_balance, allowance_account_open, entry_post
from lms.budget.models import LedgerEntry
from lms.trips.models import Participant, Share, Trip, TripCost
from lms.trips.services import cost_add
from lms.trips.settlement import shares_compute, trip_settle
from tests.budget.helpers import fund
from tests.trips.helpers import YEAR, make_trip

pytestmark = pytest.mark.django_db


def test_settlement_charges_allowances_as_far_as_they_go_and_the_fund_the_rest(county, budget_user):
    secretary, director = county["people"]["east"][:2]
    spent_secretary = county["people"]["east"][3]
    field_fund = fund(amount="10000.00")
    account = allowance_account_open(person=spent_secretary, year=YEAR)
    entry_post(account=account, kind=LedgerEntry.Kind.CHARGE, amount=Decimal("-900"), memo="培训费",
               cost_type="class_fee")
    trip = make_trip(fund=field_fund, people=[secretary, director, spent_secretary])
    cost_add(trip=trip, by=budget_user, item="transport", amount=Decimal("3000.00"))
    cost_add(trip=trip, by=budget_user, item="lodging", amount=Decimal("1000.00"))
    single = trip.participants.get(person=director)
    cost_add(trip=trip, by=budget_user, item="single_room", amount=Decimal("100.01"), shared_by=[single])

    shares = {s.participant.person: s for s in trip_settle(trip=trip, by=budget_user)}

    assert shares[secretary].amount == Decimal("1333.34")
    assert (shares[secretary].from_allowance, shares[secretary].from_fund) == (Decimal("1000.00"), Decimal("333.34"))
    assert shares[director].amount == Decimal("1433.34")  # 1333.33 + 100.01, no allowance
    assert (shares[director].from_allowance, shares[director].from_fund) == (Decimal("0"), Decimal("1433.34"))
    assert shares[spent_secretary].from_allowance == Decimal("100.00")
    assert sum(s.amount for s in shares.values()) == Decimal("4100.01")
    assert account_balance(account=field_fund) == Decimal("10000.00") - Decimal("333.34") - Decimal(
        "1433.34") - Decimal("1233.33")
    trip.refresh_from_db()
    assert trip.state == Trip.State.SETTLED
    with pytest.raises(BudgetRefused):
        trip_settle(trip=trip, by=budget_user)


def test_only_a_finished_trip_with_a_fund_is_settled_by_an_officer(county, budget_user, staff_user):
    people = county["people"]["east"][:2]
    trip = make_trip(fund=None, people=people)
    with pytest.raises(BudgetRefused, match="请选择县级经费账户"):
        trip_settle(trip=trip, by=budget_user)
    under_way = make_trip(fund=fund(), people=people, state=Trip.State.UNDER_WAY)
    with pytest.raises(BudgetRefused, match="只有已结束的考察学习才能结算"):
        trip_settle(trip=under_way, by=budget_user)
    with pytest.raises(PermissionDenied):
        trip_settle(trip=under_way, by=staff_user)
    assert not Share.objects.exists()


def test_a_fund_too_small_refuses_the_whole_settlement(county, budget_user):
    trip = make_trip(fund=fund(amount="10.00"), people=county["people"]["east"][1:3])  # director, reserve cadre
    cost_add(trip=trip, by=budget_user, item="meals", amount=Decimal("500"))
    with pytest.raises(BudgetRefused):
        trip_settle(trip=trip, by=budget_user)
    assert not LedgerEntry.objects.filter(trip=trip).exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    costs=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
                   min_size=1, max_size=6),
    participant_count=st.integers(min_value=1, max_value=125),
    subset_every=st.integers(min_value=0, max_value=5),
)
def test_shares_add_up_to_the_costs_exactly(costs, participant_count, subset_every):
    participants = [Participant(pk=i + 1) for i in range(participant_count)]

    class FakeCost:
        def __init__(self, pk, amount, sharers):
            self.pk, self.amount, self.item, self.description = pk, amount, "other", "x"
            self._sharers = sharers

        @property
        def shared_by(self):
            sharers = self._sharers

            class Manager:
                def all(self):
                    return sharers
            return Manager()

        def get_item_display(self):
            return "other"

    fake_costs = []
    for index, amount in enumerate(costs):
        sharers = participants[::subset_every] if subset_every and index % 2 else []
        fake_costs.append(FakeCost(index + 1, amount, sharers))
    lines = shares_compute(participants=participants, costs=fake_costs)
    assert sum(line.amount for per in lines.values() for line in per) == sum(costs)
    for cost in fake_costs:
        parts = [line.amount for per in lines.values() for line in per if line.cost_id == cost.pk]
        assert sum(parts) == cost.amount
        assert max(parts) - min(parts) <= Decimal("0.01")


def test_settled_shares_are_the_ledger_to_the_fen(county, budget_user):
    people = [p for side in ("east", "west") for p in county["people"][side]]
    trip = make_trip(fund=fund(amount="100000.00"), people=people)
    cost_add(trip=trip, by=budget_user, item="transport", amount=Decimal("12345.67"))
    cost_add(trip=trip, by=budget_user, item="tickets", amount=Decimal("0.05"))
    trip_settle(trip=trip, by=budget_user)
    charged = -sum(LedgerEntry.objects.filter(trip=trip).values_list("amount", flat=True))
    assert charged == Decimal("12345.72") == sum(Share.objects.values_list("amount", flat=True))
    assert sum(TripCost.objects.filter(trip=trip).values_list("amount", flat=True)) == charged


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    costs=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("20000.00"), places=2),
                   min_size=1, max_size=4),
    spent_before=st.lists(st.decimals(min_value=Decimal("0.00"), max_value=Decimal("1000.00"), places=2),
                          min_size=12, max_size=12),
    who=st.lists(st.booleans(), min_size=12, max_size=12).filter(any),
    single_rooms=st.integers(min_value=0, max_value=3),
)
def test_settlement_property_allowances_pay_what_they_hold_and_the_fund_the_rest_to_the_fen(
        county, budget_user, costs, spent_before, who, single_rooms):
    people = [p for side in ("east", "west") for p in county["people"][side]]
    with transaction.atomic():
        for person, spent in zip(people, spent_before, strict=True):
            account = allowance_account_open(person=person, year=YEAR)
            if account is not None and spent:
                entry_post(account=account, kind=LedgerEntry.Kind.CHARGE, amount=-spent, memo="此前支出",
                           cost_type="materials")
        before = {p.pk: _balance(p) for p in people}
        trip_fund = fund(amount="1000000.00", code=f"trip-{len(costs)}-{single_rooms}")
        travellers = [p for p, going in zip(people, who, strict=True) if going]
        trip = make_trip(fund=trip_fund, people=travellers)
        for index, amount in enumerate(costs):
            sharers = list(trip.participants.order_by("pk")[:single_rooms]) if index == 0 and single_rooms else ()
            cost_add(trip=trip, by=budget_user, item="lodging", amount=amount, shared_by=sharers)
        fund_before = account_balance(account=trip_fund)
        shares = trip_settle(trip=trip, by=budget_user)
        assert sum(s.amount for s in shares) == sum(costs)  # every fen of every cost is charged, none twice
        for share in shares:
            person = share.participant.person
            assert share.from_allowance + share.from_fund == share.amount
            assert share.from_allowance == min(share.amount, max(before[person.pk] or Decimal("0"), Decimal("0")))
            if before[person.pk] is not None:
                assert _balance(person) == before[person.pk] - share.from_allowance >= 0
        assert fund_before - account_balance(account=trip_fund) == sum(s.from_fund for s in shares)
        transaction.set_rollback(True)


def _balance(person):
    account = person.budget_accounts.filter(year=YEAR, kind="allowance").first()
    return account_balance(account=account) if account is not None else None
