"""Demo data: a short generated lecture, processed through the real pipeline and placed in a demo lesson."""

import json
import tempfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone

from . import services
from .lecture_clip import make_lecture
from .models import Video, WatchProgress
from .selectors import lesson_video_ids

DEMO_TITLE = "演示讲座:村务公开与“三议一表决”"
# Three minutes: long enough to try seeking, resuming and the data saver; on a 2-core machine generating and
# processing it takes about as long as the lecture itself.
DEMO_SECONDS = 180
# Shares of the lecture a few demo learners have played, so the staff report and resuming show something;
# none reaches 95%, so no completion rule of another app changes.
DEMO_WATCHED_SHARES = [0.4, 0.6, 0.25]
# Lessons whose title names one of these themes are preferred for the demo lecture.
PREFERRED_WORDS = ["村务公开", "三议一表决", "远程教育"]


def build(*, stdout) -> None:
    """Create and process the demo lecture once, and put it in a demo lesson if there is one."""
    video = Video.objects.filter(title=DEMO_TITLE).first()
    if video is None:
        with tempfile.TemporaryDirectory() as work:
            source = make_lecture(Path(work) / "demo-lecture.mp4", seconds=DEMO_SECONDS)
            with source.open("rb") as handle:
                video = Video(title=DEMO_TITLE)
                video.source.save("demo-lecture.mp4", File(handle), save=False)
                video.save()
        stdout.write(f"videos: generated a {DEMO_SECONDS}s demo lecture")
    if not video.is_playable:
        video = services.video_process(video_id=video.pk)
        stdout.write(f"videos: processed the demo lecture: {video.get_state_display()}")
    lesson = _demo_lesson()
    if lesson is None:
        stdout.write("videos: no lesson found, the demo lecture is not placed in a lesson")
        return
    if video.pk not in lesson_video_ids(lesson=lesson):
        _add_video_block(lesson, video)
        stdout.write(f"videos: placed the demo lecture in lesson “{lesson.title}”")
    if video.is_ready and not WatchProgress.objects.filter(video=video).exists():
        _add_demo_watching(video)


def _add_demo_watching(video: Video) -> None:
    """Part-watched progress for the demo learner and two more cadres, as if they had stopped midway."""
    from lms.accounts.demo import demo_accounts
    from lms.people.models import Person

    first = [a.person.pk for a in demo_accounts() if a.person and not a.fields.get("must_change_password")]
    people = Person.objects.filter(user__isnull=False).select_related("user")
    chosen = list(people.filter(pk__in=first)) + list(people.exclude(pk__in=first).order_by("pk")[:2])
    for person, share in zip(chosen, DEMO_WATCHED_SHARES, strict=False):
        played = round(video.duration * share, 2)
        WatchProgress.objects.create(user=person.user, video=video, intervals=[[0.0, played]], watched_seconds=played,
                                     position=played, last_report_at=timezone.now())


def _demo_lesson():
    from courses.models import LessonPage

    lessons = LessonPage.objects.live().order_by("path")
    for word in PREFERRED_WORDS:
        lesson = lessons.filter(title__contains=word).first()
        if lesson is not None:
            return lesson
    return lessons.first()


def _add_video_block(lesson, video: Video) -> None:
    """Put a video block first in the lesson body and publish it as a new revision."""
    block = {"type": "video", "value": {"title": video.title, "note": "", "video": video.pk}}
    lesson.body = json.dumps([block] + list(lesson.body.raw_data))
    lesson.save_revision().publish()
