"""The audit log as an Excel workbook, for an inspector to take away."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors import entry_action_label, entry_actor_name, entry_changes, entry_channel_label

MAX_EXPORT_ROWS = 100_000


def audit_workbook(*, entries) -> bytes:
    """One row per change of a field (one per entry when nothing changed), newest first."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit log"))
    sheet.append([
        _("Time"), _("Who"), _("Role"), _("Action"), _("Object type"), _("Object"), _("Object id"),
        _("Field"), _("Before"), _("After"), _("Path"), _("Address"),
    ])
    for entry in entries.iterator(chunk_size=2000) if hasattr(entries, "iterator") else entries:
        extra = entry.additional_data or {}
        head = [
            timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            entry_actor_name(entry), extra.get("role", ""), entry_action_label(entry),
            str(entry.content_type.model_class()._meta.verbose_name) if entry.content_type.model_class() else "",
            entry.object_repr, entry.object_pk,
        ]
        tail = [entry_channel_label(entry), entry.remote_addr or ""]
        changes = entry_changes(entry) or [("", "", "")]
        for field, before, after in changes:
            sheet.append([*head, field, before, after, *tail])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
