"""Entries are stamped with their origin when written and can be neither changed nor deleted.

The only deletion the application performs is the retention purge (see retention.py), which opens
`purge_allowed()` around its own query.
"""

import contextlib
from contextvars import ContextVar

from auditlog.models import LogEntry
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from .context import current, role_label

_purging: ContextVar[bool] = ContextVar("lms_audit_purging", default=False)


class AuditEntryImmutable(Exception):
    """Raised when code tries to change or delete an audit entry."""


@contextlib.contextmanager
def purge_allowed():
    """Let the retention purge delete entries older than the retention period."""
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


def _actor(ctx):
    actor = ctx.actor
    if hasattr(actor, "resolve"):
        actor = actor.resolve()
    return actor


def stamp_or_refuse(sender, instance: LogEntry, **kwargs) -> None:
    """A new entry gets who/role/where/path; an existing one may not be saved again.

    Raw saves (loaddata restoring a backup, test fixtures) load entries as they were and are let through.
    """
    if kwargs.get("raw"):
        return
    if instance.pk is not None:
        raise AuditEntryImmutable(_("Audit entries cannot be changed."))
    ctx = current()
    actor = instance.actor or _actor(ctx)
    if instance.actor_id is None and actor is not None:
        instance.actor = actor
    if not instance.remote_addr:
        instance.remote_addr = ctx.remote_addr
    extra = dict(instance.additional_data or {})
    extra.setdefault("channel", ctx.channel)
    extra.setdefault("role", role_label(actor))
    if ctx.path:
        extra.setdefault("path", ctx.path)
    instance.additional_data = extra


def refuse_delete(sender, instance: LogEntry, **kwargs) -> None:
    """Only the retention purge deletes entries."""
    if not _purging.get():
        raise AuditEntryImmutable(_("Audit entries cannot be deleted."))


def connect() -> None:
    """Install the guards on the audit log model."""
    pre_save.connect(stamp_or_refuse, sender=LogEntry, dispatch_uid="lms_audit_stamp")
    pre_delete.connect(refuse_delete, sender=LogEntry, dispatch_uid="lms_audit_refuse_delete")
