"""Reads of trips, scoped to what a user may see."""

from django.db.models import QuerySet

from lms.budget.access import organiser_township_id, sees_county_budget
from lms.classes.models import TrainingClass

from .models import Participant, Trip, TripReport


def trips_visible_to(*, user) -> QuerySet[Trip]:
    """Trips the user may see: all (staff, officers), their township's people's trips (organisers), their own."""
    qs = Trip.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if sees_county_budget(user):
        return qs
    township_id = organiser_township_id(user)
    if township_id is not None:
        return qs.filter(participants__person__village__township_id=township_id).distinct()
    return qs.filter(participants__person__user=user).distinct()


def participants_visible_to(*, user, trip: Trip) -> QuerySet[Participant]:
    """The trip's participants the user may see."""
    qs = trip.participants.select_related("person__village__township", "share", "report").order_by(
        "person__village__township__sort_order", "person__village__name", "person__name"
    )
    if sees_county_budget(user):
        return qs
    township_id = organiser_township_id(user)
    if township_id is not None:
        return qs.filter(person__village__township_id=township_id)
    return qs.filter(person__user=user)


def trip_report_status_for_class(*, training_class: TrainingClass) -> dict[int, bool]:
    """person_id → whether their report on a trip linked to the class was accepted."""
    status: dict[int, bool] = {}
    rows = Participant.objects.filter(trip__training_class=training_class).values_list(
        "person_id", "report__state"
    )
    for person_id, state in rows:
        status[person_id] = status.get(person_id, False) or state == TripReport.State.ACCEPTED
    return status


def class_has_trip(*, training_class: TrainingClass) -> bool:
    """Whether a field-study trip belongs to the class."""
    return Trip.objects.filter(training_class=training_class).exists()
