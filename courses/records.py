"""Training-record entries (学习档案) for online lessons studied: a reading lesson once read, a video lesson once
its lectures were played in full; each earns the credit hours of its estimated minutes under the lesson rule."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from lms.classes.credits import lesson_credit_calculator
from lms.classes.records import ONLINE, RecordEntry
from lms.videos.models import WatchProgress
from lms.videos.selectors import lesson_video_ids, videos_playable

from .models import LessonPage, LessonRead


@dataclass(frozen=True)
class LessonStudied:
    user_id: int
    lesson: LessonPage
    at: object  # aware datetime: first read, or when the last lecture of the lesson was watched in full


def lessons_studied(*, user_ids: list[int]) -> list[LessonStudied]:
    """Every live lesson these users finished, with when; a fixed number of queries."""
    if not user_ids:
        return []
    reads = {(r.user_id, r.lesson_id): r.first_read_at for r in LessonRead.objects.filter(user_id__in=user_ids)}
    watched = {(p.user_id, p.video_id): p.completed_at
               for p in WatchProgress.objects.filter(user_id__in=user_ids).exclude(completed_at=None)}
    lesson_ids = {lesson_id for _user, lesson_id in reads}
    lessons = list(LessonPage.objects.live().filter(pk__in=lesson_ids) | LessonPage.objects.live().filter(
        body__icontains='"video"'))
    videos = {lesson.pk: lesson_video_ids(lesson=lesson) for lesson in lessons}
    playable = set(videos_playable().filter(pk__in={i for ids in videos.values() for i in ids})
                   .values_list("pk", flat=True))
    studied = []
    for lesson in lessons:
        lectures = [i for i in videos[lesson.pk] if i in playable]
        for user_id in user_ids:
            if lectures:
                times = [watched.get((user_id, i)) for i in lectures]
                at = max(times) if all(times) else None
            else:
                at = reads.get((user_id, lesson.pk))
            if at is not None:
                studied.append(LessonStudied(user_id, lesson, at))
    return studied


def entries(*, person, year: int | None) -> list[RecordEntry]:
    """One online-study entry per lesson the cadre finished."""
    return entries_by_person(people=[person], year=year).get(person.pk, [])


def entries_by_person(*, people, year: int | None) -> dict[int, list[RecordEntry]]:
    """The lesson entries of many cadres at once, keyed by person id."""
    people = list(people)
    person_of_user = {p.user_id: p.pk for p in people if getattr(p, "user_id", None)}
    out: dict[int, list[RecordEntry]] = {p.pk: [] for p in people}
    calculators = {}
    for item in lessons_studied(user_ids=list(person_of_user)):
        day = timezone.localdate(item.at)
        if year is not None and day.year != year:
            continue
        lesson = item.lesson
        out[person_of_user[item.user_id]].append(RecordEntry(
            kind="lesson",
            title=_("Online lesson: %(title)s") % {"title": lesson.title},
            date=day,
            credit_hours=calculators.setdefault(day.year, lesson_credit_calculator(year=day.year))(
                lesson.duration_minutes),
            category=ONLINE,
            detail=_("%(minutes)s minutes") % {"minutes": lesson.duration_minutes},
            url=lesson.url or "",
        ))
    return out
