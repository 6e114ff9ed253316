"""Trip pages: list, detail with itinerary and costs, participants, roll call, reports, statements."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.budget.access import is_officer, require_officer
from lms.budget.errors import BudgetRefused
from lms.budget.money import ZERO
from lms.core.files import private_file_response
from lms.core.numbers import parse_id, parse_ids
from lms.people.models import Person

from . import selectors, services
from .forms import AddParticipantsForm, CostForm, ReportForm
from .models import ItineraryItem, Participant, RollCall, Trip, TripReport, TripReportPhoto
from .settlement import settlement_preview, trip_settle


def _trip_for(request, pk: int) -> Trip:
    return get_object_or_404(selectors.trips_visible_to(user=request.user), pk=pk)


@login_required
def trip_list(request):
    """Trips the user may see, newest first."""
    trips = (
        selectors.trips_visible_to(user=request.user)
        .annotate(participant_count=Count("participants", distinct=True))
        .prefetch_related("destinations")
        .order_by("-starts_on", "pk")
    )
    return render(request, "trips/list.html", {"trips": trips})


@login_required
def trip_detail(request, pk: int):
    """A trip: where, when, the day-by-day itinerary, costs, participants in scope."""
    trip = _trip_for(request, pk)
    participants = list(selectors.participants_visible_to(user=request.user, trip=trip))
    mine = next((p for p in participants if p.person.user_id == request.user.pk), None)
    staff = services.is_trip_staff(request.user)
    officer = is_officer(request.user)
    days: dict[datetime.date, list[ItineraryItem]] = {}
    for item in trip.itinerary.all():
        days.setdefault(item.day, []).append(item)
    costs = list(trip.costs.prefetch_related(Prefetch("shared_by", queryset=Participant.objects.select_related(
        "person")))) if (staff or officer) else []
    actual = trip.costs.aggregate(total=Sum("amount"))["total"] or ZERO
    return render(request, "trips/detail.html", {
        "trip": trip, "participants": participants, "mine": mine, "days": sorted(days.items()),
        "destinations": trip.destinations.all(), "costs": costs, "actual": actual,
        "is_staff": staff, "is_officer": officer, "next_state": services.NEXT_STATE.get(trip.state),
        "cost_form": CostForm(trip=trip) if (staff or officer) and trip.state != Trip.State.SETTLED else None,
        "can_see_costs": staff or officer,
    })


@login_required
@require_POST
def trip_action(request, pk: int, action: str):
    """Advance the trip's state, add a cost, or settle it."""
    trip = _trip_for(request, pk)
    try:
        if action == "advance":
            services.trip_advance(trip=trip, by=request.user, to_state=request.POST.get("to", ""))
        elif action == "settle":
            # The officer confirmed the totals shown on the confirmation page; refuse if costs changed since.
            require_officer(request.user)
            if request.POST.get("confirm_total") != str(settlement_preview(trip=trip).total):
                raise BudgetRefused(_("The costs changed since you checked the totals. Please check them again."))
            trip_settle(trip=trip, by=request.user)
        elif action == "cost":
            form = CostForm(request.POST, trip=trip)
            if not form.is_valid():
                raise BudgetRefused(_("Check the cost: an item and an amount above zero are needed."))
            services.cost_add(trip=trip, by=request.user, **form.cleaned_data)
        else:
            raise Http404
    except BudgetRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Done."))
    return redirect("trips:detail", pk=trip.pk)


@login_required
def settle_confirm(request, pk: int):
    """Before settling: every participant's share, what allowances and the fund pay, and a confirm button."""
    trip = _trip_for(request, pk)
    if not is_officer(request.user):
        raise Http404
    return render(request, "trips/settle_confirm.html", {"trip": trip, "preview": settlement_preview(trip=trip)})


@login_required
def participants_add(request, pk: int):
    """Staff add every in-office holder of the chosen posts (optionally of one township)."""
    trip = _trip_for(request, pk)
    services.require_trip_staff(request.user)
    form = AddParticipantsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        people = Person.objects.filter(posts__in=form.cleaned_data["posts"], is_active=True).distinct()
        if form.cleaned_data["township"]:
            people = people.filter(village__township=form.cleaned_data["township"])
        try:
            added = services.participants_add(trip=trip, people=people, by=request.user)
        except BudgetRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("%(n)s participants added.") % {"n": added})
        return redirect("trips:detail", pk=trip.pk)
    return render(request, "trips/participants_add.html", {"trip": trip, "form": form})


@login_required
def roll_call(request, pk: int):
    """Staff take the day's roll call on the trip."""
    trip = _trip_for(request, pk)
    services.require_trip_staff(request.user)
    try:
        day = datetime.date.fromisoformat(request.GET.get("day") or request.POST.get("day") or "")
    except ValueError:
        day = trip.starts_on
    participants = list(trip.participants.select_related("person__village").order_by("pk"))
    if request.method == "POST":
        present = set(parse_ids(request.POST.getlist("present")))
        try:
            services.roll_call_record(trip=trip, day=day, present_ids=present, by=request.user)
        except BudgetRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Roll call saved."))
        return redirect(f"{request.path}?day={day.isoformat()}")
    marks = dict(RollCall.objects.filter(participant__trip=trip, day=day).values_list("participant_id", "present"))
    days = [trip.starts_on + datetime.timedelta(days=i) for i in range((trip.ends_on - trip.starts_on).days + 1)]
    return render(request, "trips/roll_call.html", {
        "trip": trip, "day": day, "days": days,
        "rows": [(p, marks.get(p.pk, True), p.pk in marks) for p in participants],
    })


@login_required
def report_write(request, pk: int):
    """A participant writes and submits their trip report with photos."""
    trip = _trip_for(request, pk)
    participant = get_object_or_404(Participant, trip=trip, person__user=request.user)
    report = TripReport.objects.filter(participant=participant).first()
    initial = {"title": report.title, "body": report.body} if report else {"title": trip.title}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                participant=participant, by=request.user, title=form.cleaned_data["title"],
                body=form.cleaned_data["body"], submit="submit" in request.POST,
                photos=form.cleaned_data["photos"],
            )
        except (BudgetRefused, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            messages.success(request, _("Report saved."))
            return redirect("trips:report", pk=trip.pk)
    return render(request, "trips/report_form.html", {"trip": trip, "form": form, "report": report})


@login_required
def reports_review(request, pk: int):
    """Staff read the submitted reports and accept them or return them with a note."""
    trip = _trip_for(request, pk)
    services.require_trip_staff(request.user)
    if request.method == "POST":
        report = get_object_or_404(TripReport, pk=parse_id(request.POST.get("report")),
                                   participant__trip=trip)
        try:
            services.report_review(report=report, by=request.user, accept=request.POST.get("accept") == "1",
                                   note=request.POST.get("note", ""))
        except BudgetRefused as refused:
            messages.error(request, refused.message)
        return redirect("trips:reports", pk=trip.pk)
    reports = (TripReport.objects.filter(participant__trip=trip).select_related("participant__person")
               .prefetch_related("photos").order_by("state", "submitted_at"))
    return render(request, "trips/reports.html", {"trip": trip, "reports": reports})


@login_required
def report_photo(request, pk: int):
    """Serve a report photo to those who may see the participant."""
    photo = get_object_or_404(TripReportPhoto.objects.select_related("report__participant__trip"), pk=pk)
    trip = _trip_for(request, photo.report.participant.trip_id)
    if not selectors.participants_visible_to(user=request.user, trip=trip).filter(
            pk=photo.report.participant_id).exists():
        raise Http404
    return private_file_response(request, photo.image)


@login_required
def statement(request, pk: int, participant_pk: int):
    """A participant's settlement statement: share by item, and what their allowance and the fund paid."""
    trip = _trip_for(request, pk)
    participant = get_object_or_404(selectors.participants_visible_to(user=request.user, trip=trip), pk=participant_pk)
    share = getattr(participant, "share", None)
    if share is None:
        raise Http404
    return render(request, "trips/statement.html", {"trip": trip, "participant": participant, "share": share})
