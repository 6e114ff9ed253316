"""Leave (请假): asked before the session, routed by length to the class teacher, 教务 or the deputy head,
approved or refused, reported back (销假); the 1/7 cap and the unexcused-absence rule are applied on the way."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.roles import DEPUTY_HEAD, STAFF, user_has_role
from lms.core.text import bounded_text
from lms.notifications import api as notifications_api

from .absence import half_days, unexcused_days, withdraw_after_days
from .attendance import attendance_mark, enrolled_person_ids
from .models import ON_LEAVE, Attendance, Enrolment, LeaveRequest, Session, TrainingClass
from .selectors import NEAR_CAP_SHARE, leave_cap_hours

Tier = LeaveRequest.Tier
OPEN_STATES = (LeaveRequest.State.PENDING, LeaveRequest.State.APPROVED, LeaveRequest.State.REPORTED_BACK)


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


@dataclass(frozen=True)
class LeavePreview:
    """What the learner reads before sending: length, who approves, the 1/7 cap, the unexcused-absence rule."""

    sessions: list
    days: Decimal
    tier: str
    hours_after: Decimal
    cap: Decimal
    unexcused_days: Decimal
    withdraw_days: Decimal

    @property
    def over_cap(self) -> bool:
        return self.hours_after > self.cap

    @property
    def tier_label(self) -> str:
        return Tier(self.tier).label


def leave_tier_for(days: Decimal) -> str:
    """The approver of a leave of this many days (settings LEAVE_CLASS_TEACHER_MAX_DAYS, LEAVE_ACADEMIC_MAX_DAYS)."""
    if days <= Decimal(str(settings.LEAVE_CLASS_TEACHER_MAX_DAYS)):
        return Tier.CLASS_TEACHER
    if days <= Decimal(str(settings.LEAVE_ACADEMIC_MAX_DAYS)):
        return Tier.ACADEMIC
    return Tier.DEPUTY_HEAD


def leave_covered_sessions(*, session: Session, until_date: datetime.date | None) -> list[Session]:
    """This session alone, or the class's sessions from it up to the last day of leave, cancelled ones left out."""
    if until_date is None:
        return [session]
    rows = (Session.objects.filter(training_class_id=session.training_class_id, date__gte=session.date,
                                   date__lte=until_date)
            .exclude(state=Session.State.CANCELLED).order_by("date", "starts_at"))
    return [s for s in rows if (s.date, s.starts_at) >= (session.date, session.starts_at)]


def leave_hours_after(*, training_class: TrainingClass, person, sessions) -> Decimal:
    """The learner's leave hours in a class if leave from these sessions were approved."""
    ids = {s.pk for s in sessions}
    taken = sum(
        (h for sid, h in Attendance.objects.filter(
            session__training_class=training_class, person=person, status__in=ON_LEAVE,
            session__state__in=[Session.State.HELD, Session.State.SCHEDULED],
        ).values_list("session_id", "session__credit_hours") if sid not in ids),
        Decimal("0"),
    )
    return taken + sum((s.credit_hours for s in sessions), Decimal("0"))


def leave_preview(*, session: Session, person, until_date: datetime.date | None = None) -> LeavePreview:
    """Compute, without saving, what asking for this leave would mean for the learner."""
    tc = session.training_class
    sessions = leave_covered_sessions(session=session, until_date=until_date)
    days = half_days(sessions)
    return LeavePreview(
        sessions=sessions, days=days, tier=leave_tier_for(days),
        hours_after=leave_hours_after(training_class=tc, person=person, sessions=sessions),
        cap=leave_cap_hours(training_class=tc),
        unexcused_days=unexcused_days(training_class_id=tc.pk, person_ids=[person.pk])[person.pk],
        withdraw_days=withdraw_after_days(),
    )


def leave_cap_warning(*, leave: LeaveRequest) -> CapWarning | None:
    """A warning when approving this leave would bring the learner near or over the 1/7 cap."""
    tc = leave.session.training_class
    cap = leave_cap_hours(training_class=tc)
    sessions = list(leave.covered_sessions.all()) or [leave.session]
    after = leave_hours_after(training_class=tc, person=leave.person, sessions=sessions)
    if after > cap or (cap > 0 and after >= cap * NEAR_CAP_SHARE):
        return CapWarning(hours_after=after, cap=cap, over=after > cap)
    return None


@transaction.atomic
def leave_request(*, session: Session, person, kind: str, reason: str,
                  until_date: datetime.date | None = None, now=None) -> LeaveRequest:
    """Ask for leave from a session (and the following ones up to a date) that has not started yet."""
    now = now or timezone.now()
    tc = session.training_class
    if person.pk not in enrolled_person_ids(training_class_id=session.training_class_id):
        raise ValidationError(_("You are not enrolled in this class."))
    if session.state == Session.State.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if now >= session.starts():
        raise ValidationError(_("Leave must be asked for before the session starts."))
    if until_date is not None and until_date < session.date:
        raise ValidationError(_("The last day of leave cannot be before the session."))
    if until_date is not None and until_date > tc.ends_on:
        raise ValidationError(_("The last day of leave cannot be after the class ends (%(date)s).")
                              % {"date": tc.ends_on.isoformat()})
    if kind not in LeaveRequest.Kind.values:
        raise ValidationError(_("Choose the kind of leave."))
    reason = bounded_text(reason, max_length=300)
    if not reason:
        raise ValidationError(_("Give a reason for the leave."))
    preview = leave_preview(session=session, person=person, until_date=until_date)
    covered_ids = {s.pk for s in preview.sessions}
    # The learner's enrolment row serialises their requests, so two at once cannot both pass the overlap check.
    Enrolment.objects.select_for_update().filter(training_class=tc, person=person).first()
    clash = LeaveRequest.objects.filter(person=person, state__in=OPEN_STATES,
                                        covered_sessions__in=covered_ids).exists()
    if clash or LeaveRequest.objects.filter(person=person, session=session, state__in=OPEN_STATES).exists():
        raise ValidationError(_("You have already asked for leave from this session."))
    LeaveRequest.objects.filter(session=session, person=person, state=LeaveRequest.State.REFUSED).delete()
    leave = LeaveRequest.objects.create(
        session=session, person=person, kind=kind, reason=reason.strip()[:300], until_date=until_date,
        days=preview.days, tier=preview.tier,
    )
    leave.covered_sessions.set(preview.sessions)
    return leave


def leave_may_decide(*, user, leave: LeaveRequest) -> bool:
    """Whether a user is the approver of this request's tier (the class teacher's tier falls to 教务 without one)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if leave.tier == Tier.DEPUTY_HEAD:
        return user_has_role(user, DEPUTY_HEAD)
    if leave.tier == Tier.ACADEMIC:
        return user_has_role(user, STAFF)
    teachers = set(leave.session.training_class.staff_in_charge.values_list("pk", flat=True))
    return user.pk in teachers if teachers else user_has_role(user, STAFF)


def _apply_leave_cap(leave: LeaveRequest) -> None:
    """The 1/7 rule: a learner whose approved leave passes the cap is flagged (they lose the certificate)."""
    tc = leave.session.training_class
    taken = sum(Attendance.objects.filter(
        session__training_class=tc, person=leave.person, status__in=ON_LEAVE,
        session__state__in=[Session.State.HELD, Session.State.SCHEDULED],
    ).values_list("session__credit_hours", flat=True), Decimal("0"))
    if taken > leave_cap_hours(training_class=tc):
        Enrolment.objects.filter(training_class=tc, person=leave.person, leave_cap_flagged_at__isnull=True).update(
            leave_cap_flagged_at=timezone.now())


@transaction.atomic
def leave_decide(*, leave: LeaveRequest, approve: bool, by, note: str = "") -> LeaveRequest:
    """The request's approver approves (the roster then shows the leave) or refuses it."""
    leave = LeaveRequest.objects.select_for_update().select_related("session__training_class").get(pk=leave.pk)
    if leave.state != LeaveRequest.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not leave_may_decide(user=by, leave=leave):
        raise ValidationError(_("This request waits for the %(tier)s.") % {"tier": Tier(leave.tier).label})
    leave.state = LeaveRequest.State.APPROVED if approve else LeaveRequest.State.REFUSED
    leave.decided_by, leave.decided_at, leave.decision_note = by, timezone.now(), bounded_text(note, max_length=200)
    leave.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        sessions = list(leave.covered_sessions.exclude(state=Session.State.CANCELLED)) or [leave.session]
        current = set(Attendance.objects.filter(session__in=sessions, person=leave.person)
                      .values_list("session_id", flat=True))
        for session in sessions:
            attendance_mark(session=session, marks={leave.person_id: leave.kind}, by=by,
                            reason=_("Leave approved") if session.pk in current else "",
                            method=Attendance.Method.LEAVE)
        _apply_leave_cap(leave)
    notifications_api.leave_decided(leave=leave)
    return leave


@transaction.atomic
def leave_report_back(*, leave: LeaveRequest, person, now=None) -> LeaveRequest:
    """The learner reports back after approved leave (销假)."""
    leave = LeaveRequest.objects.select_for_update().select_related("session").get(pk=leave.pk)
    now = now or timezone.now()
    if leave.person_id != person.pk:
        raise ValidationError(_("This is not your leave request."))
    if leave.state != LeaveRequest.State.APPROVED:
        raise ValidationError(_("Only approved leave can be reported back."))
    if now < leave.session.ends():
        raise ValidationError(_("You can report back once the session you were excused from is over."))
    leave.state, leave.reported_back_at = LeaveRequest.State.REPORTED_BACK, now
    leave.save(update_fields=["state", "reported_back_at"])
    return leave
