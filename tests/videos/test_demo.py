"""The demo lecture: generated, processed through the real pipeline, placed in a lesson, idempotent."""

import io

import pytest

from lms.videos import demo
from lms.videos.models import Video
from lms.videos.selectors import lesson_video_ids

pytestmark = pytest.mark.django_db


def test_the_demo_lecture_is_built_once_and_placed_in_a_lesson(lesson_with_video, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_SECONDS", 3)
    demo.build(stdout=io.StringIO())
    demo.build(stdout=io.StringIO())

    video = Video.objects.get(title=demo.DEMO_TITLE)
    assert video.is_ready and video.has_audio and video.renditions.filter(kind="master").exists()
    lesson_with_video.refresh_from_db()
    ids = lesson_video_ids(lesson=lesson_with_video)
    assert ids.count(video.pk) == 1 and len(ids) == 2
    assert lesson_with_video.live and lesson_with_video.latest_revision is not None


def test_the_demo_skips_the_lesson_when_there_is_none(db, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_SECONDS", 2)
    out = io.StringIO()
    demo.build(stdout=out)

    assert Video.objects.get(title=demo.DEMO_TITLE).is_ready
    assert "no lesson" in out.getvalue()


def test_the_demo_leaves_learners_midway_through_the_lecture(lesson_with_video, learner_user, monkeypatch):
    from lms.videos.models import WatchProgress

    monkeypatch.setattr(demo, "DEMO_SECONDS", 3)
    demo.build(stdout=io.StringIO())
    demo.build(stdout=io.StringIO())

    video = Video.objects.get(title=demo.DEMO_TITLE)
    rows = list(WatchProgress.objects.filter(video=video))
    assert learner_user.pk in {row.user_id for row in rows} and len(rows) <= len(demo.DEMO_WATCHED_SHARES)
    assert all(0 < row.position < video.duration and row.completed_at is None for row in rows)
