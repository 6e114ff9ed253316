from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lms.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import immutability, sign_ins, task_context, tracked

        tracked.register_tracked_models()
        immutability.connect()
        sign_ins.connect()
        task_context.connect()
