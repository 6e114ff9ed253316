"""Reads of the audit log for the audit page and its export."""

import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lms.accounts.roles import STAFF, user_has_role
from lms.budget.access import is_officer

from .context import CHANNEL_LABELS
from .sign_ins import SIGN_IN_FAILED, SIGNED_IN, SIGNED_OUT
from .tracked import tracked_models

# Actions the page filters on: auditlog's four, with sign-in events told apart.
ACTION_LABELS = {
    "create": _("Created"),
    "update": _("Changed"),
    "delete": _("Deleted"),
    SIGNED_IN: _("Signed in"),
    SIGNED_OUT: _("Signed out"),
    SIGN_IN_FAILED: _("Failed sign-in"),
}
_ACTION_CODES = {"create": LogEntry.Action.CREATE, "update": LogEntry.Action.UPDATE, "delete": LogEntry.Action.DELETE}


def may_read_audit_log(user) -> bool:
    """Budget officers and Party school staff read the audit log."""
    return user.is_authenticated and (is_officer(user) or user_has_role(user, STAFF))


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page is narrowed to; every field optional."""

    person: str = ""
    model: str = ""
    object_id: str = ""
    action: str = ""
    channel: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def model_choices() -> list[tuple[str, str]]:
    """The tracked models as (app_label.model, Chinese name) for the object filter."""
    return [(f"{m._meta.app_label}.{m._meta.model_name}", str(m._meta.verbose_name)) for m in tracked_models()]


def audit_entries(*, filters: AuditFilters) -> QuerySet[LogEntry]:
    """Entries matching the filters, newest first, with actor and object type loaded."""
    qs = LogEntry.objects.select_related("actor", "content_type", "actor__person").order_by("-timestamp", "-pk")
    if filters.person:
        term = filters.person.strip()
        qs = qs.filter(
            Q(actor__username=term) | Q(actor__person__name=term) | Q(actor__first_name=term)
            | Q(object_repr=term, content_type__model__in=["user", "person"])
        )
    if filters.model and "." in filters.model:
        app_label, model = filters.model.split(".", 1)
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        qs = qs.filter(content_type=content_type) if content_type else qs.none()
    if filters.object_id:
        qs = qs.filter(object_pk=filters.object_id.strip())
    if filters.action in _ACTION_CODES:
        qs = qs.filter(action=_ACTION_CODES[filters.action])
    elif filters.action in ACTION_LABELS:
        qs = qs.filter(action=LogEntry.Action.ACCESS, additional_data__event=filters.action)
    if filters.channel in CHANNEL_LABELS:
        qs = qs.filter(additional_data__channel=filters.channel)
    if filters.date_from:
        qs = qs.filter(timestamp__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(timestamp__date__lte=filters.date_to)
    return qs


def entry_action_label(entry: LogEntry) -> str:
    """The entry's action in Chinese."""
    if entry.action == LogEntry.Action.ACCESS:
        return str(ACTION_LABELS.get((entry.additional_data or {}).get("event"), _("Access")))
    code = {v: k for k, v in _ACTION_CODES.items()}.get(entry.action, "")
    return str(ACTION_LABELS.get(code, entry.get_action_display()))


def entry_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) for each changed field, with the fields' Chinese names."""
    changes = entry.changes_dict or {}
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for field_name, values in changes.items():
        label = field_name
        if model is not None:
            try:
                label = str(model._meta.get_field(field_name).verbose_name)
            except Exception:  # noqa: BLE001 - a field removed since the entry was written
                label = field_name
        if isinstance(values, dict):  # m2m changes: {"type": "add", "objects": [...]}
            rows.append((label, values.get("operation", ""), "、".join(str(o) for o in values.get("objects", []))))
        else:
            before, after = (list(values) + ["", ""])[:2]
            rows.append((label, "" if before in (None, "None") else str(before),
                         "" if after in (None, "None") else str(after)))
    return rows


def entry_actor_name(entry: LogEntry) -> str:
    """Who acted: the person's name and sign-in name, or the system."""
    if entry.actor is None:
        return str(_("System")) if (entry.additional_data or {}).get("channel") in ("task", "command") else ""
    return f"{entry.actor.display_name()}（{entry.actor.username}）"


def entry_channel_label(entry: LogEntry) -> str:
    """The path the change came through, in Chinese."""
    return str(CHANNEL_LABELS.get((entry.additional_data or {}).get("channel", ""), ""))
