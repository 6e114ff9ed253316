"""Template tags for the learner home's certificate panel."""

from django import template

from lms.certificates.selectors import certificates_of_user

register = template.Library()

PANEL_LIMIT = 5


@register.simple_tag(takes_context=True)
def my_certificates(context, limit: int = PANEL_LIMIT):
    """The signed-in learner's newest certificates (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        return []
    return list(certificates_of_user(user=user)[:limit])
