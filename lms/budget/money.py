"""Money arithmetic: Decimal yuan to the fen, and splits that add up exactly."""

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value) -> Decimal:
    """Quantize a number to the fen, rounding half up (floats are refused)."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def split_by_weights(total: Decimal, weights: Sequence[int | Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights` by largest remainder, so the parts add up to the fen."""
    total = to_money(total)
    if total < 0:
        raise ValueError("only a non-negative total can be split")
    if not weights:
        return []
    weights = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    fen_total = int(total / FEN)
    exact = [Decimal(fen_total) * w / weight_sum for w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    left = fen_total - sum(floors)
    # Hand the leftover fen to the largest remainders; ties go to the earlier position,
    # which keeps the split deterministic for a given order of participants.
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * FEN for f in floors]


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` shares that differ by at most one fen and add up exactly."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    return split_by_weights(total, [1] * parts)
