"""Writes of 评教: a learner rates a session they attended, or their class once it has ended."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.classes.models import ATTENDED, Attendance, Enrolment, Session, TrainingClass
from lms.core.numbers import parse_int

from .models import INDICATORS, Evaluation, EvaluationRequirement
from .selectors import class_has_ended

COMMENT_MAX = 500


def clean_scores(raw: dict) -> dict[str, int]:
    """Five whole scores from 1 to 4, or a ValidationError naming every indicator left out or out of range."""
    scores, errors = {}, []
    for code, label in INDICATORS:
        value = parse_int(str(raw.get(code, "")).strip(), minimum=1, maximum=4)
        if value is None:
            errors.append(_("Rate “%(indicator)s” from 1 to 4.") % {"indicator": label})
        else:
            scores[code] = value
    if errors:
        raise ValidationError(errors)
    return scores


def _checked_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(_("The comment may have at most %(n)s characters.") % {"n": COMMENT_MAX})
    return comment


def _enrolled(training_class_id: int, person) -> None:
    if not Enrolment.objects.filter(training_class_id=training_class_id, person=person,
                                    status=Enrolment.Status.ENROLLED).exists():
        raise ValidationError(_("You are not enrolled in this class."))


def _save(**fields) -> Evaluation:
    try:
        with transaction.atomic():
            return Evaluation.objects.create(**fields)
    except IntegrityError:
        raise ValidationError(_("You have already rated this.")) from None


def evaluation_submit_session(*, session: Session, person, scores: dict, comment: str = "", now=None) -> Evaluation:
    """Rate a session the learner attended, once, after it started."""
    now = now or timezone.now()
    clean = clean_scores(scores)
    comment = _checked_comment(comment)
    _enrolled(session.training_class_id, person)
    if session.state == Session.State.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if now < session.starts():
        raise ValidationError(_("A session can be rated once it has started."))
    if not Attendance.objects.filter(session=session, person=person, status__in=ATTENDED).exists():
        raise ValidationError(_("You can rate only sessions you attended."))
    if Evaluation.objects.filter(session=session, person=person).exists():
        raise ValidationError(_("You have already rated this."))
    return _save(person=person, training_class_id=session.training_class_id, session=session,
                 teacher_id=session.teacher_id, comment=comment, **clean)


def evaluation_submit_class(*, training_class: TrainingClass, person, scores: dict, comment: str = "",
                            today=None) -> Evaluation:
    """Rate the whole class (its teaching and organisation), once, from its last day on."""
    clean = clean_scores(scores)
    comment = _checked_comment(comment)
    _enrolled(training_class.pk, person)
    if not class_has_ended(training_class=training_class, today=today):
        raise ValidationError(_("The class can be rated from its last day (%(date)s).")
                              % {"date": training_class.ends_on.isoformat()})
    if Evaluation.objects.filter(training_class=training_class, person=person, session__isnull=True).exists():
        raise ValidationError(_("You have already rated this."))
    return _save(person=person, training_class=training_class, session=None, teacher=None, comment=comment,
                 **clean)


def evaluation_requirement_set(*, training_class: TrainingClass, required: bool) -> EvaluationRequirement:
    """Staff decide whether the class's 评教 is needed for completion."""
    row, _created = EvaluationRequirement.objects.update_or_create(
        training_class=training_class, defaults={"required": required})
    return row
