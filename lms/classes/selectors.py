"""Reads of classes: attendance figures, the leave cap, note counts (contract with the certificates app)."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from .attendance_stats import AttendanceStats
from .models import ATTENDED, ON_LEAVE, Attendance, Enrolment, Session, StudyNote, TrainingClass

NEAR_CAP_SHARE = Decimal("0.75")
FOUR_PLACES = Decimal("0.0001")


def leave_cap_hours(*, training_class: TrainingClass) -> Decimal:
    """The most leave a learner may take: 1/7 of the class's planned credit hours."""
    return (Decimal(training_class.planned_credit_hours) / 7).quantize(Decimal("0.01"), ROUND_HALF_UP)


def stats_from_rows(*, training_class: TrainingClass, person_ids, held: dict[int, Decimal],
                    marks: dict[int, dict[int, str]]) -> dict[int, AttendanceStats]:
    """Attendance figures from already loaded rows: held = session id → hours; marks = person → session → status."""
    cap = leave_cap_hours(training_class=training_class)
    held_hours = sum(held.values(), Decimal("0"))
    out = {}
    for pid in person_ids:
        own = marks.get(pid, {})
        attended = sum(1 for sid in held if own.get(sid) in ATTENDED)
        leave_sessions = [sid for sid in held if own.get(sid) in ON_LEAVE]
        leave_hours = sum((held[sid] for sid in leave_sessions), Decimal("0"))
        rate = (Decimal(attended) / len(held)).quantize(FOUR_PLACES) if held else Decimal("0")
        over = leave_hours > cap
        out[pid] = AttendanceStats(
            sessions_held=len(held), attended=attended, absent=len(held) - attended - len(leave_sessions),
            leave_hours=leave_hours, held_hours=held_hours, attendance_rate=rate, leave_cap_hours=cap,
            over_leave_cap=over, near_leave_cap=not over and cap > 0 and leave_hours >= cap * NEAR_CAP_SHARE,
        )
    return out


def attendance_stats_for_class(*, training_class: TrainingClass) -> dict[int, AttendanceStats]:
    """Attendance figures of every enrolled learner of a class, keyed by person id (three queries)."""
    person_ids = list(Enrolment.objects.filter(training_class=training_class, status=Enrolment.Status.ENROLLED)
                      .values_list("person_id", flat=True))
    held = dict(Session.objects.filter(training_class=training_class, state=Session.State.HELD)
                .values_list("pk", "credit_hours"))
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    for pid, sid, status in Attendance.objects.filter(session__training_class=training_class).values_list(
        "person_id", "session_id", "status"
    ):
        marks[pid][sid] = status
    return stats_from_rows(training_class=training_class, person_ids=person_ids, held=held, marks=marks)


def note_counts_for_class(*, training_class: TrainingClass) -> dict[int, int]:
    """Number of study notes each learner submitted for a class, keyed by person id."""
    return dict(StudyNote.objects.filter(training_class=training_class).values("person_id")
                .annotate(n=Count("pk")).values_list("person_id", "n"))

