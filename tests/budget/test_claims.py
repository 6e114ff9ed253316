import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from lms.budget.errors import BudgetRefused
from lms.budget.ledger import account_balance, allowance_account_open
from lms.budget.models import Claim, ClaimEvent, LedgerEntry
from lms.budget.services import (
    claim_approve,
    claim_create,
    claim_mark_paid,
    claim_refuse,
    claim_send_back,
    claim_submit,
    class_fees_raise,
    receipt_add,
)
from tests.budget.helpers import YEAR, enrol, fund, receipt_file, submitted_claim, training_class

pytestmark = pytest.mark.django_db


def test_claim_goes_from_draft_to_paid_and_charges_the_allowance(learner_person, learner_user, budget_user):
    claim = submitted_claim(person=learner_person, user=learner_user, amount="300.00")
    claim_approve(claim=claim, by=budget_user)
    claim_mark_paid(claim=claim, by=budget_user)
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID
    account = allowance_account_open(person=learner_person, year=YEAR)
    assert account_balance(account=account) == Decimal("700.00")
    states = list(claim.events.values_list("to_state", flat=True))
    assert states == ["draft", "submitted", "approved", "paid"]


def test_a_claim_needs_a_receipt_before_it_is_submitted(learner_person, learner_user):
    claim = claim_create(person=learner_person, by=learner_user, cost_type="meals", amount=Decimal("40"),
                         description="误餐", incurred_on=datetime.date(YEAR, 3, 1))
    with pytest.raises(BudgetRefused, match="提交前请至少上传一张票据"):
        claim_submit(claim=claim, by=learner_user)


def test_receipts_must_be_photos_or_pdfs(learner_person, learner_user):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = claim_create(person=learner_person, by=learner_user, cost_type="meals", amount=Decimal("40"),
                         description="误餐", incurred_on=datetime.date(YEAR, 3, 1))
    with pytest.raises(ValidationError):
        receipt_add(claim=claim, file=SimpleUploadedFile("x.exe", b"MZ"), by=learner_user)


def test_over_allowance_is_refused_unless_split_onto_a_fund_with_a_reason(learner_person, learner_user, budget_user):
    field_fund = fund()
    first = submitted_claim(person=learner_person, user=learner_user, amount="800.00")
    claim_approve(claim=first, by=budget_user)
    second = submitted_claim(person=learner_person, user=learner_user, amount="300.00")
    with pytest.raises(BudgetRefused, match="将使额度低于零"):
        claim_approve(claim=second, by=budget_user)
    with pytest.raises(BudgetRefused, match="将使额度低于零"):
        claim_approve(claim=second, by=budget_user, fund=field_fund, split_reason="  ")
    second.refresh_from_db()
    assert second.state == Claim.State.SUBMITTED
    claim_approve(claim=second, by=budget_user, fund=field_fund, split_reason="县专项经费补足")
    allowance = allowance_account_open(person=learner_person, year=YEAR)
    assert account_balance(account=allowance) == Decimal("0.00")
    assert account_balance(account=field_fund) == Decimal("49900.00")
    assert sorted(LedgerEntry.objects.filter(claim=second).values_list("amount", flat=True)) == [
        Decimal("-200.00"), Decimal("-100.00")
    ]
    assert second.events.get(to_state="approved").reason == "县专项经费补足"


def test_private_training_cannot_be_charged_to_public_funds(learner_person, learner_user, budget_user, county):
    chosen = training_class(fee="150.00")
    enrolment = enrol(chosen, learner_person, source="self")
    claim = claim_create(person=learner_person, by=learner_user, cost_type="travel", amount=Decimal("50"),
                         description="车费", incurred_on=datetime.date(YEAR, 4, 1), training_class=chosen)
    receipt_add(claim=claim, file=receipt_file(), by=learner_user)
    with pytest.raises(BudgetRefused, match="不得由公款支付.*第十六条"):
        claim_submit(claim=claim, by=learner_user)
    fee = Claim.objects.create(
        person=learner_person, year=YEAR, origin="class_fee", cost_type="class_fee", amount=Decimal("150"),
        description="培训费", incurred_on=chosen.starts_on, training_class=chosen, enrolment=enrolment,
        state="submitted",
    )
    with pytest.raises(BudgetRefused, match="不得由公款支付.*第十六条"):
        claim_approve(claim=fee, by=budget_user)
    assert not LedgerEntry.objects.filter(claim__in=[claim, fee]).exists()


def test_class_fees_are_raised_once_for_assigned_secretaries_only(county, budget_user):
    secretary, director, _reserve, other_secretary = county["people"]["east"][:4]
    course = training_class(fee="200.00")
    enrol(course, secretary)
    enrol(course, director)
    private = enrol(course, other_secretary, source="self")
    raised, refused = class_fees_raise(training_class=course, by=budget_user)
    assert [c.person for c in raised] == [secretary]
    assert refused == [private]
    assert class_fees_raise(training_class=course, by=budget_user)[0] == []
    claim_approve(claim=raised[0], by=budget_user)
    assert account_balance(account=allowance_account_open(person=secretary, year=YEAR)) == Decimal("800.00")


@pytest.mark.parametrize("step", ["approve", "refuse", "send_back", "paid"])
def test_only_budget_officers_decide(step, learner_person, learner_user, organiser_user, staff_user):
    claim = submitted_claim(person=learner_person, user=learner_user)
    actions = {
        "approve": lambda u: claim_approve(claim=claim, by=u),
        "refuse": lambda u: claim_refuse(claim=claim, by=u, reason="no"),
        "send_back": lambda u: claim_send_back(claim=claim, by=u, reason="no"),
        "paid": lambda u: claim_mark_paid(claim=claim, by=u),
    }
    for user in (learner_user, organiser_user, staff_user):
        with pytest.raises(PermissionDenied):
            actions[step](user)
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_wrong_state_is_refused(learner_person, learner_user, budget_user):
    claim = submitted_claim(person=learner_person, user=learner_user)
    with pytest.raises(BudgetRefused):
        claim_mark_paid(claim=claim, by=budget_user)
    claim_refuse(claim=claim, by=budget_user, reason="与培训无关")
    with pytest.raises(BudgetRefused):
        claim_approve(claim=claim, by=budget_user)
    with pytest.raises(BudgetRefused):
        claim_submit(claim=claim, by=learner_user)
    assert not LedgerEntry.objects.filter(claim=claim).exists()


def test_sent_back_claim_can_be_fixed_and_resubmitted(learner_person, learner_user, budget_user):
    claim = submitted_claim(person=learner_person, user=learner_user)
    with pytest.raises(BudgetRefused):
        claim_send_back(claim=claim, by=budget_user, reason="")
    claim = claim_send_back(claim=claim, by=budget_user, reason="请补充发票")
    receipt_add(claim=claim, file=receipt_file("second.jpg"), by=learner_user)
    claim_submit(claim=claim, by=learner_user)
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED
    assert ClaimEvent.objects.filter(claim=claim, to_state="sent_back", reason="请补充发票").exists()


def test_a_cadre_cannot_claim_for_someone_else(county, learner_user):
    other = county["people"]["east"][3]
    with pytest.raises(PermissionDenied):
        claim_create(person=other, by=learner_user, cost_type="travel", amount=Decimal("10"),
                     description="x", incurred_on=datetime.date(YEAR, 1, 2))
