"""Top-bar helpers: each role's own start page, and whether to show the learner's links."""

from django import template

from lms.accounts import landing

register = template.Library()


@register.filter
def landing_url(user) -> str:
    """The user's start page."""
    return landing.landing_url(user)


@register.filter
def learns(user) -> bool:
    """Whether to show 我的学习 and 我的."""
    return landing.learns(user)
