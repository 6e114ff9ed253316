"""Typed text checked against its column before it is saved, so a long paste is refused with a message."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def bounded_text(value, *, max_length: int) -> str:
    """The stripped text, or ValidationError when it is longer than `max_length` characters."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if len(text) > max_length:
        raise ValidationError(
            _("The text is %(length)s characters long; at most %(max)s are allowed.")
            % {"length": len(text), "max": max_length})
    return text


def search_text(value, *, max_length: int = 100) -> str:
    """A typed search term without NUL characters (PostgreSQL refuses them), cut to a sane length."""
    text = value if isinstance(value, str) else ""
    return text.replace("\x00", "").strip()[:max_length]
