"""What other apps may ask of the certificates app."""

from . import selectors


def jobs_stalled_count() -> int:
    """How many issue runs are queued or running with a stopped heartbeat (shown on the health page)."""
    return selectors.batches_stalled().count()
