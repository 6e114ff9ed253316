"""The models whose every change goes to the audit log, and which of their fields."""

from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.models import Group

# (app label, model, options for auditlog.register). Fields left out change on every page view
# (a learner's current question) or hold secrets; a changed password is still recorded, masked.
TRACKED = [
    ("budget", "LedgerEntry", {}),
    ("budget", "Claim", {}),
    ("budget", "ClaimEvent", {}),
    ("budget", "Account", {}),
    ("budget", "AllowancePolicy", {}),
    ("trips", "TripCost", {"m2m_fields": {"shared_by"}}),
    ("trips", "Share", {}),
    ("quizzes", "Attempt", {"exclude_fields": ["position"]}),
    ("quizzes", "AttemptItem", {
        "include_fields": ["score", "is_correct", "comment", "graded_by", "graded_at"],
    }),
    ("classes", "Attendance", {}),
    ("classes", "AttendanceCorrection", {}),
    ("classes", "LeaveRequest", {}),
    ("classes", "Enrolment", {}),
    ("certificates", "Certificate", {"exclude_fields": ["pdf"]}),
    ("people", "Person", {"m2m_fields": {"posts"}}),
    ("accounts", "User", {
        "include_fields": ["username", "first_name", "last_name", "email", "is_active", "is_staff",
                           "is_superuser", "must_change_password", "township", "password"],
        "mask_fields": ["password"],
        "m2m_fields": {"groups", "user_permissions"},
    }),
]


def register_tracked_models() -> None:
    """Register every tracked model with auditlog (idempotent)."""
    for app_label, model_name, options in TRACKED:
        model = apps.get_model(app_label, model_name)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
    if not auditlog.contains(Group):
        auditlog.register(Group, m2m_fields={"permissions"})


def tracked_models() -> list:
    """The tracked model classes, for the audit page's filter."""
    return [apps.get_model(a, m) for a, m, _o in TRACKED] + [Group]
