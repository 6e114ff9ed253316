import datetime
from decimal import Decimal

import pytest

from lms.budget.ledger import allowance_account_open, entry_post
from lms.budget.models import LedgerEntry
from tests.budget.helpers import YEAR, enrol, fund, submitted_claim, training_class


@pytest.fixture
def spending(county, learner_person, learner_user, budget_user):
    """A year with spending in both townships: class fees, a fund-paid charge and claims."""
    course = training_class(fee="200.00")
    field_fund = fund()
    for side in ("east", "west"):
        for person in county["people"][side]:
            account = allowance_account_open(person=person, year=YEAR)
            if account is None:
                continue
            enrol(course, person)
            entry_post(account=account, kind=LedgerEntry.Kind.CHARGE, amount=Decimal("-200.00"), memo="培训费",
                       cost_type="class_fee", training_class=course, by=budget_user)
        director = county["people"][side][1]
        entry_post(account=field_fund, kind=LedgerEntry.Kind.CHARGE, amount=Decimal("-333.33"), memo="资料",
                   cost_type="materials", person=director, by=budget_user)
    waiting = submitted_claim(person=learner_person, user=learner_user, amount="123.45",
                              day=datetime.date(YEAR, 7, 1))
    return {"class": course, "fund": field_fund, "claim": waiting}
