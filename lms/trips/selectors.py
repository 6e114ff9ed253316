"""Reads of trips, scoped to what a user may see."""

from django.db.models import QuerySet

from lms.accounts import scope
from lms.classes.models import TrainingClass

from .models import Participant, Trip, TripReport


def trips_visible_to(*, user) -> QuerySet[Trip]:
    """Trips the user may see: all (staff, officers), their township's people's trips (organisers), their own."""
    return scope.trips(user)


def participants_visible_to(*, user, trip: Trip) -> QuerySet[Participant]:
    """The trip's participants the user may see."""
    return scope.participants(user).filter(trip=trip).select_related(
        "person__village__township", "share", "report").order_by(
        "person__village__township__sort_order", "person__village__name", "person__name"
    )


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
