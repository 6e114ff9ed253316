"""Writes for trips: the state machine, participants, costs, roll call and reports."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.scope import scope_for
from lms.budget.access import is_officer
from lms.budget.errors import BudgetRefused
from lms.budget.money import ZERO, to_money
from lms.core.text import bounded_text
from lms.core.uploads import require_image
from lms.notifications import api as notifications_api

from .models import Participant, RollCall, Trip, TripCost, TripReport, TripReportPhoto

NEXT_STATE = {
    Trip.State.PLANNED: Trip.State.APPROVED,
    Trip.State.APPROVED: Trip.State.UNDER_WAY,
    Trip.State.UNDER_WAY: Trip.State.FINISHED,
}


def is_trip_staff(user) -> bool:
    """Party school staff (and superusers) run trips."""
    return scope_for(user).staff


def require_trip_staff(user) -> None:
    """Refuse anyone who is not Party school staff."""
    if not is_trip_staff(user):
        raise PermissionDenied(_("Only Party school staff may do this."))


def trip_advance(*, trip: Trip, by, to_state: str) -> Trip:
    """Move a trip one step: planned → approved (officer or staff) → under way → finished (staff)."""
    if to_state not in Trip.State.values:
        raise BudgetRefused(_("There is no such trip state."))
    if to_state == Trip.State.APPROVED:
        if not (is_officer(by) or is_trip_staff(by)):
            raise PermissionDenied(_("Only a budget officer or Party school staff may approve a trip."))
    else:
        require_trip_staff(by)
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        if NEXT_STATE.get(trip.state) != to_state:
            raise BudgetRefused(
                _("A trip that is %(state)s cannot become %(to)s.")
                % {"state": trip.get_state_display(), "to": Trip.State(to_state).label}
            )
        trip.state = to_state
        trip.save(update_fields=["state"])
        notifications_api.trip_itinerary_published(trip=trip)
    return trip


def participants_add(*, trip: Trip, people, by) -> int:
    """Add cadres to a trip that has not finished; returns how many were new."""
    require_trip_staff(by)
    if trip.state in (Trip.State.FINISHED, Trip.State.SETTLED):
        raise BudgetRefused(_("Participants cannot change once the trip has finished."))
    existing = set(trip.participants.values_list("person_id", flat=True))
    new = [Participant(trip=trip, person=person) for person in people if person.pk not in existing]
    Participant.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def cost_add(*, trip: Trip, by, item: str, amount: Decimal, description: str = "", shared_by=()) -> TripCost:
    """Enter an actual cost of the trip; shared by all participants unless some are named."""
    if not (is_trip_staff(by) or is_officer(by)):
        raise PermissionDenied(_("Only Party school staff or a budget officer may enter costs."))
    if trip.state == Trip.State.SETTLED:
        raise BudgetRefused(_("A settled trip's costs cannot change."))
    amount = to_money(amount)
    if amount <= ZERO:
        raise BudgetRefused(_("The amount must be more than zero."))
    shared_by = list(shared_by)
    if any(p.trip_id != trip.pk for p in shared_by):
        raise BudgetRefused(_("Only the trip's own participants can share a cost."))
    with transaction.atomic():
        cost = TripCost.objects.create(trip=trip, item=item, amount=amount, description=description, entered_by=by)
        if shared_by:
            cost.shared_by.set(shared_by)
    return cost


def roll_call_record(*, trip: Trip, day, present_ids: set[int], by) -> int:
    """Record the day's roll call: participants in `present_ids` present, the others absent."""
    require_trip_staff(by)
    if trip.state != Trip.State.UNDER_WAY:
        raise BudgetRefused(_("Roll call is taken while the trip is under way."))
    if not (trip.starts_on <= day <= trip.ends_on):
        raise BudgetRefused(_("That day is not within the trip's dates."))
    count = 0
    with transaction.atomic():
        for participant in trip.participants.all():
            RollCall.objects.update_or_create(
                participant=participant, day=day,
                defaults={"present": participant.pk in present_ids, "taken_by": by},
            )
            count += 1
    return count


def report_save(*, participant: Participant, by, title: str, body: str, submit: bool, photos=()) -> TripReport:
    """Write (and optionally submit) the participant's own trip report."""
    if by.pk != participant.person.user_id:
        raise PermissionDenied(_("Only the participant writes their trip report."))
    if participant.trip.state not in (Trip.State.UNDER_WAY, Trip.State.FINISHED, Trip.State.SETTLED):
        raise BudgetRefused(_("Trip reports are written once the trip is under way."))
    for photo in photos:
        require_image(photo)
    with transaction.atomic():
        report, _created = TripReport.objects.get_or_create(
            participant=participant, defaults={"title": title, "body": body}
        )
        if report.state in (TripReport.State.SUBMITTED, TripReport.State.ACCEPTED):
            raise BudgetRefused(_("This report has been submitted and can no longer be changed."))
        report.title, report.body = title, body
        if submit:
            report.state = TripReport.State.SUBMITTED
            report.submitted_at = timezone.now()
        report.save()
        for photo in photos:
            item = TripReportPhoto(report=report, image=photo)
            item.full_clean(exclude=["report"])
            item.save()
    return report


def report_review(*, report: TripReport, by, accept: bool, note: str = "") -> TripReport:
    """Staff accept a submitted report or return it with a note."""
    try:
        note = bounded_text(note, max_length=300)
    except ValidationError as error:
        raise BudgetRefused(error.messages[0]) from error
    require_trip_staff(by)
    if report.state != TripReport.State.SUBMITTED:
        raise BudgetRefused(_("Only a submitted report can be reviewed."))
    if not accept and not note.strip():
        raise BudgetRefused(_("Say what needs revising."))
    report.state = TripReport.State.ACCEPTED if accept else TripReport.State.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_note = by, timezone.now(), note
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    return report
