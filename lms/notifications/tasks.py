"""Thin Celery tasks: take ids, call a service. Periodic triggers are scheduled in CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from django.db import OperationalError

from . import services, triggers

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="notifications.deliveries_send", **RETRY)
def deliveries_send(delivery_ids: list[int]) -> int:
    for pk in delivery_ids:
        services.delivery_send(delivery_id=pk)
    return len(delivery_ids)


@shared_task(name="notifications.send_due", **RETRY)
def send_due() -> int:
    return services.deliveries_send_due()


@shared_task(name="notifications.announcement_send", **RETRY)
def announcement_send(announcement_id: int) -> int:
    return services.announcement_fan_out(announcement_id=announcement_id).done


@shared_task(name="notifications.session_tomorrow", **RETRY)
def session_tomorrow() -> int:
    return triggers.sessions_tomorrow_notify()


@shared_task(name="notifications.quiz_windows", **RETRY)
def quiz_windows() -> int:
    return triggers.quiz_windows_notify()


@shared_task(name="notifications.leave_report_back", **RETRY)
def leave_report_back() -> int:
    return triggers.leave_report_back_notify()


@shared_task(name="notifications.trip_itineraries", **RETRY)
def trip_itineraries() -> int:
    return triggers.trip_itineraries_notify()


@shared_task(name="notifications.credit_shortfall", **RETRY)
def credit_shortfall() -> int:
    return triggers.credit_shortfall_notify()


@shared_task(name="notifications.staff_waiting", **RETRY)
def staff_waiting() -> int:
    return triggers.staff_waiting_notify() + triggers.officer_claims_waiting_notify()


@shared_task(name="notifications.organiser_digest", **RETRY)
def organiser_digest() -> int:
    return triggers.organiser_digest_notify()
