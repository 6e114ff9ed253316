"""What other apps may ask of the videos app."""

from . import selectors


def jobs_stalled_count() -> int:
    """How many videos wait or process with a stopped heartbeat (shown on the health page)."""
    return selectors.videos_stalled().count()
