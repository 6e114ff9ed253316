"""Watch-interval arithmetic, property-tested: overlaps, seeks, speed, and skipping to the end."""

from hypothesis import given
from hypothesis import strategies as st

from lms.videos import intervals as iv

pairs = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=30)


def _as_intervals(raw):
    return [(float(min(a, b)), float(max(a, b))) for a, b in raw]


def _seconds_covered_by_brute_force(intervals):
    return sum(1 for second in range(300) if any(s <= second < e for s, e in intervals))


@given(pairs)
def test_merging_gives_sorted_disjoint_intervals_covering_exactly_the_union(raw):
    intervals = _as_intervals(raw)
    merged = iv.merge_intervals(intervals)

    assert all(a < b for a, b in merged)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))
    assert iv.covered_seconds(merged) == _seconds_covered_by_brute_force(intervals)


@given(pairs, pairs)
def test_merging_in_any_order_or_twice_changes_nothing(first, second):
    a, b = _as_intervals(first), _as_intervals(second)

    assert iv.merge_intervals(a + b) == iv.merge_intervals(b + a)
    assert iv.merge_intervals(iv.merge_intervals(a) + b) == iv.merge_intervals(a + b)
    assert iv.merge_intervals(a + a) == iv.merge_intervals(a)


@given(st.lists(st.tuples(st.floats(allow_nan=True, allow_infinity=True), st.floats()), max_size=10),
       st.floats(1, 10_000))
def test_cleaning_keeps_only_finite_parts_inside_the_video(raw, duration):
    for start, end in iv.clean_intervals(raw, duration=duration):
        assert 0 <= start < end <= duration


def _simulate(*, duration, speed, report_every=10.0, seek_to=None, seek_at=None):
    """Play a video at a speed, reporting every few seconds of wall time; return the seconds the server keeps."""
    kept, position, clock, last_report = [], 0.0, 0.0, None
    kept_total = []
    # The page's first report (on play) carries nothing and starts the server's clock.
    last_report = clock
    while position < duration:
        if seek_at is not None and position >= seek_at:
            position, seek_at = seek_to, None
        step = min(report_every * speed, duration - position)
        played = [(position, position + step)]
        position += step
        clock += step / speed
        budget = iv.report_budget(clock - last_report)
        kept += iv.limit_to_budget(iv.clean_intervals(played, duration=duration), budget=budget)
        last_report = clock
        kept_total = iv.merge_intervals(kept)
    return iv.covered_seconds(kept_total)


@given(st.floats(60, 3600), st.floats(0.5, 2.0))
def test_playing_through_at_up_to_double_speed_counts_as_watched(duration, speed):
    assert iv.is_watched(_simulate(duration=duration, speed=speed), duration)


@given(st.floats(120, 3600), st.floats(3, 16))
def test_playing_much_faster_than_double_speed_does_not_count(duration, speed):
    assert not iv.is_watched(_simulate(duration=duration, speed=speed), duration)


@given(st.floats(120, 3600), st.floats(0, 0.5))
def test_skipping_to_the_end_does_not_count(duration, watched_share):
    seconds = _simulate(duration=duration, speed=1, seek_at=watched_share * duration, seek_to=duration - 3)
    assert not iv.is_watched(seconds, duration)


@given(st.floats(0, 1000))
def test_a_report_claiming_the_whole_video_at_once_is_cut_to_the_elapsed_time(elapsed):
    kept = iv.limit_to_budget([(0.0, 10_000.0)], budget=iv.report_budget(elapsed))
    assert iv.covered_seconds(kept) <= min(elapsed, iv.MAX_REPORT_WINDOW_SECONDS) * 2 + iv.REPORT_SLACK_SECONDS
