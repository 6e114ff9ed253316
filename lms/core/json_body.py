"""JSON request bodies read with limits on size and nesting, so no body can exhaust memory or recursion."""

import json

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 64 * 1024
MAX_DEPTH = 6


class JSONBodyError(ValueError):
    """The body is not acceptable JSON; the message is for the user."""


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counted without parsing (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def load_json(body: bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH, empty=None):
    """Parse a request body; raise JSONBodyError when too large, too deep, not UTF-8 or not JSON."""
    if not body:
        return empty
    if len(body) > max_bytes:
        raise JSONBodyError(_("The data sent is too large."))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JSONBodyError(_("The data sent is not readable.")) from exc
    if _depth(text) > max_depth:
        raise JSONBodyError(_("The data sent is nested too deeply."))
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise JSONBodyError(_("The data sent is not readable.")) from exc


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")
