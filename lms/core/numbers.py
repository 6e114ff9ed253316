"""Whole numbers from query strings and forms, parsed one way everywhere.

`str.isdigit()` accepts "²" and int() then fails; int() accepts "１２", " 12 " and "1_000", and a 25-digit
number overflows SQLite's integer. These helpers take only ASCII digits within bounds, and give the
default (or None) for anything else, so no typed or crafted value reaches the database or raises.
"""

import re

from django.utils import timezone

MAX_ID = 2**31 - 1
"""The largest id any of the project's databases keeps in an integer column."""

MIN_YEAR, MAX_YEAR = 2000, 2100

_WHOLE = re.compile(r"-?[0-9]{1,12}")


def parse_int(value, *, default: int | None = None, minimum: int | None = None,
              maximum: int | None = None) -> int | None:
    """An ASCII whole number within [minimum, maximum], else `default`; never raises."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _WHOLE.fullmatch(value):
        number = int(value)
    else:
        return default
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return default
    return number


def parse_id(value, *, default: int | None = None) -> int | None:
    """A database id (1 to MAX_ID) from text, else `default`."""
    return parse_int(value, default=default, minimum=1, maximum=MAX_ID)


def parse_ids(values) -> list[int]:
    """The valid ids among several values, odd ones dropped."""
    ids = (parse_id(value) for value in values)
    return [i for i in ids if i is not None]


def parse_year(value, *, default: int | None = None) -> int:
    """A calendar year between 2000 and 2100, else `default` (this year when not given)."""
    year = parse_int(value, minimum=MIN_YEAR, maximum=MAX_YEAR)
    if year is not None:
        return year
    return default if default is not None else timezone.localdate().year
