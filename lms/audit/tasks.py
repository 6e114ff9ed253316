"""Thin Celery tasks of the audit log."""

from celery import shared_task


@shared_task(name="audit.purge_expired_entries")
def purge_expired_entries() -> int:
    """Delete audit entries past the retention period (scheduled daily)."""
    from .retention import audit_entries_purge

    return audit_entries_purge()
