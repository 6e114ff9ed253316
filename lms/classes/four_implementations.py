"""四落实: the time, plan, people and rules checks of classes, loaded in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ATTENDED, Attendance, Enrolment, Session, StudyNote, TrainingClass, TrainingPlan
from .selectors import stats_from_rows


@dataclass
class Check:
    key: str
    label: str
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


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


def four_implementations_for_classes(*, classes, today=None) -> dict[int, FourImplementations]:
    """The four checks for many classes at once (six queries whatever the number of classes)."""
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
    enrolled = defaultdict(list)
    for e in Enrolment.objects.filter(training_class_id__in=ids, status=Enrolment.Status.ENROLLED).values(
        "training_class_id", "person_id", "leave_cap_flagged_at", "person__name"
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
                        c.pk in quizzed, today)
        for c in classes
    }


def four_implementations_for_class(*, training_class: TrainingClass, today=None) -> FourImplementations:
    """The four checks of one class."""
    return four_implementations_for_classes(classes=[training_class], today=today)[training_class.pk]


def _evaluate(tc, plan, sessions, enrolled, marks, notes, quizzed, today) -> FourImplementations:
    held = [s for s in sessions if s.state == Session.State.HELD]
    held_hours = sum((s.credit_hours for s in held), Decimal("0"))
    stats = stats_from_rows(training_class=tc, person_ids=[e["person_id"] for e in enrolled],
                            held={s.pk: s.credit_hours for s in held}, marks=marks)
    attended_total = sum(st.attended for st in stats.values())
    possible = len(held) * len(enrolled)
    rate = (Decimal(attended_total) / possible).quantize(Decimal("0.0001")) if possible else Decimal("0")
    credit_hours = sum((s.credit_hours for pid in stats for s in held if marks.get(pid, {}).get(s.pk) in ATTENDED),
                       Decimal("0"))
    return FourImplementations(
        training_class=tc,
        checks=[
            Check("time", _("Time"), _time_reasons(tc, sessions, held_hours, today)),
            Check("plan", _("Plan"), _plan_reasons(plan, held)),
            Check("people", _("People"), _people_reasons(tc, enrolled, stats, rate, possible)),
            Check("rules", _("Rules"), _rules_reasons(tc, held, enrolled, notes, quizzed)),
        ],
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


def _people_reasons(tc, enrolled, stats, rate, possible) -> list[str]:
    reasons = []
    if not enrolled:
        reasons.append(_("No learner is enrolled."))
    elif possible and rate < tc.attendance_threshold:
        reasons.append(_("The attendance rate is %(rate)s%%, below the required %(need)s%%.")
                       % {"rate": f"{rate * 100:.1f}", "need": f"{tc.attendance_threshold * 100:.0f}"})
    for e in enrolled:
        if stats[e["person_id"]].over_leave_cap and e["leave_cap_flagged_at"] is None:
            reasons.append(_("%(name)s is over the leave cap and has not been flagged.") % {"name": e["person__name"]})
    return reasons


def _rules_reasons(tc, held, enrolled, notes, quizzed) -> list[str]:
    reasons = [_("No sign-in was taken at session %(s)s.") % {"s": _session_name(s)}
               for s in held if s.attendance_taken_at is None]
    short = [e for e in enrolled if notes.get(e["person_id"], 0) < tc.notes_required]
    if short:
        reasons.append(_("%(count)s learners have fewer than %(need)s study notes.")
                       % {"count": len(short), "need": tc.notes_required})
    if not quizzed and tc.assessment_held_on is None:
        reasons.append(_("The class's assessment has not been held."))
    return reasons
