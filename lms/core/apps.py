from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        # The embedded filesystem broker and result store need their folders in every process
        # (web, worker, management commands), also when a task runs in-process with .apply().
        from lms.celery import ensure_local_broker_dirs

        ensure_local_broker_dirs()
