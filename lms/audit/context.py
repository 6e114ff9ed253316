"""Who is acting, in which role, from where and through which path: stamped on every audit entry."""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lms.accounts.roles import ROLE_NAMES

# The paths a change can come through, stored as codes and shown in Chinese.
ADMIN = "admin"
PORTAL = "portal"
API = "api"
IMPORT = "import"
TASK = "task"
COMMAND = "command"
CHANNEL_LABELS = {
    ADMIN: _("Admin"),
    PORTAL: _("Portal"),
    API: _("API"),
    IMPORT: _("Import"),
    TASK: _("Background task"),
    COMMAND: _("Command line"),
}


@dataclass(frozen=True)
class AuditContext:
    """What every entry written while this context is active records about its origin."""

    actor: object | None = None
    channel: str = COMMAND
    remote_addr: str | None = None
    path: str = ""


_current: ContextVar[AuditContext | None] = ContextVar("lms_audit_context", default=None)


def current() -> AuditContext:
    """The active context; outside any request or task, the command line."""
    return _current.get() or AuditContext()


@contextlib.contextmanager
def audit_context(*, actor=None, channel: str, remote_addr: str | None = None, path: str = ""):
    """Attribute the changes made inside the block to this actor, path and address."""
    token = _current.set(AuditContext(actor=actor, channel=channel, remote_addr=remote_addr, path=path))
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def audit_channel(channel: str):
    """Keep the actor and address but record a more precise path (e.g. an import inside the admin)."""
    ctx = current()
    with audit_context(actor=ctx.actor, channel=channel, remote_addr=ctx.remote_addr, path=ctx.path):
        yield


def role_label(user) -> str:
    """The actor's roles as the Chinese group names, for the entry (kept even if roles change later)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if user.is_superuser:
        return "超级管理员"
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return "、".join(name for name in ROLE_NAMES.values() if name in names)
