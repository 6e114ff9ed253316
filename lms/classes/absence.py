"""The "absent without leave for two days" rule (旷课累计两天劝退): applied whenever attendance is recorded."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, AttendanceStatus, Enrolment, Session


def withdraw_after_days() -> Decimal:
    """Days absent without leave after which a learner is withdrawn (setting LEAVE_WITHDRAW_UNEXCUSED_DAYS)."""
    return Decimal(str(settings.LEAVE_WITHDRAW_UNEXCUSED_DAYS))


def half_days(sessions) -> Decimal:
    """Length in days of some sessions: each half-day (morning, afternoon, evening) of a date counts 0.5."""
    return (Decimal(len({(s.date, s.half_day) for s in sessions})) / 2).quantize(Decimal("0.1"))


def unexcused_days(*, training_class_id: int, person_ids) -> dict[int, Decimal]:
    """Days each learner was marked absent (no leave) at held sessions of a class."""
    slots: dict[int, set] = {pid: set() for pid in person_ids}
    for pid, date, half_day in Attendance.objects.filter(
        session__training_class_id=training_class_id, person_id__in=slots, status=AttendanceStatus.ABSENT,
        session__state=Session.State.HELD,
    ).values_list("person_id", "session__date", "session__half_day"):
        slots[pid].add((date, half_day))
    return {pid: (Decimal(len(s)) / 2).quantize(Decimal("0.1")) for pid, s in slots.items()}


def absence_withdraw_unexcused(*, training_class_id: int, person_ids) -> list[int]:
    """Withdraw enrolled learners absent without leave for the set number of days; returns their ids."""
    limit = withdraw_after_days()
    days = unexcused_days(training_class_id=training_class_id, person_ids=person_ids)
    over = [pid for pid, d in days.items() if d >= limit]
    if not over:
        return []
    rows = list(Enrolment.objects.select_for_update().filter(
        training_class_id=training_class_id, person_id__in=over, status=Enrolment.Status.ENROLLED))
    now = timezone.now()
    for row in rows:
        row.status, row.withdrawn_at = Enrolment.Status.WITHDRAWN, now
        row.withdraw_reason = _("Absent without leave for %(days)s days: withdrawn under the class rules.") % {
            "days": days[row.person_id]}
    Enrolment.objects.bulk_update(rows, ["status", "withdrawn_at", "withdraw_reason"])
    return [row.person_id for row in rows]
