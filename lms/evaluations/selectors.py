"""Reads of 评教: results per teacher, per topic and per class, never with a learner's name."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from lms.classes.models import ATTENDED, Attendance, Enrolment, Session, TrainingClass

from .models import INDICATORS, Evaluation

TWO = Decimal("0.01")
CODES = [code for code, _label in INDICATORS]


def class_has_ended(*, training_class: TrainingClass, today=None) -> bool:
    """The end-of-class evaluation opens on the class's last day."""
    today = today or timezone.localdate()
    return training_class.state == TrainingClass.State.CLOSED or today >= training_class.ends_on


def low_score() -> Decimal:
    """An average below this (on the 1–4 scale) flags a teacher (setting EVALUATION_LOW_SCORE)."""
    return Decimal(str(settings.EVALUATION_LOW_SCORE))


def min_responses() -> int:
    """Fewer ratings than this are neither flagged nor shown to the teacher (setting EVALUATION_MIN_RESPONSES)."""
    return int(settings.EVALUATION_MIN_RESPONSES)


@dataclass(frozen=True)
class ResultRow:
    """Averages of one group of ratings (a teacher, a topic, a class)."""

    key: object
    label: str
    responses: int
    averages: dict[str, Decimal]
    overall: Decimal

    @property
    def flagged(self) -> bool:
        return self.responses >= min_responses() and self.overall < low_score()

    @property
    def percent(self) -> int:
        """The overall average as a share of the best score, for bars."""
        return int(self.overall / 4 * 100)

    def indicator_values(self) -> list[Decimal]:
        return [self.averages[code] for code in CODES]


def _q(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(TWO, ROUND_HALF_UP)


def _rows(qs: QuerySet, key: str, label: str) -> list[ResultRow]:
    grouped = qs.values(key, label).annotate(n=Count("pk"), **{f"a_{c}": Avg(c) for c in CODES}).order_by(label)
    out = []
    for g in grouped:
        averages = {c: _q(g[f"a_{c}"]) for c in CODES}
        overall = _q(sum(averages.values()) / len(CODES))
        out.append(ResultRow(key=g[key], label=g[label] or "", responses=g["n"], averages=averages, overall=overall))
    return out


def evaluations_in(*, classes: QuerySet[TrainingClass], year: int | None = None) -> QuerySet[Evaluation]:
    """Evaluations of the given classes, optionally of one year."""
    qs = Evaluation.objects.filter(training_class__in=classes)
    return qs if year is None else qs.filter(training_class__year=year)


def results_by_teacher(*, evaluations: QuerySet[Evaluation]) -> list[ResultRow]:
    """Averages per teacher over the session ratings."""
    return _rows(evaluations.filter(teacher__isnull=False), "teacher_id", "teacher__name")


def results_by_topic(*, evaluations: QuerySet[Evaluation]) -> list[ResultRow]:
    """Averages per session topic (专题), the course as learners meet it."""
    return _rows(evaluations.filter(session__isnull=False), "session__topic", "session__topic")


def results_by_class(*, evaluations: QuerySet[Evaluation]) -> list[ResultRow]:
    """Averages of the end-of-class ratings per class."""
    return _rows(evaluations.filter(session__isnull=True), "training_class_id", "training_class__name")


def results_by_session(*, evaluations: QuerySet[Evaluation]) -> list[ResultRow]:
    """Averages per session of a class."""
    return _rows(evaluations.filter(session__isnull=False), "session_id", "session__topic")


def comments(*, evaluations: QuerySet[Evaluation], limit: int = 50) -> list[dict]:
    """The latest comments with what they were about, without who wrote them."""
    return list(evaluations.exclude(comment="").values(
        "comment", "created_at", "session__topic", "teacher__name", "training_class__name")[:limit])


def pending_for_person(*, person, limit: int = 30) -> tuple[list[Session], list[TrainingClass]]:
    """Sessions the learner attended and has not rated, and ended classes not yet rated as a whole."""
    rated = set(Evaluation.objects.filter(person=person, session__isnull=False).values_list("session_id", flat=True))
    attended = (Attendance.objects.filter(person=person, status__in=ATTENDED,
                                          session__training_class__enrolments__person=person,
                                          session__training_class__enrolments__status=Enrolment.Status.ENROLLED)
                .exclude(session__state=Session.State.CANCELLED).exclude(session_id__in=rated)
                .select_related("session__training_class", "session__teacher").order_by("-session__date"))
    sessions = [a.session for a in attended[:limit]]
    done = set(Evaluation.objects.filter(person=person, session__isnull=True).values_list("training_class_id",
                                                                                          flat=True))
    classes = [tc for tc in TrainingClass.objects.filter(enrolments__person=person,
                                                         enrolments__status=Enrolment.Status.ENROLLED)
               .exclude(pk__in=done).order_by("-ends_on")[:limit] if class_has_ended(training_class=tc)]
    return sessions, classes
