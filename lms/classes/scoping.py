"""Who may see which classes: staff everything, organisers their township's, learners their own."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from lms.accounts.roles import STAFF, user_has_role
from lms.people.selectors import organiser_township_id

from .models import Enrolment, TrainingClass


def is_school_staff(user) -> bool:
    """Party school staff (or a superuser): may change classes and attendance."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, STAFF))


def classes_visible_to(*, user) -> QuerySet[TrainingClass]:
    """Classes a staff member or organiser may see; other rows are 404."""
    qs = TrainingClass.objects.select_related("organiser_township", "plan")
    if not user.is_authenticated:
        return qs.none()
    if is_school_staff(user):
        return qs
    township_id = organiser_township_id(user)
    if township_id is not None:
        has_enrolee = Enrolment.objects.filter(
            training_class=OuterRef("pk"), person__village__township_id=township_id
        )
        return qs.filter(Q(organiser_township_id=township_id) | Exists(has_enrolee))
    return qs.none()


def named_township_id(*, user) -> int | None:
    """The township whose learners a user may see named in a class's lists (None: everyone's)."""
    return None if is_school_staff(user) else organiser_township_id(user)
