from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lms.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .catalogue import message_types_ensure_after_migrate

        post_migrate.connect(message_types_ensure_after_migrate, sender=self)
