"""Demo data: a year of training spending — allowances, class fees, claims in every state, some near the limit.

Runs after the trips step (whose settlements charge allowances too). Idempotent: allowances open once,
class fees are raised once per enrolment, and the demo claims are only filed while the year has none.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from lms.accounts.models import User
from lms.classes.models import TrainingClass
from lms.people.models import Person
from lms.people.posts import SECRETARY

from .errors import BudgetRefused
from .ledger import account_balance, allowance_account_open
from .models import Account, Claim, ClaimEvent, ClaimReceipt
from .services import (
    claim_approve,
    claim_mark_paid,
    claim_refuse,
    claim_send_back,
    class_fees_raise,
)

RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
CLAIMS = [
    # (cost type, description, amount, month, final state)
    ("travel", "参加县委党校集中轮训往返车费", "86.00", 3, "paid"),
    ("lodging", "异地培训住宿费", "360.00", 4, "paid"),
    ("meals", "培训期间误餐补助", "90.00", 4, "approved"),
    ("materials", "购买《村级组织建设》学习资料", "128.50", 5, "approved"),
    ("travel", "赴基地培训往返车费", "142.00", 6, "submitted"),
    ("lodging", "宣讲培训住宿费", "240.00", 8, "submitted"),
    ("meals", "与培训无关的招待餐费", "460.00", 6, "refused"),
    ("travel", "往返车费（发票抬头不符）", "75.00", 9, "sent_back"),
    ("materials", "远程教育站点学习光盘", "66.00", 10, "draft"),
    ("lodging", "学历培训面授住宿", "680.00", 10, "paid"),
]

# The demo learner's own claims: one the officer paid, one waiting, one sent back to fix, one still a draft.
LEARNER_CLAIMS = [CLAIMS[0], CLAIMS[4], CLAIMS[7], CLAIMS[8]]


def _aware(year: int, month: int, day: int = 15, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _officer():
    return User.objects.filter(username="caiwu").first() or User.objects.filter(is_superuser=True).first()


def _raise_and_approve_class_fees(*, year: int, officer, stdout) -> None:
    school_fund = Account.objects.filter(kind=Account.Kind.FUND, code="party-school", year=year).first()
    for training_class in TrainingClass.objects.filter(year=year, fee_per_learner__gt=0).order_by("starts_on", "pk"):
        raised, private = class_fees_raise(training_class=training_class, by=officer)
        approved = 0
        for index, claim in enumerate(raised):
            if index % 10 == 9:
                continue  # a few stay waiting, so the officer has class fees to approve
            at = timezone.make_aware(datetime.datetime.combine(training_class.starts_on, datetime.time(16)))
            try:
                claim_approve(claim=claim, by=officer, at=at)
            except BudgetRefused:
                # The allowance is used up (often by a trip): the officer splits the rest onto the school fund.
                claim_approve(claim=claim, by=officer, at=at, fund=school_fund,
                              split_reason="津贴不足部分由党校培训经费列支")
            approved += 1
        if raised:
            stdout.write(f"  class fees {training_class.name}: {approved}/{len(raised)} approved,"
                         f" {len(private)} self-chosen not charged")


def _claim(*, person: Person, year: int, spec, officer) -> Claim:
    cost_type, description, amount, month, final = spec
    submitted_at = _aware(year, month, 10)
    claim = Claim.objects.create(
        person=person, year=year, cost_type=cost_type, amount=Decimal(amount), description=description,
        incurred_on=datetime.date(year, month, 5), created_by=person.user or officer, created_at=_aware(year, month, 6),
        state=Claim.State.DRAFT,
    )
    ClaimEvent.objects.create(claim=claim, to_state=Claim.State.DRAFT, actor=person.user, at=claim.created_at)
    ClaimReceipt.objects.create(claim=claim, file=ContentFile(RECEIPT_PDF, name="receipt.pdf"))
    if final == "draft":
        return claim
    Claim.objects.filter(pk=claim.pk).update(state=Claim.State.SUBMITTED, submitted_at=submitted_at)
    ClaimEvent.objects.create(claim=claim, from_state=Claim.State.DRAFT, to_state=Claim.State.SUBMITTED,
                              actor=person.user, at=submitted_at)
    claim.refresh_from_db()
    decided_at = _aware(year, month, 20, 15)
    if final == "refused":
        claim_refuse(claim=claim, by=officer, reason="与培训无关，不予报销", at=decided_at)
    elif final == "sent_back":
        claim_send_back(claim=claim, by=officer, reason="发票抬头须为村委会，请重新上传", at=decided_at)
    elif final in ("approved", "paid"):
        fund = None
        if account_balance(account=allowance_account_open(person=person, year=year)) < claim.amount:
            fund = Account.objects.filter(kind=Account.Kind.FUND, code="party-school", year=year).first()
        claim_approve(claim=claim, by=officer, fund=fund, split_reason="津贴不足部分由党校培训经费列支",
                      at=decided_at)
        if final == "paid":
            claim_mark_paid(claim=claim, by=officer, at=decided_at + datetime.timedelta(days=7))
    return claim


def build(*, stdout) -> None:
    """Last year's and this year's money: allowances, class fees, and claims in every state."""
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        _build_year(year=year, stdout=stdout)


def _build_year(*, year: int, stdout) -> None:
    """Open the year's allowances, charge class fees, and file claims in every state."""
    officer = _officer()
    secretaries = list(
        Person.objects.filter(posts__code=SECRETARY, is_active=True).select_related("village", "user")
        .prefetch_related("posts").order_by("village__township__sort_order", "village__name", "phone")
    )
    if not secretaries or officer is None:
        stdout.write("  budget: no secretaries or no budget officer yet, skipped")
        return
    opened = 0
    for person in secretaries:
        if not Account.objects.filter(kind=Account.Kind.ALLOWANCE, person=person, year=year).exists():
            allowance_account_open(person=person, year=year, by=officer)
            opened += 1
    stdout.write(f"  budget: {opened} allowances opened for {year}")
    _raise_and_approve_class_fees(year=year, officer=officer, stdout=stdout)
    if Claim.objects.filter(origin=Claim.Origin.REIMBURSEMENT, year=year).exists():
        return  # the demo claims were filed by an earlier run
    # Every claim state for a spread of secretaries; the demo learner (the first secretary) gets a few.
    claimants = secretaries[:: max(1, len(secretaries) // 30)][:30]
    made = 0
    for index, person in enumerate(claimants):
        specs = [CLAIMS[(index + offset * 3) % len(CLAIMS)] for offset in range(2 if index < 10 else 1)]
        if index == 0:
            specs = LEARNER_CLAIMS  # the demo learner sees one claim in each state they act on
        for spec in specs:
            try:
                _claim(person=person, year=year, spec=spec, officer=officer)
                made += 1
            except BudgetRefused:
                continue
    stdout.write(f"  budget: {made} demo claims filed")
