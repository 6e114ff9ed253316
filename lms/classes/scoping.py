"""Who may see which classes: thin names kept for the views; the rules live in lms.accounts.scope."""

from django.db.models import QuerySet

from lms.accounts import scope

from .models import TrainingClass


def is_school_staff(user) -> bool:
    """Party school staff (or a superuser): may change classes and attendance."""
    return scope.scope_for(user).staff


def classes_visible_to(*, user) -> QuerySet[TrainingClass]:
    """Classes a staff member or organiser may see; other rows are 404."""
    return scope.classes(user)


def named_township_id(*, user) -> int | None:
    """The township whose learners a user may see named in a class's lists (None: everyone's)."""
    return None if is_school_staff(user) else scope.scope_for(user).township_id
