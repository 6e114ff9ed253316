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
