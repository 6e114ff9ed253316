"""Writes to the ledger: opening accounts, posting charges under row locks, reversals, balances."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from lms.people.models import Person

from .errors import BudgetRefused
from .models import DEFAULT_ALLOWANCES, Account, AllowancePolicy, LedgerEntry
from .money import ZERO, to_money


def allowance_amount_for(*, person: Person, year: int) -> Decimal | None:
    """The person's allowance for the year: the largest over the posts held, or None when no post has one."""
    post_codes = {post.pk: post.code for post in person.posts.all()}
    if not post_codes:
        return None
    set_amounts = dict(
        AllowancePolicy.objects.filter(year=year, post_id__in=post_codes).values_list("post_id", "amount")
    )
    amounts = []
    for post_id, code in post_codes.items():
        if post_id in set_amounts:
            amounts.append(set_amounts[post_id])
        elif code in DEFAULT_ALLOWANCES:
            amounts.append(DEFAULT_ALLOWANCES[code])
    return to_money(max(amounts)) if amounts else None


def account_balance(*, account: Account) -> Decimal:
    """The account's balance: the sum of its ledger entries."""
    total = LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
    return to_money(total or ZERO)


def _snapshot(person: Person | None) -> dict:
    if person is None:
        return {"person": None, "township_id": None, "village_id": None}
    return {"person": person, "township_id": person.village.township_id, "village_id": person.village_id}


def entry_post(
    *, account: Account, kind: str, amount: Decimal, memo: str, by=None, cost_type: str = "",
    person: Person | None = None, training_class=None, trip=None, claim=None, reversal_of=None, at=None,
) -> LedgerEntry:
    """Append one entry to the ledger (callers hold the account's row lock when it matters)."""
    extra = {"created_at": at} if at is not None else {}
    return LedgerEntry.objects.create(
        account=account, year=account.year, kind=kind, amount=to_money(amount), memo=memo[:200], created_by=by,
        cost_type=cost_type, training_class=training_class, trip=trip, claim=claim, reversal_of=reversal_of,
        **_snapshot(person if person is not None else account.person), **extra,
    )


def allowance_account_open(*, person: Person, year: int, by=None) -> Account | None:
    """The person's allowance account for the year, opened with its grant; None when their posts carry none."""
    existing = Account.objects.filter(kind=Account.Kind.ALLOWANCE, person=person, year=year).first()
    if existing is not None:
        return existing
    amount = allowance_amount_for(person=person, year=year)
    if amount is None:
        return None
    try:
        with transaction.atomic():
            account = Account.objects.create(kind=Account.Kind.ALLOWANCE, person=person, year=year)
            entry_post(
                account=account, kind=LedgerEntry.Kind.GRANT, amount=amount, by=by,
                memo=_("Yearly training allowance %(year)s") % {"year": year},
            )
    except IntegrityError:
        # Another request opened it first; theirs carries the grant.
        return Account.objects.get(kind=Account.Kind.ALLOWANCE, person=person, year=year)
    return account


def fund_open(*, code: str, name: str, year: int, amount: Decimal, by=None) -> Account:
    """A county fund for the year, granted `amount` when first opened."""
    with transaction.atomic():
        account, created = Account.objects.get_or_create(
            kind=Account.Kind.FUND, code=code, year=year, defaults={"name": name}
        )
        if created and to_money(amount) != ZERO:
            entry_post(
                account=account, kind=LedgerEntry.Kind.GRANT, amount=amount, by=by,
                memo=_("Appropriation %(year)s") % {"year": year},
            )
    return account


def accounts_lock(*, account_ids: list[int]) -> dict[int, Account]:
    """Lock account rows in id order (one order for everyone, so two lockers never deadlock)."""
    locked = Account.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")
    return {account.pk: account for account in locked}


def entry_reverse(*, entry: LedgerEntry, by, reason: str) -> LedgerEntry:
    """Cancel an entry by posting its opposite; the original stays as it was."""
    if not reason.strip():
        raise BudgetRefused(_("Give a reason for the reversal."))
    if entry.kind == LedgerEntry.Kind.REVERSAL:
        raise BudgetRefused(_("A reversal cannot itself be reversed; post a new entry instead."))
    with transaction.atomic():
        accounts_lock(account_ids=[entry.account_id])
        if LedgerEntry.objects.filter(reversal_of=entry).exists():
            raise BudgetRefused(_("This entry has already been reversed."))
        balance = account_balance(account=entry.account)
        if entry.account.kind == Account.Kind.ALLOWANCE and balance - entry.amount < 0:
            raise BudgetRefused(_("Reversing this entry would take the allowance below zero."))
        return entry_post(
            account=entry.account, kind=LedgerEntry.Kind.REVERSAL, amount=-entry.amount, by=by,
            memo=reason, cost_type=entry.cost_type, person=entry.person, training_class=entry.training_class,
            trip=entry.trip, claim=entry.claim, reversal_of=entry,
        )


def allowance_policy_set(*, year: int, post, amount: Decimal, by) -> AllowancePolicy:
    """Set a post's allowance for a year and top up or trim the allowances already opened for that year."""
    amount = to_money(amount)
    if amount < 0:
        raise BudgetRefused(_("An allowance cannot be negative."))
    with transaction.atomic():
        policy, _created = AllowancePolicy.objects.update_or_create(
            year=year, post=post, defaults={"amount": amount, "set_by": by}
        )
        accounts = list(
            Account.objects.select_for_update(of=("self",))
            .filter(kind=Account.Kind.ALLOWANCE, year=year, person__posts=post)
            .select_related("person__village")
            .order_by("pk")
        )
        for account in accounts:
            target = allowance_amount_for(person=account.person, year=year) or ZERO
            granted = LedgerEntry.objects.filter(account=account).filter(
                Q(kind=LedgerEntry.Kind.GRANT) | Q(kind=LedgerEntry.Kind.REVERSAL, cost_type="")
            ).aggregate(total=Sum("amount"))["total"] or ZERO
            if to_money(target - granted) != ZERO:
                entry_post(
                    account=account, kind=LedgerEntry.Kind.GRANT, amount=target - granted, by=by,
                    memo=_("Allowance policy for %(year)s changed") % {"year": year},
                )
    return policy

