"""Probes of the Celery broker and workers for the health page."""

from django.conf import settings
from django.utils.translation import gettext as _

from lms.celery import app
from lms.certificates import api as certificates_api
from lms.videos import api as videos_api


def broker_status() -> dict:
    """Whether the broker accepts a connection."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": _("Tasks run in-process (eager mode)")}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
        return {"ok": True, "detail": str(transport)}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "detail": _("Broker unreachable: %(error)s") % {"error": exc}}


def worker_status(timeout: float = 2.0) -> dict:
    """Whether at least one worker answers a ping."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": _("Tasks run in-process (eager mode)"), "workers": []}
    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "detail": _("Could not ask the workers: %(error)s") % {"error": exc}, "workers": []}
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return {"ok": False, "detail": _("No worker answered"), "workers": []}
    return {"ok": True, "detail": _("%(count)d worker(s) answered") % {"count": len(names)}, "workers": names}


def jobs_status() -> dict:
    """Background jobs waiting or running without a heartbeat (the watchdog sends them again)."""
    videos, batches = videos_api.jobs_stalled_count(), certificates_api.jobs_stalled_count()
    if not videos and not batches:
        return {"ok": True, "detail": _("No job is stuck"), "stuck": {"videos": 0, "certificate_batches": 0}}
    return {"ok": False, "stuck": {"videos": videos, "certificate_batches": batches},
            "detail": _("Stuck jobs: %(videos)d video(s), %(batches)d certificate batch(es); the watchdog "
                        "sends them again every minute while the broker and a worker answer.")
            % {"videos": videos, "batches": batches}}
