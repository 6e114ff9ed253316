"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from .bundles import certificate_bundle_build
from .services import certificate_batch_run


@shared_task(acks_late=True)
def issue_class_certificates(batch_id: int) -> int:
    """Issue the certificates of one issue run; returns how many the class now has for eligible learners."""
    return certificate_batch_run(batch_id=batch_id).done


@shared_task(acks_late=True)
def build_certificate_bundle(bundle_id: int) -> int:
    """Build one certificate bundle's zip; returns how many certificates it holds."""
    return certificate_bundle_build(bundle_id=bundle_id).done
