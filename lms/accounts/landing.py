"""Where each role lands after signing in, and which top-bar links it sees."""

from django.urls import reverse

from .roles import BUDGET_OFFICER, LEARNER, ORGANISER, STAFF, is_learner_only, user_has_role


def landing_url(user) -> str:
    """The page a signed-in user starts on: the one that holds their daily work."""
    if not user.is_authenticated or is_learner_only(user):
        return reverse("portal:home")
    if user.is_superuser or user_has_role(user, STAFF):
        return reverse("wagtailadmin_home")
    if user_has_role(user, BUDGET_OFFICER):
        return reverse("budget:dashboard")
    if user_has_role(user, ORGANISER):
        return reverse("classes_admin:rollup")
    if user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    return reverse("portal:home")


def learns(user) -> bool:
    """Whether the user is a cadre with a learning page of their own (我的学习, 我的)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "person", None) is not None:
        return True
    return not user.is_superuser and user_has_role(user, LEARNER)
