"""Two officers approving at the same instant never overspend an allowance (PostgreSQL row locks)."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from lms.budget.errors import BudgetRefused
from lms.budget.ledger import account_balance, allowance_account_open
from lms.budget.models import Claim
from lms.budget.services import claim_approve
from tests.budget.helpers import YEAR, submitted_claim
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")


def test_concurrent_approvals_never_overspend(county, roles):
    from lms.accounts.roles import BUDGET_OFFICER
    from tests.factories import learner_for

    person = county["people"]["east"][0]
    user = learner_for(person)
    officers = [UserFactory(roles=[BUDGET_OFFICER]) for _ in range(2)]
    allowance_account_open(person=person, year=YEAR)
    claims = [submitted_claim(person=person, user=user, amount="600.00") for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(claim, officer):
        try:
            barrier.wait()
            claim_approve(claim=claim, by=officer)
            outcomes.append("approved")
        except BudgetRefused:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(claims, officers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["approved", "refused"]
    account = allowance_account_open(person=person, year=YEAR)
    assert account_balance(account=account) == Decimal("400.00")
    assert Claim.objects.filter(state="approved").count() == 1


def _race(*steps):
    """Run the steps at the same instant on their own connections; return what each one did."""
    barrier = threading.Barrier(len(steps))
    outcomes = {}

    def run(index, step):
        try:
            barrier.wait()
            step()
            outcomes[index] = "done"
        except BudgetRefused:
            outcomes[index] = "refused"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return [outcomes.get(i) for i in range(len(steps))]


def test_one_claim_approved_twice_at_once_is_charged_once(county, roles):
    from lms.accounts.roles import BUDGET_OFFICER
    from lms.budget.models import LedgerEntry
    from tests.factories import learner_for

    person = county["people"]["east"][0]
    claim = submitted_claim(person=person, user=learner_for(person), amount="250.00")
    officers = [UserFactory(roles=[BUDGET_OFFICER]) for _ in range(2)]
    outcomes = _race(*[lambda o=o: claim_approve(claim=Claim.objects.get(pk=claim.pk), by=o) for o in officers])
    assert sorted(outcomes) == ["done", "refused"]
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    assert account_balance(account=allowance_account_open(person=person, year=YEAR)) == Decimal("750.00")


def test_a_claim_and_a_trip_settlement_at_once_never_overdraw_the_allowance(county, roles):
    from lms.accounts.roles import BUDGET_OFFICER
    from lms.trips.models import Share
    from lms.trips.services import cost_add
    from lms.trips.settlement import trip_settle
    from tests.budget.helpers import fund
    from tests.factories import learner_for
    from tests.trips.helpers import make_trip

    person = county["people"]["east"][0]
    claim = submitted_claim(person=person, user=learner_for(person), amount="600.00")
    officers = [UserFactory(roles=[BUDGET_OFFICER]) for _ in range(2)]
    trip = make_trip(fund=fund(amount="5000.00"), people=[person])
    cost_add(trip=trip, by=officers[0], item="lodging", amount=Decimal("700.00"))
    outcomes = _race(lambda: claim_approve(claim=claim, by=officers[0]),
                     lambda: trip_settle(trip=trip, by=officers[1]))
    balance = account_balance(account=allowance_account_open(person=person, year=YEAR))
    share = Share.objects.get(participant__trip=trip)
    assert outcomes[1] == "done" and share.from_allowance + share.from_fund == Decimal("700.00")
    if outcomes[0] == "done":  # the claim took 600 first; the trip could only take the 400 left
        assert (share.from_allowance, balance) == (Decimal("400.00"), Decimal("0.00"))
    else:  # the trip took 700 first; 300 left cannot pay a 600 claim
        assert (share.from_allowance, balance) == (Decimal("700.00"), Decimal("300.00"))
    assert balance >= 0
