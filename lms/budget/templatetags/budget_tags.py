"""Template helpers of the budget pages."""

from django import template

from lms.budget.access import is_officer, sees_budget_reports, sees_county_budget

register = template.Library()


@register.filter
def reads_budget_reports(user) -> bool:
    """Whether the user reaches the dashboard and audit."""
    return sees_budget_reports(user)


@register.filter
def is_budget_officer(user) -> bool:
    """Whether the user approves claims."""
    return is_officer(user)


@register.filter
def reads_county_budget(user) -> bool:
    """Whether the user reaches the county-wide pages (policies, class fees)."""
    return sees_county_budget(user)
