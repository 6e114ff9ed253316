"""Moodle's allowed grade fractions: an imported percentage must be one of them, as Moodle's importer demands."""

import math
from decimal import Decimal

_POSITIVE = ("1.0", "0.9", "0.8333333", "0.8", "0.75", "0.7", "0.6666667", "0.6", "0.5", "0.4", "0.3333333",
             "0.3", "0.25", "0.2", "0.1666667", "0.1428571", "0.125", "0.1111111", "0.1", "0.05")
# Percentages, as the bank stores weights.
ALLOWED_PERCENTAGES = sorted(
    {Decimal(f) * 100 for f in _POSITIVE} | {-Decimal(f) * 100 for f in _POSITIVE} | {Decimal(0)}
)
# Moodle compares fractions to within 0.00001, i.e. 0.001 percentage points.
_TOLERANCE = 0.001


def allowed_percentage(raw) -> Decimal | None:
    """The allowed percentage `raw` (text or number) stands for, or None when Moodle would refuse it."""
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value):
        return None
    for allowed in ALLOWED_PERCENTAGES:
        if abs(float(allowed) - value) < _TOLERANCE:
            return allowed.normalize() if allowed != allowed.to_integral() else allowed.quantize(Decimal(1))
    return None


def allowed_list() -> str:
    """The positive allowed percentages, for an error message."""
    return "、".join(f"{p.normalize():f}%" for p in reversed(ALLOWED_PERCENTAGES) if p > 0)
