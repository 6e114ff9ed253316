"""Who may do what with training money."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lms.accounts.roles import BUDGET_OFFICER, ORGANISER, STAFF, user_has_role


def is_officer(user) -> bool:
    """Budget officers (and superusers) approve, refuse and pay."""
    return user.is_authenticated and (user.is_superuser or user_has_role(user, BUDGET_OFFICER))


def sees_county_budget(user) -> bool:
    """Officers and Party school staff read the whole county's budget."""
    return is_officer(user) or (user.is_authenticated and user_has_role(user, STAFF))


def organiser_township_id(user) -> int | None:
    """The one township an organiser reads, or None for anyone else."""
    if user.is_authenticated and not sees_county_budget(user) and user_has_role(user, ORGANISER):
        return user.township_id or 0
    return None


def sees_budget_reports(user) -> bool:
    """Officers, staff and township organisers reach the dashboard and reports."""
    return sees_county_budget(user) or organiser_township_id(user) is not None


def require_officer(user) -> None:
    """Refuse anyone who is not a budget officer."""
    if not is_officer(user):
        raise PermissionDenied(_("Only a budget officer may do this."))
