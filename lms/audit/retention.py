"""Audit entries are kept for AUDIT_RETENTION_DAYS (at least 180, as 等保 2.0 asks), then purged."""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.core.checks import Error, register
from django.utils import timezone

from .immutability import purge_allowed

MIN_RETENTION_DAYS = 180


def retention_days() -> int:
    """The configured retention, never below the legal minimum."""
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", 365)), MIN_RETENTION_DAYS)


def audit_entries_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete entries older than the retention period; return how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    with purge_allowed():
        deleted, _by_model = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted


@register()
def check_retention(app_configs, **kwargs):
    """Refuse to start with a retention shorter than 180 days."""
    days = int(getattr(settings, "AUDIT_RETENTION_DAYS", 365))
    if days < MIN_RETENTION_DAYS:
        return [Error(f"AUDIT_RETENTION_DAYS is {days}; it must be at least {MIN_RETENTION_DAYS}.", id="audit.E001")]
    return []
