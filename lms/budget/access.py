"""Who may do what with training money."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lms.accounts.scope import scope_for


def is_officer(user) -> bool:
    """Budget officers (and superusers) approve, refuse and pay."""
    return scope_for(user).officer


def sees_county_budget(user) -> bool:
    """Officers and Party school staff read the whole county's budget (lms.accounts.scope)."""
    return scope_for(user).county_budget


def organiser_township_id(user) -> int | None:
    """The one township an organiser reads, or None for anyone else (lms.accounts.scope)."""
    return scope_for(user).township_id


def sees_budget_reports(user) -> bool:
    """Officers, staff and township organisers reach the dashboard and reports."""
    return scope_for(user).budget_reports


def require_officer(user) -> None:
    """Refuse anyone who is not a budget officer."""
    if not is_officer(user):
        raise PermissionDenied(_("Only a budget officer may do this."))
