"""Trip settlement: each participant's share, charged to their allowance as far as it goes, the rest to the fund."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.budget.access import require_officer
from lms.budget.errors import BudgetRefused
from lms.budget.ledger import account_balance, accounts_lock, allowance_account_open, entry_post
from lms.budget.models import CostType, LedgerEntry
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

