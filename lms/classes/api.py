"""What other apps may ask of the classes app."""

from django.db.models import Q, QuerySet

from .models import Enrolment, TrainingClass


def classes_for_choice() -> QuerySet[TrainingClass]:
    """Every training class, newest first, for a selection list."""
    return TrainingClass.objects.order_by("-year", "-starts_on", "name")


def enrolled_in(training_class: TrainingClass) -> Q:
    """A filter on cadres: those enrolled (not withdrawn, not waiting) in the class."""
    return Q(enrolments__training_class=training_class, enrolments__status=Enrolment.Status.ENROLLED)
