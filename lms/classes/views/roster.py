"""The staff roster: mark every learner of a session on a phone in a few taps, save all at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lms.core.numbers import parse_id

from ..attendance import attendance_mark
from ..models import Attendance, AttendanceCorrection, AttendanceStatus, Enrolment, LeaveRequest
from .access import staff_session

# Short labels for the tap targets, in roster order.
ROSTER_CHOICES = [
    (AttendanceStatus.PRESENT, _("Present")),
    (AttendanceStatus.LATE, _("Late")),
    (AttendanceStatus.LEFT_EARLY, _("Left early")),
    (AttendanceStatus.ABSENT, _("Absent")),
    (AttendanceStatus.LEAVE_SICK, _("Sick")),
    (AttendanceStatus.LEAVE_PERSONAL, _("Personal")),
    (AttendanceStatus.LEAVE_OFFICIAL, _("Official duty")),
]


@login_required
def roster(request, pk: int):
    """GET shows every enrolled learner with their mark; POST saves all marks, corrections need a reason."""
    session = staff_session(request, pk)
    learners = list(
        Enrolment.objects.filter(training_class_id=session.training_class_id, status=Enrolment.Status.ENROLLED)
        .select_related("person__village").order_by("person__village__name", "person__name")
    )
    current = dict(Attendance.objects.filter(session=session).values_list("person_id", "status"))
    leaves = {lr.person_id: lr for lr in LeaveRequest.objects.filter(
        Q(session=session) | Q(covered_sessions=session)).distinct()}
    error = None
    if request.method == "POST":
        marks = {e.person_id: request.POST[f"p{e.person_id}"] for e in learners if request.POST.get(f"p{e.person_id}")}
        listed = {e.person_id for e in learners}
        extra = {pid: request.POST[k] for k in request.POST
                 if k.startswith("p") and (pid := parse_id(k[1:])) is not None and pid not in listed}
        marks.update(extra)
        try:
            attendance_mark(session=session, marks=marks, by=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
            current.update(marks)
        else:
            messages.success(request, _("Attendance saved for %(n)s learners.") % {"n": len(marks)})
            return redirect("classes:roster", pk=session.pk)
    rows = [{"person": e.person, "status": current.get(e.person_id, ""), "leave": leaves.get(e.person_id)}
            for e in learners]
    corrections = (AttendanceCorrection.objects.filter(attendance__session=session)
                   .select_related("attendance__person", "changed_by")[:20])
    return render(request, "classes/roster.html", {
        "session": session, "rows": rows, "choices": ROSTER_CHOICES, "error": error,
        "unmarked": sum(1 for r in rows if not r["status"]), "corrections": corrections,
    })
