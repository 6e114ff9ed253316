"""Trip settlement: each participant's share, charged to their allowance as far as it goes, the rest to the fund."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.budget.access import require_officer
from lms.budget.errors import BudgetRefused
from lms.budget.ledger import (
    account_balance,
    accounts_lock,
    allowance_account_open,
    allowance_amount_for,
    entry_post,
)
from lms.budget.models import Account, CostType, LedgerEntry
from lms.budget.money import ZERO, split_evenly, to_money

from .models import Participant, Share, Trip, TripCost


@dataclass(frozen=True)
class ShareLine:
    """One participant's part of one cost item."""

    cost_id: int
    item: str
    label: str
    amount: Decimal


def shares_compute(*, participants: list[Participant], costs: list[TripCost]) -> dict[int, list[ShareLine]]:
    """Split every cost among those who share it (all participants by default); parts add up to each cost."""
    lines: dict[int, list[ShareLine]] = defaultdict(list)
    all_ids = [p.pk for p in participants]
    for cost in costs:
        sharer_ids = sorted(p.pk for p in cost.shared_by.all()) or all_ids
        if not sharer_ids:
            continue
        label = cost.description or cost.get_item_display()
        for participant_id, amount in zip(sharer_ids, split_evenly(cost.amount, len(sharer_ids)), strict=True):
            lines[participant_id].append(ShareLine(cost.pk, cost.item, str(label), amount))
    return {pid: lines.get(pid, []) for pid in all_ids}


@dataclass(frozen=True)
class PreviewRow:
    """What settling would charge one participant."""

    participant: Participant
    total: Decimal
    allowance_left: Decimal
    from_allowance: Decimal
    from_fund: Decimal


@dataclass(frozen=True)
class SettlementPreview:
    """What settling the trip would charge, shown to the officer before they confirm."""

    rows: list[PreviewRow]
    total: Decimal
    from_allowances: Decimal
    from_fund: Decimal
    fund_balance: Decimal | None

    @property
    def fund_short(self) -> bool:
        return self.fund_balance is None or self.fund_balance < self.from_fund


def settlement_preview(*, trip: Trip) -> SettlementPreview:
    """The shares, allowance and fund parts that trip_settle would post now; reads only, writes nothing."""
    participants = list(
        trip.participants.select_related("person__village").prefetch_related("person__posts").order_by("pk")
    )
    lines = shares_compute(participants=participants, costs=list(trip.costs.prefetch_related("shared_by")))
    balances = dict(
        Account.objects.filter(kind=Account.Kind.ALLOWANCE, year=trip.year,
                               person__in=[p.person_id for p in participants])
        .annotate(balance=Sum("entries__amount")).values_list("person_id", "balance")
    )
    rows = []
    for participant in participants:
        total = to_money(sum((line.amount for line in lines[participant.pk]), ZERO))
        if participant.person_id in balances:
            left = max(to_money(balances[participant.person_id] or ZERO), ZERO)
        else:  # settling opens the allowance with its grant
            left = allowance_amount_for(person=participant.person, year=trip.year) or ZERO
        from_allowance = min(total, left)
        rows.append(PreviewRow(participant, total, left, from_allowance, to_money(total - from_allowance)))
    fund_balance = account_balance(account=trip.fund) if trip.fund_id else None
    return SettlementPreview(
        rows=rows, total=to_money(sum((r.total for r in rows), ZERO)),
        from_allowances=to_money(sum((r.from_allowance for r in rows), ZERO)),
        from_fund=to_money(sum((r.from_fund for r in rows), ZERO)), fund_balance=fund_balance,
    )


def trip_settle(*, trip: Trip, by, at=None) -> list[Share]:
    """Charge each participant's share; their allowance pays what it holds, the trip's fund the rest.

    `at` backdates the charges (imports of past settlements and demo data); it defaults to now.
    """
    require_officer(by)
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        if trip.state != Trip.State.FINISHED:
            raise BudgetRefused(_("Only a finished trip can be settled."))
        if trip.fund_id is None:
            raise BudgetRefused(_("Choose the county fund that pays what allowances do not cover."))
        participants = list(
            trip.participants.select_related("person__village").prefetch_related("person__posts").order_by("pk")
        )
        if not participants:
            raise BudgetRefused(_("The trip has no participants to charge."))
        costs = list(trip.costs.prefetch_related("shared_by").order_by("pk"))
        lines = shares_compute(participants=participants, costs=costs)
        year = trip.year
        allowances = {p.pk: allowance_account_open(person=p.person, year=year, by=by) for p in participants}
        locked = accounts_lock(account_ids=sorted({a.pk for a in allowances.values() if a} | {trip.fund_id}))
        fund = locked[trip.fund_id]
        totals = {pid: to_money(sum((line.amount for line in lines[pid]), ZERO)) for pid in lines}
        allowance_parts = {}
        for participant in participants:
            account = allowances[participant.pk]
            available = max(account_balance(account=account), ZERO) if account else ZERO
            allowance_parts[participant.pk] = min(totals[participant.pk], available)
        fund_needed = sum((totals[pid] - allowance_parts[pid] for pid in totals), ZERO)
        if account_balance(account=fund) < fund_needed:
            raise BudgetRefused(
                _("The fund %(fund)s does not hold the %(amount)s the allowances leave to pay.")
                % {"fund": fund.name, "amount": to_money(fund_needed)}
            )
        memo = _("Share of trip %(trip)s") % {"trip": trip.title}
        shares = []
        for participant in participants:
            total = totals[participant.pk]
            from_allowance = allowance_parts[participant.pk]
            from_fund = to_money(total - from_allowance)
            common = {"kind": LedgerEntry.Kind.CHARGE, "by": by, "cost_type": CostType.TRIP,
                      "person": participant.person, "trip": trip, "memo": memo,
                      "training_class": trip.training_class, "at": at}
            if from_allowance > ZERO:
                entry_post(account=allowances[participant.pk], amount=-from_allowance, **common)
            if from_fund > ZERO:
                entry_post(account=fund, amount=-from_fund, **common)
            shares.append(Share(
                participant=participant, amount=total, from_allowance=from_allowance, from_fund=from_fund,
                breakdown=[{"item": line.item, "label": line.label, "amount": str(line.amount)}
                           for line in lines[participant.pk]],
                settled_at=at or timezone.now(),
            ))
        Share.objects.bulk_create(shares)
        trip.state = Trip.State.SETTLED
        trip.settled_at = at or timezone.now()
        trip.save(update_fields=["state", "settled_at"])
    return shares

