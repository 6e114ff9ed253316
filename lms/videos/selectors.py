"""Reads: playback sources, watch progress, and which lessons a learner has watched."""

import math
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse

from lms.core import jobs

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


REPORT_SORTS = ("least", "most", "place", "recent")


@dataclass
class LearnerWatchRow:
    person_id: int | None
    user_id: int | None
    name: str
    township: str
    village: str
    classes: list[str]
    seconds: dict[int, float] = field(default_factory=dict)
    completed_videos: dict[int, bool] = field(default_factory=dict)
    last_watched: object = None
    percent: int = 0
    watched_seconds: float = 0.0
    completed: bool = False

    @property
    def watched_display(self) -> str:
        """Watched time as H:MM:SS."""
        seconds = int(self.watched_seconds)
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

    def video_percent(self, video: Video) -> int:
        """Percent of one video this learner played."""
        if not video.duration:
            return 0
        return min(100, int(100 * self.seconds.get(video.pk, 0.0) / video.duration))


@dataclass
class LessonWatchReport:
    videos: list[Video]
    rows: list[LearnerWatchRow]
    classes: list
    training_class: object
    sort: str

    @property
    def completed_count(self) -> int:
        return sum(1 for row in self.rows if row.completed)

    @property
    def not_started_count(self) -> int:
        return sum(1 for row in self.rows if row.last_watched is None)


def _row_for_person(person, user_id) -> LearnerWatchRow:
    return LearnerWatchRow(person_id=person.pk, user_id=user_id, name=person.name,
                           township=person.village.township.name, village=person.village.name, classes=[])


def _sort_rows(rows: list[LearnerWatchRow], sort: str) -> list[LearnerWatchRow]:
    by_place = sorted(rows, key=lambda r: (r.township, r.village, r.name))
    if sort == "most":
        return sorted(by_place, key=lambda r: -r.percent)
    if sort == "place":
        return by_place
    if sort == "recent":
        return sorted(by_place, key=lambda r: -r.last_watched.timestamp() if r.last_watched else math.inf)
    return sorted(by_place, key=lambda r: r.percent)


def lesson_watch_report(
    *, lesson, user, training_class_id: int | None = None, sort: str = "least"
) -> LessonWatchReport:
    """Who of the lesson's audience (its course's classes) and who else watched how much; fixed queries, scoped."""
    from lms.accounts import scope
    from lms.classes.models import Enrolment, TrainingClass

    ids = lesson_video_ids(lesson=lesson)
    videos = sorted(Video.objects.filter(pk__in=ids), key=lambda v: ids.index(v.pk))
    counted = [v for v in videos if v.duration]
    course_path = lesson.path[: -type(lesson).steplen]

    classes = list(TrainingClass.objects.filter(courses__path=course_path).distinct().order_by("-year", "name"))
    selected = next((tc for tc in classes if tc.pk == training_class_id), None)
    enrolments = Enrolment.objects.filter(
        status=Enrolment.Status.ENROLLED, training_class__in=[selected] if selected else classes
    ).filter(pk__in=scope.enrolments(user).values("pk")).select_related(
        "person__village__township", "training_class").order_by("training_class__name")
    progress = scope.watch_progress(user).filter(video_id__in=ids).select_related("user__person__village__township")
    if selected:
        progress = progress.filter(user__person__enrolments__training_class=selected,
                                   user__person__enrolments__status=Enrolment.Status.ENROLLED)

    rows: dict[tuple, LearnerWatchRow] = {}
    for enrolment in enrolments:
        person = enrolment.person
        row = rows.setdefault(("person", person.pk), _row_for_person(person, person.user_id))
        if enrolment.training_class.name not in row.classes:
            row.classes.append(enrolment.training_class.name)
    for item in progress:
        person = getattr(item.user, "person", None)
        key = ("person", person.pk) if person else ("user", item.user_id)
        if key not in rows:
            rows[key] = _row_for_person(person, item.user_id) if person else LearnerWatchRow(
                person_id=None, user_id=item.user_id, name=item.user.get_username(), township="", village="",
                classes=[])
        row = rows[key]
        row.seconds[item.video_id] = item.watched_seconds
        video = next(v for v in videos if v.pk == item.video_id)
        row.completed_videos[item.video_id] = item.completed_at is not None or iv.is_watched(
            item.watched_seconds, video.duration or 0.0
        )
        row.last_watched = item.updated_at if row.last_watched is None else max(row.last_watched, item.updated_at)

    total = sum(v.duration for v in counted)
    for row in rows.values():
        row.watched_seconds = sum(min(row.seconds.get(v.pk, 0.0), v.duration) for v in counted)
        row.percent = min(100, int(100 * row.watched_seconds / total)) if total else 0
        row.completed = bool(counted) and all(row.completed_videos.get(v.pk, False) for v in counted)
    sort = sort if sort in REPORT_SORTS else "least"
    return LessonWatchReport(videos=videos, rows=_sort_rows(list(rows.values()), sort), classes=classes,
                             training_class=selected, sort=sort)


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


def videos_watch_status(*, user, video_ids: list[int]) -> dict[int, WatchStatus]:
    """Watch status of each playable video among the given ones for one user, in two queries."""
    if not video_ids:
        return {}
    durations = dict(videos_playable().filter(pk__in=video_ids).values_list("pk", "duration"))
    if not durations:
        return {}
    progress = {}
    if user is not None and user.is_authenticated:
        progress = {p.video_id: p for p in WatchProgress.objects.filter(user=user, video_id__in=list(durations))}
    status = {}
    for pk, duration in durations.items():
        item = progress.get(pk)
        if item is None:
            status[pk] = WatchStatus(0.0, duration or 0.0, 0.0, False)
        else:
            status[pk] = WatchStatus(
                item.watched_seconds, duration or 0.0, item.position,
                item.completed_at is not None or iv.is_watched(item.watched_seconds, duration),
            )
    return status


def videos_stalled(*, now=None) -> QuerySet[Video]:
    """Videos waiting or processing whose job gave no sign of life for the stale interval."""
    return Video.objects.filter(state__in=[Video.State.UPLOADED, Video.State.PROCESSING]).filter(
        Q(heartbeat_at__lt=jobs.stale_before(now=now)) | Q(heartbeat_at__isnull=True)
    )
