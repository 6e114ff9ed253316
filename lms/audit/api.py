"""What other apps use of the audit log: bulk writes that are recorded, and the origin of changes."""

from .bulk import bulk_create_audited, bulk_update_audited, m2m_add_audited, update_audited
from .context import API, IMPORT, TASK, audit_channel, audit_context

__all__ = [
    "API", "IMPORT", "TASK", "audit_channel", "audit_context",
    "bulk_create_audited", "bulk_update_audited", "m2m_add_audited", "update_audited",
]
