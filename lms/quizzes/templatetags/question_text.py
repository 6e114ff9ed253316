"""{{ text|rich }}: question text, options and feedback, sanitised HTML when imported rich, else plain text."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe

from ..importers.textformat import looks_like_html, sanitise

register = template.Library()


@register.filter
def rich(value) -> str:
    """Rich text through the sanitiser again (never trust stored HTML); plain text escaped with line breaks."""
    value = str(value or "")
    if looks_like_html(value):
        return mark_safe(sanitise(value))  # noqa: S308 - nh3 allow-list output
    return linebreaksbr(value, autoescape=True)
