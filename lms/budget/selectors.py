"""Reads of training money: balances, dashboard aggregates and lists, scoped to the user."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from lms.accounts import scope
from lms.classes.models import TrainingMode
from lms.people.models import Person, Township
from lms.people.posts import SECRETARY

from .access import organiser_township_id, sees_county_budget
from .models import DEFAULT_ALLOWANCES, Account, AllowancePolicy, Claim, ClaimEvent, CostType, LedgerEntry
from .money import ZERO, to_money
from .tables import Column, Table

NEAR_LIMIT_SHARE = Decimal("0.80")
"""A secretary who has used this share of their allowance is 'near the limit'."""


def budget_scope(*, user) -> int | None:
    """None for the whole county; a township id for organisers; raise 404 for everyone else."""
    if sees_county_budget(user):
        return None
    township_id = organiser_township_id(user)
    if township_id is None:
        raise Http404
    return township_id


def entries_visible_to(*, user) -> QuerySet[LedgerEntry]:
    """Ledger entries the user may read: all, their township's, or their own."""
    return scope.ledger(user)


def claims_visible_to(*, user) -> QuerySet[Claim]:
    """Claims the user may read: all, their township's cadres', or their own."""
    return scope.claims(user)


def _spend(qs: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    return qs.exclude(cost_type="")


def _year_entries(*, year: int, township_id: int | None) -> QuerySet[LedgerEntry]:
    qs = LedgerEntry.objects.filter(year=year)
    return qs.filter(township_id=township_id) if township_id is not None else qs


def _money(value) -> Decimal:
    return to_money(value or ZERO)


@dataclass(frozen=True)
class Summary:
    allowance_granted: Decimal
    allowance_used: Decimal
    fund_spend: Decimal

    @property
    def allowance_left(self) -> Decimal:
        return self.allowance_granted - self.allowance_used

    @property
    def total_spend(self) -> Decimal:
        return self.allowance_used + self.fund_spend


def summary_for_year(*, year: int, township_id: int | None = None) -> Summary:
    """Allowance granted, used and left, and what county funds paid, in one query."""
    is_allowance = Q(account__kind=Account.Kind.ALLOWANCE)
    is_fund_spend = Q(account__kind=Account.Kind.FUND) & ~Q(cost_type="")
    row = _year_entries(year=year, township_id=township_id).aggregate(
        granted=Sum("amount", filter=is_allowance & Q(cost_type="")),
        used=Sum("amount", filter=is_allowance & ~Q(cost_type="")),
        fund=Sum("amount", filter=is_fund_spend),
    )
    return Summary(_money(row["granted"]), -_money(row["used"]), -_money(row["fund"]))


def spend_by_township_table(*, year: int, township_id: int | None = None) -> Table:
    """Per township: allowance granted, used, left; fund spend; total spend."""
    is_allowance = Q(account__kind=Account.Kind.ALLOWANCE)
    rows = (
        _year_entries(year=year, township_id=township_id)
        .values("township_id")
        .annotate(
            granted=Sum("amount", filter=is_allowance & Q(cost_type="")),
            used=Sum("amount", filter=is_allowance & ~Q(cost_type="")),
            fund=Sum("amount", filter=Q(account__kind=Account.Kind.FUND) & ~Q(cost_type="")),
        )
        .filter(township_id__isnull=False)
    )
    by_id = {row["township_id"]: row for row in rows}
    townships = Township.objects.filter(pk__in=by_id) if township_id is None else Township.objects.filter(
        pk=township_id)
    table = Table("township", _("By township"), [
        Column(_("Township or town")), Column(_("Allowance granted"), True), Column(_("Allowance used"), True),
        Column(_("Allowance left"), True), Column(_("Paid by county funds"), True), Column(_("Total spend"), True),
    ])
    for township in townships.order_by("sort_order", "name"):
        row = by_id.get(township.pk, {})
        granted, used, fund = _money(row.get("granted")), -_money(row.get("used")), -_money(row.get("fund"))
        table.rows.append([township.name, granted, used, granted - used, fund, used + fund])
    return table


def _grouped_spend(qs, *fields) -> list[dict]:
    return list(_spend(qs).values(*fields).annotate(total=Sum("amount")).order_by(*fields))


def spend_by_village_table(*, year: int, township_id: int | None = None) -> Table:
    """Spend per village, in township order."""
    rows = _grouped_spend(
        _year_entries(year=year, township_id=township_id).filter(village__isnull=False),
        "village__township__sort_order", "village__township__name", "village__name",
    )
    table = Table("village", _("By village"), [
        Column(_("Township or town")), Column(_("Village or community")), Column(_("Spend"), True)])
    table.rows = [[r["village__township__name"], r["village__name"], -_money(r["total"])] for r in rows]
    return table


def spend_by_mode_table(*, year: int, township_id: int | None = None) -> Table:
    """Spend per training mode; trips and claims without a class get their own lines."""
    bucket = Coalesce(
        "training_class__mode",
        Case(When(trip__isnull=False, then=Value("trip")), default=Value("other"), output_field=CharField()),
        output_field=CharField(),
    )
    rows = (
        _spend(_year_entries(year=year, township_id=township_id))
        .annotate(bucket=bucket).values("bucket").annotate(total=Sum("amount")).order_by("bucket")
    )
    labels = dict(TrainingMode.choices) | {"trip": _("Field-study trips"), "other": _("Other (no class)")}
    table = Table("mode", _("By training mode"), [Column(_("Training mode")), Column(_("Spend"), True)])
    table.rows = [[str(labels.get(r["bucket"], r["bucket"])), -_money(r["total"])] for r in rows]
    return table


def spend_by_class_table(*, year: int, township_id: int | None = None) -> Table:
    """Spend per training class."""
    rows = _grouped_spend(
        _year_entries(year=year, township_id=township_id).filter(training_class__isnull=False),
        "training_class__starts_on", "training_class_id", "training_class__name", "training_class__mode",
    )
    modes = dict(TrainingMode.choices)
    table = Table("class", _("By training class"), [
        Column(_("Training class")), Column(_("Training mode")), Column(_("Spend"), True)])
    table.rows = [[r["training_class__name"], str(modes.get(r["training_class__mode"], "")), -_money(r["total"])]
                  for r in rows]
    return table


def spend_by_trip_table(*, year: int, township_id: int | None = None) -> Table:
    """Spend per field-study trip, split into allowances and funds."""
    rows = (
        _spend(_year_entries(year=year, township_id=township_id).filter(trip__isnull=False))
        .values("trip__starts_on", "trip_id", "trip__title")
        .annotate(
            allowance=Sum("amount", filter=Q(account__kind=Account.Kind.ALLOWANCE)),
            fund=Sum("amount", filter=Q(account__kind=Account.Kind.FUND)),
        )
        .order_by("trip__starts_on", "trip_id")
    )
    table = Table("trip", _("By field-study trip"), [
        Column(_("Trip")), Column(_("From allowances"), True), Column(_("From county funds"), True),
        Column(_("Spend"), True)])
    for r in rows:
        allowance, fund = -_money(r["allowance"]), -_money(r["fund"])
        table.rows.append([r["trip__title"], allowance, fund, allowance + fund])
    return table


def spend_by_cost_type_table(*, year: int, township_id: int | None = None) -> Table:
    """Spend per cost type."""
    rows = _grouped_spend(_year_entries(year=year, township_id=township_id), "cost_type")
    labels = dict(CostType.choices)
    table = Table("cost_type", _("By cost type"), [Column(_("Cost type")), Column(_("Spend"), True)])
    table.rows = [[str(labels.get(r["cost_type"], r["cost_type"])), -_money(r["total"])] for r in rows]
    return table


def spend_by_month_table(*, year: int, township_id: int | None = None) -> Table:
    """Spend per calendar month (Asia/Shanghai)."""
    rows = (
        _spend(_year_entries(year=year, township_id=township_id))
        .annotate(month=TruncMonth("created_at")).values("month").annotate(total=Sum("amount")).order_by("month")
    )
    table = Table("month", _("By month"), [Column(_("Month")), Column(_("Spend"), True)])
    table.rows = [[f"{r['month']:%Y-%m}", -_money(r["total"])] for r in rows]
    return table


def _secretaries(*, township_id: int | None) -> QuerySet[Person]:
    qs = Person.objects.filter(posts__code=SECRETARY, is_active=True)
    return qs.filter(village__township_id=township_id) if township_id is not None else qs


def secretary_allowances(*, year: int, township_id: int | None = None) -> list[dict]:
    """Every secretary in scope with allowance, spent and left this year (one query, plus one for the policy)."""
    allowance_entries = LedgerEntry.objects.filter(
        account__kind=Account.Kind.ALLOWANCE, account__year=year, account__person=OuterRef("pk")
    ).values("account__person")
    granted = allowance_entries.filter(cost_type="").annotate(t=Sum("amount")).values("t")
    used = allowance_entries.exclude(cost_type="").annotate(t=Sum("amount")).values("t")
    people = (
        _secretaries(township_id=township_id)
        .annotate(granted=Subquery(granted), used=Subquery(used), township_name=F("village__township__name"),
                  village_name=F("village__name"))
        .values("pk", "name", "township_name", "village_name", "granted", "used")
        .order_by("village__township__sort_order", "village__name", "name")
    )
    policy = AllowancePolicy.objects.filter(year=year, post__code=SECRETARY).values_list("amount", flat=True).first()
    default = policy if policy is not None else DEFAULT_ALLOWANCES[SECRETARY]
    result = []
    for row in people:
        allowance = _money(row["granted"]) if row["granted"] is not None else to_money(default)
        spent = -_money(row["used"])
        result.append({**row, "allowance": allowance, "spent": spent, "left": allowance - spent})
    return result


def secretaries_tables(*, year: int, township_id: int | None = None) -> tuple[Table, Table]:
    """(near or over their allowance, spent nothing) tables."""
    columns = [Column(_("Township or town")), Column(_("Village or community")), Column(_("Name")),
               Column(_("Allowance"), True), Column(_("Spent"), True), Column(_("Left"), True)]
    near = Table("near_limit", _("Secretaries near or over their allowance"), list(columns))
    idle = Table("spent_nothing", _("Secretaries who have spent nothing"), list(columns))
    for row in secretary_allowances(year=year, township_id=township_id):
        cells = [row["township_name"], row["village_name"], row["name"], row["allowance"], row["spent"],
                 row["left"]]
        if row["spent"] == ZERO:
            idle.rows.append(cells)
        elif row["allowance"] == ZERO or row["spent"] >= row["allowance"] * NEAR_LIMIT_SHARE:
            near.rows.append(cells)
    return near, idle


def claims_waiting(*, year: int | None = None, township_id: int | None = None) -> QuerySet[Claim]:
    """Submitted claims, oldest first."""
    qs = Claim.objects.filter(state=Claim.State.SUBMITTED).select_related(
        "person__village__township", "training_class", "trip"
    )
    if year:
        qs = qs.filter(year=year)
    if township_id is not None:
        qs = qs.filter(person__village__township_id=township_id)
    return qs.order_by("submitted_at", "pk")


def claims_waiting_table(*, year: int, township_id: int | None = None, limit: int = 200) -> Table:
    """Claims waiting for approval, oldest first, as a table."""
    table = Table("claims_waiting", _("Claims waiting for approval"), [
        Column(_("Submitted")), Column(_("Township or town")), Column(_("Name")), Column(_("Cost type")),
        Column(_("Description")), Column(_("Amount"), True)])
    for claim in claims_waiting(year=year, township_id=township_id)[:limit]:
        table.rows.append([
            f"{claim.submitted_at:%Y-%m-%d}" if claim.submitted_at else "", claim.person.village.township.name,
            claim.person.name, claim.get_cost_type_display(), claim.description, claim.amount,
        ])
    return table


DASHBOARD_TABLES = {
    "township": spend_by_township_table,
    "village": spend_by_village_table,
    "mode": spend_by_mode_table,
    "class": spend_by_class_table,
    "trip": spend_by_trip_table,
    "cost_type": spend_by_cost_type_table,
    "month": spend_by_month_table,
    "claims_waiting": claims_waiting_table,
}


def dashboard_table(*, key: str, year: int, township_id: int | None) -> Table:
    """One dashboard table by key (404 for an unknown key)."""
    if key in ("near_limit", "spent_nothing"):
        near, idle = secretaries_tables(year=year, township_id=township_id)
        return near if key == "near_limit" else idle
    if key not in DASHBOARD_TABLES:
        raise Http404
    return DASHBOARD_TABLES[key](year=year, township_id=township_id)


def person_money(*, person: Person, year: int) -> dict:
    """A cadre's own allowance, entries and claims for the year."""
    account = Account.objects.filter(kind=Account.Kind.ALLOWANCE, person=person, year=year).first()
    entries = list(
        LedgerEntry.objects.filter(person=person, year=year)
        .select_related("account", "training_class", "trip").order_by("-created_at", "-pk")
    )
    own = [e for e in entries if account is not None and e.account_id == account.pk]
    granted = sum((e.amount for e in own if not e.cost_type), ZERO)
    used = -sum((e.amount for e in own if e.cost_type), ZERO)
    from .ledger import allowance_amount_for

    if account is None:
        granted = allowance_amount_for(person=person, year=year) or ZERO
    return {"account": account, "granted": granted, "used": used, "left": granted - used, "entries": entries,
            "claims": list(Claim.objects.filter(person=person, year=year).order_by("-created_at", "-pk"))}


def audit_events(*, township_id: int | None = None) -> QuerySet[ClaimEvent]:
    """Every step of every claim, newest first."""
    qs = ClaimEvent.objects.select_related("claim__person__village__township", "actor__person")
    if township_id is not None:
        qs = qs.filter(claim__person__village__township_id=township_id)
    return qs.order_by("-at", "-pk")


def amount_total(qs: QuerySet) -> tuple[int, Decimal]:
    """How many rows a filtered list holds and the sum of their amounts (all pages), as its Excel export totals."""
    row = qs.order_by().aggregate(n=Count("pk"), total=Sum("amount"))
    return row["n"], _money(row["total"])
