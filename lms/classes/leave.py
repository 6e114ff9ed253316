"""Leave (请假): a learner asks before the session, staff approve or refuse, the learner reports back (销假)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.text import bounded_text

from .attendance import attendance_mark, enrolled_person_ids
from .models import Attendance, LeaveRequest, Session
from .selectors import NEAR_CAP_SHARE, leave_cap_hours, leave_hours_if_approved


@dataclass(frozen=True)
class CapWarning:
    hours_after: Decimal
    cap: Decimal
    over: bool

    def message(self) -> str:
        """What staff read before approving."""
        if self.over:
            return _("Approving brings this learner to %(hours)s leave hours, over the cap of %(cap)s: "
                     "they would lose the certificate.") % {"hours": self.hours_after, "cap": self.cap}
        return _("Approving brings this learner to %(hours)s of the %(cap)s leave hours allowed.") % {
            "hours": self.hours_after, "cap": self.cap}


def leave_cap_warning(*, leave: LeaveRequest) -> CapWarning | None:
    """A warning when approving this leave would bring the learner near or over the 1/7 cap."""
    tc = leave.session.training_class
    cap = leave_cap_hours(training_class=tc)
    after = leave_hours_if_approved(training_class=tc, person=leave.person, extra_session=leave.session)
    if after > cap or (cap > 0 and after >= cap * NEAR_CAP_SHARE):
        return CapWarning(hours_after=after, cap=cap, over=after > cap)
    return None


@transaction.atomic
def leave_request(*, session: Session, person, kind: str, reason: str, now=None) -> LeaveRequest:
    """Ask for leave from a session that has not started yet."""
    now = now or timezone.now()
    if person.pk not in enrolled_person_ids(training_class_id=session.training_class_id):
        raise ValidationError(_("You are not enrolled in this class."))
    if session.state == Session.State.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if now >= session.starts():
        raise ValidationError(_("Leave must be asked for before the session starts."))
    if kind not in LeaveRequest.Kind.values:
        raise ValidationError(_("Choose the kind of leave."))
    reason = bounded_text(reason, max_length=300)
    if not reason:
        raise ValidationError(_("Give a reason for the leave."))
    existing = LeaveRequest.objects.select_for_update().filter(session=session, person=person).first()
    if existing is not None and existing.state != LeaveRequest.State.REFUSED:
        raise ValidationError(_("You have already asked for leave from this session."))
    if existing is not None:
        existing.delete()
    return LeaveRequest.objects.create(session=session, person=person, kind=kind, reason=reason)


@transaction.atomic
def leave_decide(*, leave: LeaveRequest, approve: bool, by, note: str = "") -> LeaveRequest:
    """Approve (the roster then shows the leave) or refuse a pending request."""
    leave = LeaveRequest.objects.select_for_update().select_related("session__training_class").get(pk=leave.pk)
    if leave.state != LeaveRequest.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    leave.state = LeaveRequest.State.APPROVED if approve else LeaveRequest.State.REFUSED
    leave.decided_by, leave.decided_at, leave.decision_note = by, timezone.now(), bounded_text(note, max_length=200)
    leave.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        current = Attendance.objects.filter(session=leave.session, person=leave.person).first()
        attendance_mark(session=leave.session, marks={leave.person_id: leave.kind}, by=by,
                        reason=_("Leave approved") if current else "", method=Attendance.Method.LEAVE)
    return leave


@transaction.atomic
def leave_report_back(*, leave: LeaveRequest, person, now=None) -> LeaveRequest:
    """The learner reports back after approved leave (销假)."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if leave.person_id != person.pk:
        raise ValidationError(_("This is not your leave request."))
    if leave.state != LeaveRequest.State.APPROVED:
        raise ValidationError(_("Only approved leave can be reported back."))
    leave.state, leave.reported_back_at = LeaveRequest.State.REPORTED_BACK, now or timezone.now()
    leave.save(update_fields=["state", "reported_back_at"])
    return leave
