"""四落实: the time, plan, people and rules checks of classes, loaded in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ATTENDED,
    Attendance,
    Enrolment,
    Session,
    SignInSheetScan,
    StudyNote,
    TrainingClass,
    TrainingPlan,
)
from .selectors import stats_from_rows

DONE, NOT_DONE, NOT_DUE = "done", "not_done", "not_due"
PRE_RUNNING = {TrainingClass.State.DRAFT, TrainingClass.State.PLAN_APPROVED, TrainingClass.State.ENROLLING}


@dataclass
class Check:
    key: str
    label: str
    reasons: list[str] = field(default_factory=list)
    due: bool = True

    @property
    def ok(self) -> bool:
        return self.due and not self.reasons

    @property
    def status(self) -> str:
        """done (green), not_done (red) or not_due (neutral: the class has not started)."""
        if not self.due:
            return NOT_DUE
        return NOT_DONE if self.reasons else DONE


@dataclass
class FourImplementations:
    training_class: TrainingClass
    checks: list[Check]
    attendance_rate: Decimal
    person_times: int
    credit_hours: Decimal

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def attendance_percent(self) -> Decimal:
        """The attendance rate as a percentage with one decimal, as staff read it."""
        return (self.attendance_rate * 100).quantize(Decimal("0.1"))

    @property
    def started(self) -> bool:
        return all(c.due for c in self.checks)

    def check(self, key: str) -> Check:
        """One of the four checks by key: time, plan, people, rules."""
        return next(c for c in self.checks if c.key == key)


def _quiz_held_class_ids(class_ids) -> set[int]:
    """Classes whose assessment quiz was sat (when the quizzes app provides quizzes)."""
    try:
        from lms.quizzes.models import Attempt
    except ImportError:
        return set()
    return set(Attempt.objects.filter(quiz__class_id__in=class_ids, submitted_at__isnull=False)
               .values_list("quiz__class_id", flat=True).distinct())


def _session_name(s: Session) -> str:
    return f"{s.date:%m-%d} {s.topic}"


def class_started(tc: TrainingClass, today) -> bool:
    """Whether sessions should be under way: the class is running or closed and its start date has come."""
    return tc.state not in PRE_RUNNING and tc.starts_on <= today


def four_implementations_for_classes(*, classes, today=None, township_id=None) -> dict[int, FourImplementations]:
    """The four checks for many classes at once (seven queries whatever the number of classes).

    With township_id, reasons name only that township's learners; others are counted, not named.
    """
    classes = list(classes)
    ids = [c.pk for c in classes]
    today = today or timezone.localdate()
    plans = {p.training_class_id: p for p in TrainingPlan.objects.filter(training_class_id__in=ids)}
    sessions = defaultdict(list)
    for s in Session.objects.filter(training_class_id__in=ids).only(
        "training_class_id", "date", "topic", "state", "reschedule_reason", "credit_hours", "lesson_plan_id",
        "attendance_taken_at", "starts_at",
    ):
        sessions[s.training_class_id].append(s)
    scanned = set(SignInSheetScan.objects.filter(session__training_class_id__in=ids).values_list("session_id",
                                                                                               flat=True))
    for rows in sessions.values():
        for s in rows:
            s.sheet_scanned = s.pk in scanned
    enrolled = defaultdict(list)
    for e in Enrolment.objects.filter(training_class_id__in=ids, status=Enrolment.Status.ENROLLED).values(
        "training_class_id", "person_id", "leave_cap_flagged_at", "person__name", "person__village__township_id"
    ):
        enrolled[e["training_class_id"]].append(e)
    marks = defaultdict(lambda: defaultdict(dict))
    for cid, pid, sid, status in Attendance.objects.filter(session__training_class_id__in=ids).values_list(
        "session__training_class_id", "person_id", "session_id", "status"
    ):
        marks[cid][pid][sid] = status
    notes = defaultdict(dict)
    for cid, pid, n in (StudyNote.objects.filter(training_class_id__in=ids).values("training_class_id", "person_id")
                        .annotate(n=Count("pk")).values_list("training_class_id", "person_id", "n")):
        notes[cid][pid] = n
    quizzed = _quiz_held_class_ids(ids)
    return {
        c.pk: _evaluate(c, plans.get(c.pk), sessions[c.pk], enrolled[c.pk], marks[c.pk], notes[c.pk],
                        c.pk in quizzed, today, township_id)
        for c in classes
    }


def four_implementations_for_class(*, training_class: TrainingClass, today=None,
                                   township_id=None) -> FourImplementations:
    """The four checks of one class."""
    return four_implementations_for_classes(classes=[training_class], today=today,
                                            township_id=township_id)[training_class.pk]


def _evaluate(tc, plan, sessions, enrolled, marks, notes, quizzed, today, township_id) -> FourImplementations:
    held = [s for s in sessions if s.state == Session.State.HELD]
    held_hours = sum((s.credit_hours for s in held), Decimal("0"))
    stats = stats_from_rows(training_class=tc, person_ids=[e["person_id"] for e in enrolled],
                            held={s.pk: s.credit_hours for s in held}, marks=marks)
    attended_total = sum(st.attended for st in stats.values())
    possible = len(held) * len(enrolled)
    rate = (Decimal(attended_total) / possible).quantize(Decimal("0.0001")) if possible else Decimal("0")
    credit_hours = sum((s.credit_hours for pid in stats for s in held if marks.get(pid, {}).get(s.pk) in ATTENDED),
                       Decimal("0"))
    if not class_started(tc, today):
        # Before the class runs nothing is held yet: only the plan can be judged, once it is due for approval.
        plan_due = tc.state != TrainingClass.State.DRAFT
        checks = [
            Check("time", _("Time"), due=False),
            Check("plan", _("Plan"), _plan_reasons(plan, held) if plan_due else [], due=plan_due),
            Check("people", _("People"), due=False),
            Check("rules", _("Rules"), due=False),
        ]
    else:
        checks = [
            Check("time", _("Time"), _time_reasons(tc, sessions, held_hours, today)),
            Check("plan", _("Plan"), _plan_reasons(plan, held)),
            Check("people", _("People"), _people_reasons(tc, enrolled, stats, rate, possible, township_id)),
            Check("rules", _("Rules"), _rules_reasons(tc, held, enrolled, notes, quizzed)),
        ]
    return FourImplementations(
        training_class=tc,
        checks=checks,
        attendance_rate=rate, person_times=len(enrolled), credit_hours=credit_hours,
    )


def _time_reasons(tc, sessions, held_hours, today) -> list[str]:
    reasons = []
    if not sessions:
        reasons.append(_("No session is scheduled."))
    for s in sessions:
        if s.state == Session.State.SCHEDULED and s.date < today:
            reasons.append(_("Session %(s)s is past but not recorded as held.") % {"s": _session_name(s)})
        elif s.state == Session.State.CANCELLED:
            reasons.append(_("Session %(s)s was cancelled.") % {"s": _session_name(s)})
        elif s.state == Session.State.RESCHEDULED and not s.reschedule_reason.strip():
            reasons.append(_("Session %(s)s was rescheduled without a reason.") % {"s": _session_name(s)})
    if held_hours < tc.planned_credit_hours:
        reasons.append(_("%(held)s of the %(planned)s planned credit hours were held.")
                       % {"held": f"{held_hours:.1f}", "planned": f"{Decimal(tc.planned_credit_hours):.1f}"})
    return reasons


def _plan_reasons(plan, held) -> list[str]:
    reasons = []
    if plan is None:
        reasons.append(_("The class has no training plan."))
    elif not plan.is_approved:
        reasons.append(_("The training plan has not been approved."))
    reasons += [_("Session %(s)s has no lesson plan.") % {"s": _session_name(s)} for s in held if not s.lesson_plan_id]
    return reasons


def _people_reasons(tc, enrolled, stats, rate, possible, township_id) -> list[str]:
    reasons = []
    if not enrolled:
        reasons.append(_("No learner is enrolled."))
    elif possible and rate < tc.attendance_threshold:
        reasons.append(_("The attendance rate is %(rate)s%%, below the required %(need)s%%.")
                       % {"rate": f"{rate * 100:.1f}", "need": f"{tc.attendance_threshold * 100:.0f}"})
    unnamed = 0
    for e in enrolled:
        if stats[e["person_id"]].over_leave_cap and e["leave_cap_flagged_at"] is None:
            if township_id is None or e["person__village__township_id"] == township_id:
                reasons.append(_("%(name)s is over the leave cap and has not been flagged.")
                               % {"name": e["person__name"]})
            else:
                unnamed += 1
    if unnamed:
        reasons.append(_("%(count)s learners of other townships are over the leave cap and have not been flagged.")
                       % {"count": unnamed})
    return reasons


def _rules_reasons(tc, held, enrolled, notes, quizzed) -> list[str]:
    # A scanned paper sheet proves the sign-in as well as the roster or the QR code does.
    reasons = [_("No sign-in was taken at session %(s)s.") % {"s": _session_name(s)}
               for s in held if s.attendance_taken_at is None and not s.sheet_scanned]
    short = [e for e in enrolled if notes.get(e["person_id"], 0) < tc.notes_required]
    if short:
        reasons.append(_("%(count)s learners have fewer than %(need)s study notes.")
                       % {"count": len(short), "need": tc.notes_required})
    if not quizzed and tc.assessment_held_on is None:
        reasons.append(_("The class's assessment has not been held."))
    return reasons
