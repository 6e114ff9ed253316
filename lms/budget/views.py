"""Budget pages: a cadre's own money, claims, the officer's dashboard, audit, policies and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.classes.models import TrainingClass
from lms.core.files import private_file_response
from lms.core.numbers import parse_id, parse_int, parse_year
from lms.core.text import search_text
from lms.people.models import Township
from lms.people.selectors import person_for_user

from . import selectors, services
from .access import is_officer, require_officer, sees_budget_reports, sees_county_budget
from .errors import BudgetRefused
from .exports import table_workbook, xlsx_response
from .forms import ApproveForm, ClaimForm, PolicyForm, ReasonForm, ReceiptForm, ReverseForm
from .ledger import allowance_policy_set, entry_reverse
from .models import AllowancePolicy, Claim, ClaimReceipt, CostType, LedgerEntry
from .money import ZERO
from .tables import Column, Table

CLAIMS_PER_PAGE = 50
AUDIT_PER_PAGE = 100


def _year(request) -> int:
    return parse_year(request.GET.get("year"))


def _township_scope(request) -> int | None:
    """The township to show: an organiser's own, or the one an officer picked (None = county)."""
    township_id = selectors.budget_scope(user=request.user)
    if township_id is None:
        return parse_id(request.GET.get("township"))
    return township_id


@login_required
def mine(request):
    """A cadre's own allowance, what it was spent on, and their claims."""
    person = person_for_user(user=request.user)
    if person is None:
        if sees_budget_reports(request.user):
            return redirect("budget:dashboard")
        raise Http404
    year = _year(request)
    context = selectors.person_money(person=person, year=year) | {"person": person, "year": year}
    return render(request, "budget/mine.html", context)


def _chart_text(labels, values) -> str:
    """A chart's figures as one sentence, for screen readers and when the chart cannot be drawn."""
    if not labels:
        return _("No spending recorded.")
    return "；".join(f"{label} ¥{value}" for label, value in zip(labels, values, strict=False))


@login_required
def dashboard(request):
    """The officer's view of the year: summary, charts and every table."""
    township_id = _township_scope(request)
    year = _year(request)
    tables = {key: fn(year=year, township_id=township_id) for key, fn in selectors.DASHBOARD_TABLES.items()}
    near, idle = selectors.secretaries_tables(year=year, township_id=township_id)
    tables["near_limit"], tables["spent_nothing"] = near, idle
    summary = selectors.summary_for_year(year=year, township_id=township_id)
    charts = {
        "month": {"labels": [r[0] for r in tables["month"].rows], "values": [str(r[1]) for r in tables["month"].rows]},
        "township": {"labels": [r[0] for r in tables["township"].rows],
                     "values": [str(r[5]) for r in tables["township"].rows],
                     "used": [str(r[2]) for r in tables["township"].rows],
                     "left": [str(r[3]) for r in tables["township"].rows]},
        "mode": {"labels": [r[0] for r in tables["mode"].rows], "values": [str(r[1]) for r in tables["mode"].rows]},
        "text": {"spend": _("Spend"), "used": _("Allowance used"), "left": _("Allowance left")},
    }
    export_query = f"?year={year}" + (f"&township={township_id}" if township_id is not None else "")
    charts_text = {key: _chart_text(charts[key]["labels"], charts[key]["values"])
                   for key in ("month", "township", "mode")}
    charts_text["allowance"] = _chart_text(charts["township"]["labels"], charts["township"]["used"])
    order = ["claims_waiting", "township", "village", "mode", "class", "trip", "cost_type", "month",
             "near_limit", "spent_nothing"]
    return render(request, "budget/dashboard.html", {
        "year": year, "summary": summary, "tables": [tables[k] for k in order], "charts": charts,
        "charts_text": charts_text, "township_id": township_id,
        "is_county": selectors.budget_scope(user=request.user) is None,
        "townships": Township.objects.order_by("sort_order", "name"), "is_officer": is_officer(request.user),
        "export_query": export_query,
    })


@login_required
def table_export(request, key: str):
    """One dashboard table as Excel, with the totals of the page."""
    township_id = _township_scope(request)
    year = _year(request)
    table = selectors.dashboard_table(key=key, year=year, township_id=township_id)
    return xlsx_response(table_workbook(table, subtitle=str(year)), f"budget-{key}-{year}")


@login_required
def claim_list(request):
    """Claims in scope, filterable by state and year; submitted ones oldest first."""
    state = request.GET.get("state", "")
    qs = selectors.claims_visible_to(user=request.user)
    year = parse_int(request.GET.get("year"), minimum=0, maximum=9999)
    if year is not None:
        qs = qs.filter(year=year)
    if state in Claim.State.values:
        qs = qs.filter(state=state)
    qs = qs.order_by("submitted_at", "pk") if state == Claim.State.SUBMITTED else qs.order_by("-created_at", "-pk")
    if request.GET.get("format") == "xlsx":
        if not sees_budget_reports(request.user):
            raise Http404
        table = Table("claims", _("Claims"), [
            Column(_("Created")), Column(_("Township or town")), Column(_("Name")), Column(_("Cost type")),
            Column(_("Description")), Column(_("State")), Column(_("Amount"), True)])
        table.rows = [[f"{c.created_at:%Y-%m-%d}", c.person.village.township.name, c.person.name,
                       c.get_cost_type_display(), c.description, c.get_state_display(), c.amount] for c in qs]
        return xlsx_response(table_workbook(table), "claims")
    page = Paginator(qs, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    count, total = selectors.amount_total(qs)
    return render(request, "budget/claim_list.html", {
        "page": page, "claims": page.object_list, "state": state, "states": Claim.State.choices,
        "is_reader": sees_budget_reports(request.user), "count": count, "total": total,
    })


def _claim_for(request, pk: int) -> Claim:
    return get_object_or_404(selectors.claims_visible_to(user=request.user), pk=pk)


@login_required
def claim_new(request):
    """A cadre starts a reimbursement claim."""
    person = person_for_user(user=request.user)
    if person is None:
        raise Http404
    form = ClaimForm(request.POST or None, request.FILES or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(person=person, by=request.user, receipts=form.cleaned_data["receipts"],
                                          **form.claim_fields())
        except BudgetRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            form.add_error("receipts", error.messages)
        else:
            _after_save(request, claim, with_receipts=bool(form.cleaned_data["receipts"]))
            return redirect("budget:claim_detail", pk=claim.pk)
    return render(request, "budget/claim_form.html", {"form": form})


def _after_save(request, claim: Claim, *, with_receipts: bool) -> None:
    """Submit straight away when the cadre asked to, else say what is left to do."""
    if "submit" not in request.POST:
        if with_receipts:
            messages.success(request, _("Draft saved with its receipts. Check it, then submit for approval."))
        else:
            messages.success(request, _("Draft saved. Attach your receipts, then submit."))
        return
    try:
        services.claim_submit(claim=claim, by=request.user)
    except BudgetRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Done."))


@login_required
def claim_edit(request, pk: int):
    """A cadre changes a draft or sent-back claim."""
    claim = _claim_for(request, pk)
    if claim.person.user_id != request.user.pk or not claim.is_editable:
        raise Http404
    form = ClaimForm(request.POST or None, request.FILES or None, instance=claim, person=claim.person)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_update(claim=Claim.objects.get(pk=claim.pk), by=request.user,
                                  receipts=form.cleaned_data["receipts"], **form.claim_fields())
        except BudgetRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            form.add_error("receipts", error.messages)
        else:
            _after_save(request, claim, with_receipts=bool(form.cleaned_data["receipts"]))
            return redirect("budget:claim_detail", pk=claim.pk)
    return render(request, "budget/claim_form.html", {"form": form, "claim": claim})


@login_required
def claim_detail(request, pk: int):
    """A claim with its receipts, history and the actions open to the user."""
    claim = _claim_for(request, pk)
    is_owner = claim.person.user_id == request.user.pk
    officer = is_officer(request.user)
    context = {
        "claim": claim, "is_owner": is_owner, "is_officer": officer,
        "receipts": claim.receipts.all(), "events": claim.events.select_related("actor"),
        "entries": claim.entries.select_related("account"),
        "receipt_form": ReceiptForm(), "approve_form": ApproveForm(year=claim.year), "reason_form": ReasonForm(),
    }
    if officer and claim.state == Claim.State.SUBMITTED:
        # The officer decides knowing what the claimant's allowance still holds.
        money = selectors.person_money(person=claim.person, year=claim.year)
        left = max(money["left"], ZERO)
        context["allowance"] = {"granted": money["granted"], "used": money["used"], "left": money["left"],
                                "covers": min(left, claim.amount), "rest": max(claim.amount - left, ZERO)}
    return render(request, "budget/claim_detail.html", context)


@login_required
@require_POST
def claim_action(request, pk: int, action: str):
    """Run one workflow step on a claim and report the outcome."""
    claim = _claim_for(request, pk)
    user = request.user
    try:
        if action == "receipt":
            form = ReceiptForm(request.POST, request.FILES)
            if not form.is_valid():
                raise BudgetRefused(_("Choose a photo or PDF of the receipt."))
            services.receipt_add(claim=claim, file=form.cleaned_data["file"], by=user)
        elif action == "submit":
            services.claim_submit(claim=claim, by=user)
        elif action == "approve":
            form = ApproveForm(request.POST, year=claim.year)
            form.is_valid()
            services.claim_approve(claim=claim, by=user, fund=form.cleaned_data.get("fund"),
                                   split_reason=form.cleaned_data.get("split_reason", ""))
        elif action in ("send_back", "refuse"):
            reason = request.POST.get("reason", "")
            step = services.claim_send_back if action == "send_back" else services.claim_refuse
            step(claim=claim, by=user, reason=reason)
        elif action == "paid":
            services.claim_mark_paid(claim=claim, by=user)
        else:
            raise Http404
    except BudgetRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("budget:claim_detail", pk=claim.pk)


@login_required
def receipt_file(request, pk: int):
    """Serve a receipt only to those who may see its claim."""
    receipt = get_object_or_404(ClaimReceipt.objects.select_related("claim"), pk=pk)
    _claim_for(request, receipt.claim_id)
    return private_file_response(request, receipt.file)


def _audit_entries(request, township_id):
    qs = LedgerEntry.objects.select_related(
        "account__person", "person", "township", "training_class", "trip", "created_by__person", "reversal_of"
    )
    if township_id is not None:
        qs = qs.filter(township_id=township_id)
    year = _year(request)
    qs = qs.filter(year=year)
    if request.GET.get("kind") in LedgerEntry.Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("cost_type") in CostType.values:
        qs = qs.filter(cost_type=request.GET["cost_type"])
    if search_text(request.GET.get("q")):
        q = search_text(request.GET.get("q"))
        qs = qs.filter(Q(person__name__icontains=q) | Q(memo__icontains=q) | Q(account__name__icontains=q))
    return qs.order_by("-created_at", "-pk")


def _audit_table(entries) -> Table:
    table = Table("audit", _("Ledger entries"), [
        Column(_("Entered at")), Column(_("Account")), Column(_("Kind")), Column(_("Cost type")),
        Column(_("Cadre")), Column(_("Township or town")), Column(_("Class or trip")), Column(_("Why")),
        Column(_("Entered by")), Column(_("Amount"), True)])
    for e in entries:
        table.rows.append([
            f"{timezone.localtime(e.created_at):%Y-%m-%d %H:%M}", str(e.account), e.get_kind_display(),
            e.get_cost_type_display(), e.person.name if e.person else "", e.township.name if e.township else "",
            e.training_class.name if e.training_class else (e.trip.title if e.trip else ""), e.memo,
            e.created_by.display_name() if e.created_by else "", e.amount,
        ])
    return table


@login_required
def audit(request):
    """Every ledger entry and every claim step, filterable and exportable."""
    township_id = _township_scope(request)
    if request.GET.get("what") == "approvals":
        events = selectors.audit_events(township_id=township_id)
        if request.GET.get("format") == "xlsx":
            table = Table("approvals", _("Claim steps"), [
                Column(_("At")), Column(_("Cadre")), Column(_("Claim")), Column(_("From")), Column(_("To")),
                Column(_("By")), Column(_("Reason")), Column(_("Amount"), True)], with_totals=False)
            table.rows = [[f"{timezone.localtime(ev.at):%Y-%m-%d %H:%M}", ev.claim.person.name,
                           ev.claim.description, ev.get_from_state_display(), ev.get_to_state_display(),
                           ev.actor.display_name() if ev.actor else "", ev.reason, ev.claim.amount] for ev in events]
            return xlsx_response(table_workbook(table), "claim-steps")
        page = Paginator(events, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "budget/audit_approvals.html", {"page": page, "events": page.object_list})
    entries = _audit_entries(request, township_id)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(table_workbook(_audit_table(entries), subtitle=str(_year(request))), "ledger")
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    count, total = selectors.amount_total(entries)
    return render(request, "budget/audit.html", {
        "count": count, "total": total,
        "page": page, "entries": page.object_list, "year": _year(request), "kinds": LedgerEntry.Kind.choices,
        "cost_types": CostType.choices, "query": request.GET.urlencode(), "is_officer": is_officer(request.user),
        "reverse_form": ReverseForm(),
    })


@login_required
@require_POST
def entry_reverse_view(request, pk: int):
    """An officer reverses a ledger entry with a reason."""
    require_officer(request.user)
    entry = get_object_or_404(LedgerEntry, pk=pk)
    form = ReverseForm(request.POST)
    try:
        if not form.is_valid():
            raise BudgetRefused(_("Give a reason for the reversal."))
        entry_reverse(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
    except BudgetRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The entry was reversed."))
    return redirect(f"{reverse('budget:audit')}?year={entry.year}")


@login_required
def policies(request):
    """Allowance policies per year and post; officers set them."""
    if not sees_county_budget(request.user):
        raise Http404
    form = PolicyForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require_officer(request.user)
        if form.is_valid():
            try:
                allowance_policy_set(by=request.user, **form.cleaned_data)
            except BudgetRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Allowance policy saved."))
                return redirect("budget:policies")
    rows = AllowancePolicy.objects.select_related("post", "set_by").order_by("-year", "post__sort_order")
    return render(request, "budget/policies.html", {"form": form, "policies": rows,
                                                    "is_officer": is_officer(request.user)})


@login_required
def class_fees(request):
    """Classes of the year with a fee; an officer raises each class's fees for approval."""
    if not sees_county_budget(request.user):
        raise Http404
    year = _year(request)
    if request.method == "POST":
        require_officer(request.user)
        training_class = get_object_or_404(TrainingClass, pk=parse_id(request.POST.get("training_class")))
        raised, private = services.class_fees_raise(training_class=training_class, by=request.user)
        messages.success(request, _("%(n)s class fees raised for approval.") % {"n": len(raised)})
        if private:
            messages.error(request, _("%(n)s self-chosen enrolments were not charged: %(reason)s") % {
                "n": len(private), "reason": services.private_training_reason()})
        return redirect(f"{request.path}?year={year}")
    classes = TrainingClass.objects.filter(year=year, fee_per_learner__gt=0).order_by("starts_on", "pk")
    return render(request, "budget/class_fees.html", {"classes": classes, "year": year})


