"""Validation of a session: inside its class's dates, sensible hours, no double-booked teacher."""

from decimal import Decimal

from django.utils.translation import gettext as _

MAX_SESSION_HOURS = Decimal("12")


def session_errors(*, session) -> dict[str, list[str]]:
    """Every problem with a session, by field; empty when it may be saved."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    tc = session.training_class if session.training_class_id else None
    if tc and session.date and not (tc.starts_on <= session.date <= tc.ends_on):
        add("date", _("The session must fall within the class dates (%(start)s to %(end)s).")
            % {"start": tc.starts_on, "end": tc.ends_on})
    hours = _decimal(session.credit_hours)
    if hours is not None:
        if hours < 0:
            add("credit_hours", _("Credit hours cannot be negative."))
        elif hours > MAX_SESSION_HOURS:
            add("credit_hours", _("A session cannot be worth more than %(max)s credit hours.")
                % {"max": MAX_SESSION_HOURS})
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        add("ends_at", _("The session must end after it starts."))
    elif session.teacher_id and session.date and session.starts_at and session.ends_at:
        clash = _teacher_clash(session)
        if clash is not None:
            add("teacher", _("This teacher already teaches “%(topic)s” (%(cls)s) from %(start)s to %(end)s that day.")
                % {"topic": clash.topic, "cls": clash.training_class.name,
                   "start": f"{clash.starts_at:%H:%M}", "end": f"{clash.ends_at:%H:%M}"})
    if session.state == session.State.RESCHEDULED and not session.reschedule_reason.strip():
        add("reschedule_reason", _("Give the reason for rescheduling."))
    return errors


def _decimal(value) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except ArithmeticError:
        return None


def _teacher_clash(session):
    from .models import Session

    return (
        Session.objects.filter(
            teacher_id=session.teacher_id, date=session.date,
            starts_at__lt=session.ends_at, ends_at__gt=session.starts_at,
        )
        .exclude(state=Session.State.CANCELLED)
        .exclude(pk=session.pk)
        .select_related("training_class")
        .first()
    )
