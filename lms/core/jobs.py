"""Sending background jobs so that none is lost: after commit, and a broker outage only delays them.

The job's own row is the outbox: it stays "waiting" with its heartbeat until a worker takes it, and the
watchdog (Celery beat, lms.core.tasks.jobs_watchdog) sends again every waiting or running job whose
heartbeat stopped, e.g. because the broker was down when it was saved or a worker died under it.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_STALE_AFTER_SECONDS = 600


@dataclass
class Dispatch:
    """Whether a job queued in this request reached the broker (None until the transaction commits)."""

    sent: bool | None = None
    error: str = ""


def stale_after() -> timedelta:
    """How long a job may go without a heartbeat before the watchdog sends it again."""
    return timedelta(seconds=getattr(settings, "JOBS_STALE_AFTER_SECONDS", DEFAULT_STALE_AFTER_SECONDS))


def stale_before(*, now=None):
    """Heartbeats older than this moment are stale."""
    return (now or timezone.now()) - stale_after()


def job_send(task, *args) -> Dispatch:
    """Send a task now; a broker that does not answer is logged, not raised (the watchdog sends it later)."""
    dispatch = Dispatch()
    try:
        task.apply_async(args=args, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: the row stays waiting for the watchdog
        logger.warning("could not send %s%r, the watchdog will send it again: %s", task.name, args, error)
        dispatch.sent, dispatch.error = False, str(error)
    else:
        dispatch.sent = True
    return dispatch


def job_send_on_commit(task, *args) -> Dispatch:
    """Send a task once the current transaction commits; returns the Dispatch filled in at that moment."""
    dispatch = Dispatch()

    def send():
        result = job_send(task, *args)
        dispatch.sent, dispatch.error = result.sent, result.error

    transaction.on_commit(send)
    return dispatch
