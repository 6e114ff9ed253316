"""Background jobs of the videos app: thin wrappers around services."""

from celery import shared_task

from . import services
from .errors import FailureReason, TransientError

MAX_RETRIES = 3


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def video_process_task(self, video_id: int, force: bool = False) -> None:
    """Process one video; passing problems are retried a few times, bad files fail at once."""
    try:
        services.video_process(video_id=video_id, force=force)
    except TransientError as error:
        if self.request.retries >= self.max_retries:
            services.video_mark_failed(video_id=video_id, reason=FailureReason.ERROR, detail=str(error))
            return
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries)


@shared_task(name="videos.requeue_stalled")
def videos_requeue_stalled() -> list[int]:
    """The watchdog: send again the videos whose job stopped giving signs of life (schedule it every minute)."""
    return services.videos_requeue_stalled()
