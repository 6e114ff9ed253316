"""Training-record entries (学习档案) for courses whose lecture videos the cadre has watched online."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import courses_watched
from .templatetags.videos_tags import seconds_clock


def entries(*, person, year: int | None) -> list:
    """One online-study entry per course whose every lecture was actually played, dated when the last was."""
    from lms.classes.credits import online_course_credit_hours
    from lms.classes.records import ONLINE, RecordEntry

    if person.user_id is None:
        return []
    result = []
    for watched in courses_watched(user=person.user):
        day = timezone.localdate(watched.completed_at)
        if year is not None and day.year != year:
            continue
        minutes = int(watched.lecture_seconds // 60)
        result.append(RecordEntry(
            kind="video",
            title=_("Online course: %(title)s") % {"title": watched.course.title},
            date=day,
            credit_hours=online_course_credit_hours(minutes=minutes, year=day.year),
            category=ONLINE,
            detail=_("Lecture videos watched: %(time)s") % {"time": seconds_clock(watched.watched_seconds)},
            url=watched.course.url or "",
        ))
    return result
