"""Deleting a video, however it happens (admin, bulk delete, cascade), removes its files."""

from django.db import transaction


def video_deleted(sender, instance, **kwargs) -> None:
    """Remove the files once the deletion is committed, so a rolled-back delete keeps them."""
    from .services import video_files_delete

    video_id, source_name = instance.pk, instance.source.name
    transaction.on_commit(lambda: video_files_delete(video_id=video_id, source_name=source_name))
