from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideosConfig(AppConfig):
    name = "lms.videos"
    label = "videos"
    verbose_name = _("Videos")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .models import Video
        from .signals import video_deleted

        post_delete.connect(video_deleted, sender=Video, dispatch_uid="videos.video_deleted")
