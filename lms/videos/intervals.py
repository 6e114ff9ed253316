"""Pure arithmetic of watched intervals: merging, coverage and how much a report may claim."""

import math
from collections.abc import Iterable

Interval = tuple[float, float]

MAX_SPEED = 2.0  # Playing faster than this does not count as watching.
REPORT_SLACK_SECONDS = 5.0  # Timer jitter between the page's clock and ours.
MAX_REPORT_WINDOW_SECONDS = 300.0  # A long pause cannot bank watching time for later.
WATCHED_FRACTION = 0.95


def clean_intervals(raw: Iterable, *, duration: float) -> list[Interval]:
    """Keep well-formed [start, end] pairs, clipped to the video; drop everything else."""
    cleaned = []
    for item in raw or []:
        try:
            start, end = float(item[0]), float(item[1])
        except (TypeError, ValueError, IndexError, KeyError, OverflowError):
            continue
        if not (math.isfinite(start) and math.isfinite(end)):
            continue
        start, end = max(0.0, start), min(duration, end)
        if end > start:
            cleaned.append((start, end))
    return cleaned


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering exactly the union of the given ones."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def covered_seconds(intervals: Iterable[Interval]) -> float:
    """Seconds covered by the union of the intervals."""
    return sum(end - start for start, end in merge_intervals(intervals))


def report_budget(elapsed_seconds: float | None) -> float:
    """Most seconds of video a report may add, given the wall-clock time since the previous report."""
    elapsed = 0.0 if elapsed_seconds is None else max(0.0, min(elapsed_seconds, MAX_REPORT_WINDOW_SECONDS))
    return elapsed * MAX_SPEED + REPORT_SLACK_SECONDS


def limit_to_budget(intervals: list[Interval], *, budget: float) -> list[Interval]:
    """Keep reported intervals, in order, until their total length reaches the budget."""
    kept, left = [], budget
    for start, end in intervals:
        if left <= 0:
            break
        end = min(end, start + left)
        kept.append((start, end))
        left -= end - start
    return kept


def is_watched(watched_seconds: float, duration: float | None) -> bool:
    """A video counts as watched once 95% of its length has actually been played."""
    return bool(duration) and watched_seconds >= WATCHED_FRACTION * duration - 1e-6
