"""Turn imported HTML into the plain text the bank stores."""

import html
import re

from django.utils.html import strip_tags

_BREAKS = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/h[1-6])\s*>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """Keep line breaks and characters, drop tags and scripts, so imported questions are safe to show."""
    value = re.sub(r"<(script|style)\b.*?</\1\s*>", "", value, flags=re.IGNORECASE | re.DOTALL)
    value = _BREAKS.sub("\n", value)
    text = html.unescape(strip_tags(value))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()
