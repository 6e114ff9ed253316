"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from . import services
from .bundles import certificate_bundle_build


@shared_task(acks_late=True, reject_on_worker_lost=True)
def issue_class_certificates(batch_id: int) -> int:
    """Issue the certificates of one issue run; returns how many the class now has for eligible learners."""
    return services.certificate_batch_run(batch_id=batch_id).done


@shared_task(name="certificates.requeue_stalled")
def batches_requeue_stalled() -> list[int]:
    """The watchdog: send again the issue runs whose job stopped giving signs of life (every minute)."""
    return services.batches_requeue_stalled()


@shared_task(acks_late=True)
def build_certificate_bundle(bundle_id: int) -> int:
    """Build one certificate bundle's zip; returns how many certificates it holds."""
    return certificate_bundle_build(bundle_id=bundle_id).done
