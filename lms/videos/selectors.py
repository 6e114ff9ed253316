"""Reads: playback sources, watch progress, and which lessons a learner has watched."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from . import intervals as iv
from .models import Rendition, Video, WatchProgress


@dataclass(frozen=True)
class WatchStatus:
    watched_seconds: float
    duration: float
    position: float
    completed: bool

    @property
    def percent(self) -> int:
        """Share of the video actually played, 0-100."""
        if not self.duration:
            return 0
        return min(100, int(100 * self.watched_seconds / self.duration))


def video_watch_progress(*, user, video: Video) -> WatchStatus:
    """How much of a video this user has actually played, and where to resume."""
    progress = None
    if user.is_authenticated:
        progress = WatchProgress.objects.filter(user=user, video=video).first()
    duration = video.duration or 0.0
    if progress is None:
        return WatchStatus(0.0, duration, 0.0, False)
    return WatchStatus(
        progress.watched_seconds, duration, progress.position,
        progress.completed_at is not None or iv.is_watched(progress.watched_seconds, duration),
    )


def lesson_video_ids(*, lesson) -> list[int]:
    """Ids of the videos chosen in a lesson's body, in order, read from the stored block data."""
    ids: list[int] = []
    for block in lesson.body.raw_data:
        if block.get("type") != "video":
            continue
        value = block.get("value") or {}
        video_id = value.get("video") if isinstance(value, dict) else None
        if isinstance(video_id, int) and video_id not in ids:
            ids.append(video_id)
    return ids


def lesson_watched(*, user, lesson) -> bool:
    """Whether the user has watched 95% of every playable video in the lesson (True when it has none)."""
    videos = list(Video.objects.filter(pk__in=lesson_video_ids(lesson=lesson)).exclude(output_dir=""))
    if not videos:
        return True
    if not user.is_authenticated:
        return False
    done = {
        p.video_id: p for p in WatchProgress.objects.filter(user=user, video__in=videos)
    }
    return all(
        v.pk in done and (done[v.pk].completed_at is not None or iv.is_watched(done[v.pk].watched_seconds, v.duration))
        for v in videos
    )


def video_sources(*, video: Video) -> dict[str, str]:
    """URLs the player may use: the HLS master playlist, the small MP4, the audio track and the poster."""
    sources = {}
    for rendition in video.renditions.all():
        if rendition.kind in (Rendition.Kind.MASTER, Rendition.Kind.MP4, Rendition.Kind.AUDIO,
                              Rendition.Kind.POSTER):
            sources[rendition.kind] = reverse(
                "videos:file", kwargs={"pk": video.pk, "name": rendition.relative_name}
            )
    return sources


@dataclass
class LearnerWatchRow:
    user_id: int
    name: str
    place: str
    seconds: dict[int, float]
    completed: dict[int, bool]
    last_watched: object

    def percent(self, video: Video) -> int:
        """Percent of one video this learner played."""
        if not video.duration:
            return 0
        return min(100, int(100 * self.seconds.get(video.pk, 0.0) / video.duration))


def lesson_watch_report(*, lesson) -> tuple[list[Video], list[LearnerWatchRow]]:
    """Per learner, how much of each of a lesson's videos they played; a fixed number of queries."""
    ids = lesson_video_ids(lesson=lesson)
    videos = sorted(Video.objects.filter(pk__in=ids), key=lambda v: ids.index(v.pk))
    progress = (
        WatchProgress.objects.filter(video_id__in=ids)
        .select_related("video", "user", "user__person", "user__person__village", "user__person__village__township")
        .order_by("user_id")
    )
    rows: dict[int, LearnerWatchRow] = {}
    for item in progress:
        person = getattr(item.user, "person", None)
        if item.user_id not in rows:
            rows[item.user_id] = LearnerWatchRow(
                user_id=item.user_id,
                name=person.name if person else item.user.get_username(),
                place=f"{person.village.township.name} {person.village.name}" if person else "",
                seconds={}, completed={}, last_watched=item.updated_at,
            )
        row = rows[item.user_id]
        row.seconds[item.video_id] = item.watched_seconds
        row.completed[item.video_id] = item.completed_at is not None or iv.is_watched(
            item.watched_seconds, item.video.duration
        )
        row.last_watched = max(row.last_watched, item.updated_at)
    return videos, sorted(rows.values(), key=lambda r: (r.place, r.name))


def videos_playable() -> QuerySet[Video]:
    """Videos learners can play."""
    return Video.objects.exclude(output_dir="")


@dataclass(frozen=True)
class CourseWatched:
    course: object
    completed_at: object
    lecture_seconds: float
    watched_seconds: float


def courses_watched(*, user) -> list[CourseWatched]:
    """Courses whose every playable lecture video the user has watched (95% actually played), oldest first."""
    if not user or not user.is_authenticated:
        return []
    progress = {p.video_id: p for p in WatchProgress.objects.filter(user=user).exclude(completed_at=None)}
    if not progress:
        return []
    from courses.models import LessonPage

    lessons = LessonPage.objects.live().filter(body__icontains='"video"').order_by("path")
    videos_by_course: dict[str, list[int]] = {}  # keyed by the course page's tree path
    for lesson in lessons:
        course_ids = videos_by_course.setdefault(lesson.path[:-LessonPage.steplen], [])
        course_ids.extend(i for i in lesson_video_ids(lesson=lesson) if i not in course_ids)
    playable = dict(videos_playable().filter(
        pk__in=[i for ids in videos_by_course.values() for i in ids]).values_list("pk", "duration"))
    done = []
    for course_path, ids in videos_by_course.items():
        ids = [i for i in ids if i in playable]
        if ids and all(i in progress for i in ids):
            done.append((course_path, ids))
    from courses.models import CoursePage

    courses = CoursePage.objects.live().in_bulk([course_path for course_path, _ids in done], field_name="path")
    watched = [
        CourseWatched(
            course=courses[course_path],
            completed_at=max(progress[i].completed_at for i in ids),
            lecture_seconds=sum(playable[i] or 0.0 for i in ids),
            watched_seconds=sum(min(progress[i].watched_seconds, playable[i] or 0.0) for i in ids),
        )
        for course_path, ids in done
        if course_path in courses
    ]
    return sorted(watched, key=lambda w: w.completed_at)
