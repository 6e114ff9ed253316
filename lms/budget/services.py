"""The claim workflow: draft → submitted → approved / sent back / refused → paid, and class fees."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.classes.models import Enrolment, TrainingClass
from lms.core.text import bounded_text
from lms.core.uploads import require_image_or_pdf
from lms.notifications import api as notifications_api
from lms.people.models import Person

from .access import require_officer
from .errors import BudgetRefused
from .ledger import account_balance, accounts_lock, allowance_account_open, entry_post
from .models import CLAIMABLE_COST_TYPES, Account, Claim, ClaimEvent, ClaimReceipt, CostType, LedgerEntry
from .money import ZERO, to_money


def private_training_reason() -> str:
    """The refusal text of regulations art. 16."""
    return _("Training the cadre chose privately cannot be charged to public funds (regulations, article 16).")


def _is_private_training(claim: Claim) -> bool:
    if claim.enrolment_id is not None:
        return claim.enrolment.source == Enrolment.Source.SELF
    if claim.training_class_id is not None:
        return Enrolment.objects.filter(
            training_class_id=claim.training_class_id, person_id=claim.person_id, source=Enrolment.Source.SELF
        ).exists()
    return False


def _move(claim: Claim, to_state: str, *, by, reason: str = "", at=None, **fields) -> Claim:
    event = ClaimEvent(claim=claim, from_state=claim.state, to_state=to_state, actor=by,
                       reason=bounded_text(reason, max_length=300), at=at or timezone.now())
    claim.state = to_state
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.save(update_fields=["state", *fields])
    event.save()
    notifications_api.claim_moved(claim=claim, event=event)
    return claim


def _require_state(claim: Claim, *states: str, message) -> None:
    if claim.state not in states:
        raise BudgetRefused(message)


def _locked_claim(claim: Claim) -> Claim:
    locked = Claim.objects.select_for_update(of=("self",))
    return locked.select_related("person__village", "enrolment").get(pk=claim.pk)


def _require_owner_or_officer(claim: Claim, user) -> None:
    owner_user_id = claim.person.user_id
    if user.pk != owner_user_id:
        require_officer(user)


def claim_create(
    *, person: Person, by, cost_type: str, amount: Decimal, description: str, incurred_on,
    training_class: TrainingClass | None = None, trip=None, receipts=(),
) -> Claim:
    """A cadre's reimbursement claim, as a draft, with any receipts attached (all or nothing)."""
    if by.pk != person.user_id:
        require_officer(by)
    if cost_type not in CLAIMABLE_COST_TYPES:
        raise BudgetRefused(_("Claims are for travel, lodging, meals or materials."))
    amount = to_money(amount)
    if amount <= ZERO:
        raise BudgetRefused(_("The amount must be more than zero."))
    with transaction.atomic():
        claim = Claim.objects.create(
            person=person, year=incurred_on.year, origin=Claim.Origin.REIMBURSEMENT, cost_type=cost_type,
            amount=amount, description=description, incurred_on=incurred_on, training_class=training_class,
            trip=trip, created_by=by,
        )
        ClaimEvent.objects.create(claim=claim, from_state="", to_state=Claim.State.DRAFT, actor=by)
        for file in receipts:
            receipt_add(claim=claim, file=file, by=by)
    return claim


def claim_update(*, claim: Claim, by, receipts=(), **fields) -> Claim:
    """Change a draft or sent-back claim's amount, description, date or cost type, and attach more receipts."""
    _require_owner_or_officer(claim, by)
    _require_state(claim, Claim.State.DRAFT, Claim.State.SENT_BACK,
                   message=_("Only a draft or a claim sent back can be changed."))
    allowed = {"cost_type", "amount", "description", "incurred_on", "training_class", "trip"}
    if fields.get("cost_type", claim.cost_type) not in CLAIMABLE_COST_TYPES:
        raise BudgetRefused(_("Claims are for travel, lodging, meals or materials."))
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(claim, name, to_money(value) if name == "amount" else value)
    if claim.amount <= ZERO:
        raise BudgetRefused(_("The amount must be more than zero."))
    if "incurred_on" in fields:
        claim.year = claim.incurred_on.year
    with transaction.atomic():
        claim.save()
        for file in receipts:
            receipt_add(claim=claim, file=file, by=by)
    return claim


def receipt_add(*, claim: Claim, file, by) -> ClaimReceipt:
    """Attach a receipt photo or PDF to a claim that is still being written."""
    _require_owner_or_officer(claim, by)
    _require_state(claim, Claim.State.DRAFT, Claim.State.SENT_BACK,
                   message=_("Receipts can only be added while the claim is a draft or sent back."))
    require_image_or_pdf(file)
    receipt = ClaimReceipt(claim=claim, file=file)
    receipt.full_clean(exclude=["claim"])
    receipt.save()
    return receipt


def claim_submit(*, claim: Claim, by) -> Claim:
    """Send a draft (or sent-back) claim to the budget officers."""
    _require_owner_or_officer(claim, by)
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_state(claim, Claim.State.DRAFT, Claim.State.SENT_BACK,
                       message=_("Only a draft or a claim sent back can be submitted."))
        if _is_private_training(claim):
            raise BudgetRefused(private_training_reason())
        if claim.origin == Claim.Origin.REIMBURSEMENT and not claim.receipts.exists():
            raise BudgetRefused(_("Attach at least one receipt (photo or PDF) before submitting."))
        return _move(claim, Claim.State.SUBMITTED, by=by, submitted_at=timezone.now())


def claim_send_back(*, claim: Claim, by, reason: str, at=None) -> Claim:
    """Return a submitted claim to the cadre with a reason."""
    require_officer(by)
    if not reason.strip():
        raise BudgetRefused(_("Say why the claim is sent back."))
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_state(claim, Claim.State.SUBMITTED, message=_("Only a submitted claim can be sent back."))
        return _move(claim, Claim.State.SENT_BACK, by=by, reason=reason, at=at, decision_reason=reason)


def claim_refuse(*, claim: Claim, by, reason: str, at=None) -> Claim:
    """Refuse a submitted claim for good, with a reason."""
    require_officer(by)
    if not reason.strip():
        raise BudgetRefused(_("Say why the claim is refused."))
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_state(claim, Claim.State.SUBMITTED, message=_("Only a submitted claim can be refused."))
        return _move(
            claim, Claim.State.REFUSED, by=by, reason=reason, at=at, decision_reason=reason, decided_by=by,
            decided_at=at or timezone.now(),
        )


def claim_approve(
    *, claim: Claim, by, fund: Account | None = None, split_reason: str = "", at=None
) -> Claim:
    """Approve a submitted claim and charge it, to the allowance or, split with a reason, partly to a fund.

    `at` backdates the charge (imports of past approvals and demo data); it defaults to now.
    """
    require_officer(by)
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_state(claim, Claim.State.SUBMITTED, message=_("Only a submitted claim can be approved."))
        if _is_private_training(claim):
            raise BudgetRefused(private_training_reason())
        allowance = allowance_account_open(person=claim.person, year=claim.year, by=by)
        lock_ids = [a.pk for a in (allowance, fund) if a is not None]
        accounts_lock(account_ids=lock_ids)
        # Read the balance only after the lock: a concurrent approval has committed by now.
        available = account_balance(account=allowance) if allowance is not None else ZERO
        available = max(available, ZERO)
        from_allowance = min(claim.amount, available)
        rest = to_money(claim.amount - from_allowance)
        if rest > ZERO:
            if fund is None or not split_reason.strip():
                raise BudgetRefused(
                    _(
                        "Approving %(amount)s would take the allowance below zero (%(available)s left). "
                        "Split the rest onto a county fund and give a reason."
                    )
                    % {"amount": claim.amount, "available": available}
                )
            if fund.kind != Account.Kind.FUND or fund.year != claim.year:
                raise BudgetRefused(_("Choose a county fund of the claim's budget year."))
            if account_balance(account=fund) < rest:
                raise BudgetRefused(_("The county fund does not hold enough for the rest."))
        memo = claim.description
        common = {
            "kind": LedgerEntry.Kind.CHARGE, "by": by, "cost_type": claim.cost_type, "person": claim.person,
            "training_class": claim.training_class, "trip": claim.trip, "claim": claim, "at": at,
        }
        if from_allowance > ZERO:
            entry_post(account=allowance, amount=-from_allowance, memo=memo, **common)
        if rest > ZERO:
            entry_post(account=fund, amount=-rest, memo=f"{memo} — {split_reason}", **common)
        reason = split_reason if rest > ZERO else ""
        return _move(claim, Claim.State.APPROVED, by=by, reason=reason, at=at, decided_by=by,
                     decided_at=at or timezone.now())


def claim_mark_paid(*, claim: Claim, by, at=None) -> Claim:
    """Record that an approved claim was paid out (`at` backdates it, as for approvals)."""
    require_officer(by)
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_state(claim, Claim.State.APPROVED, message=_("Only an approved claim can be marked paid."))
        return _move(claim, Claim.State.PAID, by=by, at=at, paid_at=at or timezone.now())


def class_fees_raise(*, training_class: TrainingClass, by) -> tuple[list[Claim], list[Enrolment]]:
    """Raise the class fee for each enrolled cadre with an allowance, ready for approval; returns
    (claims raised, private enrolments refused under art. 16). Raising twice adds nothing."""
    if by is not None and not by.is_superuser:
        from lms.accounts.roles import STAFF, user_has_role

        if not user_has_role(by, STAFF):
            require_officer(by)
    fee = to_money(training_class.fee_per_learner or ZERO)
    if fee <= ZERO:
        return [], []
    raised, private = [], []
    enrolments = (
        Enrolment.objects.filter(training_class=training_class, status=Enrolment.Status.ENROLLED)
        .select_related("person__village")
        .prefetch_related("person__posts")
        .order_by("pk")
    )
    year = training_class.year
    for enrolment in enrolments:
        if enrolment.source == Enrolment.Source.SELF:
            private.append(enrolment)
            continue
        if allowance_account_open(person=enrolment.person, year=year, by=by) is None:
            continue
        if Claim.objects.filter(origin=Claim.Origin.CLASS_FEE, enrolment=enrolment).exists():
            continue
        try:
            with transaction.atomic():
                claim = Claim.objects.create(
                    person=enrolment.person, year=year, origin=Claim.Origin.CLASS_FEE,
                    cost_type=CostType.CLASS_FEE, amount=fee, description=training_class.name[:200],
                    incurred_on=training_class.starts_on, training_class=training_class, enrolment=enrolment,
                    created_by=by, state=Claim.State.SUBMITTED, submitted_at=timezone.now(),
                )
                ClaimEvent.objects.create(claim=claim, from_state="", to_state=Claim.State.SUBMITTED, actor=by)
        except IntegrityError:
            continue
        raised.append(claim)
    return raised, private

