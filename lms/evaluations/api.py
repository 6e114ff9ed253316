"""What other apps ask of 评教 (the certificates' completion rule)."""

from .models import Evaluation, EvaluationRequirement
from .selectors import class_has_ended

__all__ = ["class_has_ended", "class_rated", "evaluation_required", "people_who_evaluated", "rated_session_ids"]


def evaluation_required(*, training_class) -> bool:
    """Whether the class requires its end-of-class evaluation for completion."""
    return EvaluationRequirement.objects.filter(training_class=training_class, required=True).exists()


def people_who_evaluated(*, training_class) -> set[int]:
    """Ids of the learners who submitted the end-of-class evaluation of a class."""
    return set(Evaluation.objects.filter(training_class=training_class, session__isnull=True)
               .values_list("person_id", flat=True))


def rated_session_ids(*, person, training_class) -> set[int]:
    """Sessions of a class the learner has rated (for the learner's class page)."""
    return set(Evaluation.objects.filter(person=person, training_class=training_class, session__isnull=False)
               .values_list("session_id", flat=True))


def class_rated(*, person, training_class) -> bool:
    """Whether the learner has rated the class as a whole."""
    return Evaluation.objects.filter(person=person, training_class=training_class, session__isnull=True).exists()
