"""Completion rules: which learners of a class have earned a certificate, and why or why not.

Policy for a rule whose provider app is not installed yet ("cannot be checked yet"):
it counts as NOT met, and is shown as such, so the batch job never issues a
certificate on a rule nobody checked. Staff who know the learner completed the class
can still issue one by hand with a reason.
"""

import dataclasses
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.classes.models import Enrolment, TrainingClass, TrainingMode
from lms.evaluations import api as evaluations_api

from . import providers
from .models import CertificateSettings, ClassCertificateRules, Design, ModeCompletionRules, TripRule

MET = "met"
NOT_MET = "not_met"
UNAVAILABLE = "unavailable"
NOT_APPLICABLE = "not_applicable"
STATUS_LABELS = {
    MET: gettext_lazy("Met"),
    NOT_MET: gettext_lazy("Not met"),
    UNAVAILABLE: gettext_lazy("Cannot be checked yet"),
    NOT_APPLICABLE: gettext_lazy("Does not apply"),
}
RULE_LABELS = {
    "attendance": gettext_lazy("Attendance"),
    "leave": gettext_lazy("Leave within 1/7 of the hours"),
    "lessons": gettext_lazy("Required lessons watched or read"),
    "quiz": gettext_lazy("Class quiz passed"),
    "notes": gettext_lazy("Study notes submitted"),
    "trip": gettext_lazy("Trip report accepted"),
    "evaluation": gettext_lazy("Teaching evaluation (评教) submitted"),
}


@dataclasses.dataclass(frozen=True)
class EffectiveRules:
    """The rules in force for one class: its own choices over the school defaults."""

    design: str
    mode_label: str
    require_attendance: bool
    attendance_threshold: Decimal
    enforce_leave_cap: bool
    require_lessons: bool
    require_quiz: bool
    min_notes: int
    require_trip_report: bool

    @property
    def design_label(self) -> str:
        """The design's name as staff read it."""
        return Design(self.design).label


@dataclasses.dataclass(frozen=True)
class RuleResult:
    code: str
    status: str
    reason: str

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self.code])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def passes(self) -> bool:
        return self.status in (MET, NOT_APPLICABLE)


@dataclasses.dataclass(frozen=True)
class LearnerCompletion:
    person: object
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        return all(result.passes for result in self.results)

    @property
    def unmet(self) -> list[RuleResult]:
        return [result for result in self.results if not result.passes]


def _pick(own, default):
    return default if own is None or own == "" else own


def rules_for_class(*, training_class: TrainingClass) -> EffectiveRules:
    """The rules in force for a class: its own choices, else its training mode's, else the school's."""
    school = CertificateSettings.load()
    mode = ModeCompletionRules.for_mode(training_class.mode)
    own = ClassCertificateRules.objects.filter(training_class=training_class).first() or ClassCertificateRules()
    trip = _pick(own.require_trip_report, mode.require_trip_report)
    return EffectiveRules(
        design=_pick(own.design, school.design) or Design.LANDSCAPE,
        mode_label=str(TrainingMode(training_class.mode).label),
        require_attendance=mode.require_attendance or own.attendance_threshold is not None,
        attendance_threshold=_pick(own.attendance_threshold, school.attendance_threshold),
        enforce_leave_cap=_pick(own.enforce_leave_cap, mode.enforce_leave_cap),
        require_lessons=_pick(own.require_lessons, mode.require_lessons),
        require_quiz=_pick(own.require_quiz, mode.require_quiz),
        min_notes=_pick(own.min_notes, mode.min_notes),
        require_trip_report=trip == TripRule.YES
        or (trip == TripRule.AUTO and providers.class_has_trip(training_class=training_class)),
    )


def _percent(rate) -> str:
    return f"{Decimal(rate) * 100:.0f}%"


def _attendance(stats_map, person, rules) -> RuleResult:
    if not rules.require_attendance:
        return RuleResult("attendance", NOT_APPLICABLE, _("Classes of this training mode are not completed by "
                                                          "attendance."))
    if stats_map is None:
        return RuleResult("attendance", UNAVAILABLE, _("Attendance records are not available yet."))
    stats = stats_map.get(person.pk)
    if stats is None or not stats.sessions_held:
        return RuleResult("attendance", NOT_MET, _("No held session has been recorded for this learner."))
    reason = _("Attended %(attended)s of %(held)s sessions (%(rate)s); %(required)s required.") % {
        "attended": stats.attended, "held": stats.sessions_held,
        "rate": _percent(stats.attendance_rate), "required": _percent(rules.attendance_threshold),
    }
    return RuleResult("attendance", MET if stats.attendance_rate >= rules.attendance_threshold else NOT_MET, reason)


def _leave(stats_map, person, rules) -> RuleResult:
    if not rules.enforce_leave_cap:
        return RuleResult("leave", NOT_APPLICABLE, _("This class does not limit leave."))
    if stats_map is None:
        return RuleResult("leave", UNAVAILABLE, _("Attendance records are not available yet."))
    stats = stats_map.get(person.pk)
    if stats is None:
        return RuleResult("leave", NOT_MET, _("No held session has been recorded for this learner."))
    reason = _("%(leave)s hours of leave; at most %(cap)s allowed.") % {
        "leave": stats.leave_hours, "cap": stats.leave_cap_hours,
    }
    return RuleResult("leave", NOT_MET if stats.over_leave_cap else MET, reason)


@dataclasses.dataclass(frozen=True)
class LessonRecords:
    """What decides whether a required lesson is done: its video watched, or (no video) its page read."""

    watched: object  # lesson_watched(*, user, lesson) -> bool, or None when videos are not available
    reads: set | None  # (user id, lesson pk) of lessons opened, or None when reads are not available
    with_video: set | None  # pks of the lessons that have a playable video, or None when not known


def _titles(lessons) -> str:
    titles = [lesson.title for lesson in lessons]
    return "、".join(titles[:3]) + ("…" if len(titles) > 3 else "")


def _lessons(records, lessons, person, rules) -> RuleResult:
    if not rules.require_lessons or not lessons:
        return RuleResult("lessons", NOT_APPLICABLE, _("The class has no required lessons to check."))
    if records.reads is None or records.with_video is None:
        return RuleResult("lessons", UNAVAILABLE, _("Lesson viewing records are not available yet."))
    video = [lesson for lesson in lessons if lesson.pk in records.with_video]
    reading = [lesson for lesson in lessons if lesson.pk not in records.with_video]
    if video and records.watched is None:
        return RuleResult("lessons", UNAVAILABLE, _("Lesson viewing records are not available yet."))
    if person.user_id is None:
        return RuleResult("lessons", NOT_MET, _("The learner has no account, so no lesson was watched."))
    not_watched = [lesson for lesson in video if not records.watched(user=person.user, lesson=lesson)]
    not_read = [lesson for lesson in reading if (person.user_id, lesson.pk) not in records.reads]
    if not_watched or not_read:
        parts = []
        if not_watched:
            parts.append(_("not watched: %(titles)s") % {"titles": _titles(not_watched)})
        if not_read:
            parts.append(_("not read: %(titles)s") % {"titles": _titles(not_read)})
        return RuleResult(
            "lessons", NOT_MET,
            _("%(n)s of %(total)s required lessons not finished: %(titles)s") % {
                "n": len(not_watched) + len(not_read), "total": len(lessons), "titles": "；".join(parts),
            },
        )
    return RuleResult("lessons", MET, _("All %(total)s required lessons finished.") % {"total": len(lessons)})


def _quiz(passed, quiz, person, rules) -> RuleResult:
    if not rules.require_quiz or quiz is None:
        return RuleResult("quiz", NOT_APPLICABLE, _("The class has no quiz."))
    if passed is None:
        return RuleResult("quiz", UNAVAILABLE, _("Quiz results are not available yet."))
    subject = person.user if person.user_id else person
    if passed(person_or_user=subject, quiz=quiz):
        return RuleResult("quiz", MET, _("Passed “%(quiz)s”.") % {"quiz": quiz.title})
    return RuleResult("quiz", NOT_MET, _("Has not passed “%(quiz)s”.") % {"quiz": quiz.title})


def _notes(counts, person, rules) -> RuleResult:
    if not rules.min_notes:
        return RuleResult("notes", NOT_APPLICABLE, _("This class requires no study notes."))
    if counts is None:
        return RuleResult("notes", UNAVAILABLE, _("Study notes are not available yet."))
    count = counts.get(person.pk, 0)
    reason = _("%(count)s study notes submitted; %(required)s required.") % {
        "count": count, "required": rules.min_notes,
    }
    return RuleResult("notes", MET if count >= rules.min_notes else NOT_MET, reason)


def _trip(reports, person, rules) -> RuleResult:
    if not rules.require_trip_report:
        return RuleResult("trip", NOT_APPLICABLE, _("This class has no field-study trip."))
    if reports is None:
        return RuleResult("trip", UNAVAILABLE, _("Trip reports are not available yet."))
    if reports.get(person.pk):
        return RuleResult("trip", MET, _("Trip report submitted and accepted."))
    return RuleResult("trip", NOT_MET, _("No accepted trip report."))


def _evaluation(evaluated, person) -> RuleResult:
    if evaluated is None:
        return RuleResult("evaluation", NOT_APPLICABLE, _("This class does not require 评教."))
    if person.pk in evaluated:
        return RuleResult("evaluation", MET, _("The end-of-class evaluation was submitted."))
    return RuleResult("evaluation", NOT_MET, _("Has not rated the class (评教) yet."))


def learners_of_class(*, training_class: TrainingClass) -> list:
    """The enrolled (not withdrawn or waitlisted) learners of a class, by name."""
    from lms.people.models import Person

    return list(
        Person.objects.filter(
            enrolments__training_class=training_class, enrolments__status=Enrolment.Status.ENROLLED
        ).select_related("user", "village__township").order_by("name", "pk")
    )


def completion_for_class(*, training_class: TrainingClass, people: list | None = None) -> list[LearnerCompletion]:
    """Every enrolled learner's rule results for a class."""
    rules = rules_for_class(training_class=training_class)
    people = learners_of_class(training_class=training_class) if people is None else people
    stats_map = providers.attendance_stats(training_class=training_class)
    counts = providers.note_counts(training_class=training_class) if rules.min_notes else {}
    reports = providers.trip_reports(training_class=training_class) if rules.require_trip_report else {}
    lessons = providers.required_lessons(training_class=training_class) if rules.require_lessons else []
    records = LessonRecords(
        watched=providers.lesson_watched_function() if lessons else None,
        reads=providers.lesson_reads(lessons=lessons, people=people) if lessons else None,
        with_video=providers.lessons_with_video(lessons=lessons) if lessons else None,
    )
    quiz = providers.class_quiz(training_class=training_class) if rules.require_quiz else None
    passed = providers.quiz_passed_function() if quiz is not None else None
    evaluated = (evaluations_api.people_who_evaluated(training_class=training_class)
                 if evaluations_api.evaluation_required(training_class=training_class) else None)
    return [
        LearnerCompletion(
            person=person,
            results=(
                _attendance(stats_map, person, rules),
                _leave(stats_map, person, rules),
                _lessons(records, lessons, person, rules),
                _quiz(passed, quiz, person, rules),
                _notes(counts, person, rules),
                _trip(reports, person, rules),
                _evaluation(evaluated, person),
            ),
        )
        for person in people
    ]
