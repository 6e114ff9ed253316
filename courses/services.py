"""Writes of the courses app."""

from django.utils import timezone

from .models import LessonPage, LessonRead


def lesson_read_record(*, user, lesson: LessonPage) -> None:
    """Record that a signed-in user opened a lesson, in one upsert query (first read kept, last read moved on)."""
    if not user.is_authenticated:
        return
    now = timezone.now()
    LessonRead.objects.bulk_create(
        [LessonRead(user_id=user.pk, lesson_id=lesson.pk, first_read_at=now, last_read_at=now)],
        update_conflicts=True, unique_fields=["user", "lesson"], update_fields=["last_read_at"],
    )
