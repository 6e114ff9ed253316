"""Recording attendance: the staff roster, corrections with a reason, self sign-in, station groups."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.api import bulk_create_audited, bulk_update_audited
from lms.core.text import bounded_text

from .absence import absence_withdraw_unexcused
from .models import Attendance, AttendanceCorrection, AttendanceStatus, Enrolment, Session

LATE_AFTER = datetime.timedelta(minutes=10)


def enrolled_person_ids(*, training_class_id: int) -> set[int]:
    """Ids of the cadres currently enrolled (not waiting, not withdrawn) in a class."""
    return set(Enrolment.objects.filter(training_class_id=training_class_id, status=Enrolment.Status.ENROLLED)
               .values_list("person_id", flat=True))


def _lock_session(session: Session) -> None:
    """Lock the session row: marks and sign-ins of one session take turns, so each sees the last one's rows."""
    Session.objects.select_for_update().filter(pk=session.pk).first()


def _refuse_unmarkable(session: Session) -> None:
    if session.state == Session.State.CANCELLED:
        raise ValidationError(_("This session was cancelled; attendance cannot be recorded."))


@transaction.atomic
def attendance_mark(*, session: Session, marks: dict[int, str], by, reason: str = "",
                    method: str = Attendance.Method.ROSTER) -> list[Attendance]:
    """Record the roster of a session at once; changing a recorded mark needs a reason, which is kept.

    The same roster sent twice at once (a double tap, a retried request) records one correction.
    """
    _refuse_unmarkable(session)
    _lock_session(session)
    enrolled = enrolled_person_ids(training_class_id=session.training_class_id)
    valid = set(AttendanceStatus.values)
    errors = []
    for person_id, status in marks.items():
        if person_id not in enrolled:
            errors.append(_("Cadre #%(id)s is not enrolled in this class.") % {"id": person_id})
        elif status not in valid:
            errors.append(_("“%(status)s” is not an attendance mark.") % {"status": status})
    if errors:
        raise ValidationError(errors)
    existing = {a.person_id: a for a in Attendance.objects.filter(session=session, person_id__in=marks)}
    changed = [a for pid, a in existing.items() if a.status != marks[pid]]
    if changed and not reason.strip():
        raise ValidationError(_("Give a reason for changing marks already recorded (%(count)s changed).")
                              % {"count": len(changed)})
    now = timezone.now()
    corrections = [AttendanceCorrection(attendance=a, old_status=a.status, new_status=marks[a.person_id],
                                        reason=bounded_text(reason, max_length=200), changed_by=by) for a in changed]
    for a in changed:
        a.status, a.marked_by, a.updated_at = marks[a.person_id], by, now
    new = [Attendance(session=session, person_id=pid, status=status, method=method, marked_by=by)
           for pid, status in marks.items() if pid not in existing]
    bulk_create_audited(Attendance, new)
    bulk_update_audited(Attendance, changed, ["status", "marked_by", "updated_at"])
    bulk_create_audited(AttendanceCorrection, corrections)
    if method != Attendance.Method.LEAVE:
        _session_taken(session, now)
        if any(status == AttendanceStatus.ABSENT for status in marks.values()):
            absence_withdraw_unexcused(training_class_id=session.training_class_id, person_ids=list(marks))
    return new + changed


def _session_taken(session: Session, now) -> None:
    updates = {"attendance_taken_at": session.attendance_taken_at or now}
    if session.state == Session.State.SCHEDULED and session.starts() <= now:
        updates["state"] = Session.State.HELD
    Session.objects.filter(pk=session.pk).update(**updates)
    for key, value in updates.items():
        setattr(session, key, value)


@transaction.atomic
def attendance_sign_in(*, session: Session, person, method: str, now=None) -> Attendance:
    """A learner signs in: present, or late after the first minutes. Signing in twice changes nothing.

    `already_signed_in` on the row says whether an earlier request (perhaps a parallel one) signed in first.
    """
    now = now or timezone.now()
    status = AttendanceStatus.LATE if now > session.starts() + LATE_AFTER else AttendanceStatus.PRESENT
    _lock_session(session)
    row = Attendance.objects.filter(session=session, person=person).first()
    created = row is None
    if created:
        row = Attendance.objects.create(session=session, person=person, status=status, method=method,
                                        signed_in_at=now)
    row.already_signed_in = not created and row.signed_in_at is not None
    if not created and row.signed_in_at is None and row.status == AttendanceStatus.ABSENT:
        AttendanceCorrection.objects.create(attendance=row, old_status=row.status, new_status=status,
                                            reason=_("Signed in after being marked absent"), changed_by=person.user)
        row.status, row.method, row.signed_in_at = status, method, now
        row.save(update_fields=["status", "method", "signed_in_at", "updated_at"])
    _session_taken(session, now)
    return row


@transaction.atomic
def attendance_record_station_group(*, session: Session, person_ids: list[int], by) -> list[Attendance]:
    """A station operator records who watched a station session together; others keep their marks."""
    if session.station_id is None:
        raise ValidationError(_("This session is not held at a remote-education station."))
    operator = getattr(by, "person", None)
    if operator is None or session.station.operator_id != operator.pk:
        raise ValidationError(_("Only the operator of %(station)s may record this group.")
                              % {"station": session.station})
    enrolled = enrolled_person_ids(training_class_id=session.training_class_id)
    stray = set(person_ids) - enrolled
    if stray:
        raise ValidationError(_("%(count)s of the people ticked are not enrolled in this class.")
                              % {"count": len(stray)})
    already = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    marks = {pid: AttendanceStatus.PRESENT for pid in person_ids if pid not in already}
    return attendance_mark(session=session, marks=marks, by=by, method=Attendance.Method.STATION)


@transaction.atomic
def attendance_record_station_viewing(*, session: Session, person_ids: list[int], by=None) -> list[Attendance]:
    """Mark present the enrolled cadres an offline station package saw watching; others and earlier marks are kept."""
    if session.station_id is None or session.state == Session.State.CANCELLED:
        return []
    enrolled = enrolled_person_ids(training_class_id=session.training_class_id)
    already = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    marks = {pid: AttendanceStatus.PRESENT for pid in person_ids if pid in enrolled and pid not in already}
    if not marks:
        return []
    return attendance_mark(session=session, marks=marks, by=by, method=Attendance.Method.STATION)
