"""A learner sees on the course page which lessons they have done: videos by share watched, others by read."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage, LessonRead
from lms.videos.models import Video, WatchProgress
from tests.factories import PersonFactory, learner_for


def _video(title: str) -> Video:
    """A processed (playable) 100-second video, without running the real pipeline."""
    return Video.objects.create(
        title=title, source=f"videos/sources/x/{title}.mp4", state=Video.State.READY,
        duration=100.0, output_dir=f"videos/out/{title}",
    )


def _video_body(video: Video) -> str:
    value = {"title": "讲座", "note": "", "video": video.pk}
    return json.dumps([{"type": "video", "id": f"v{video.pk}", "value": value}])


@pytest.fixture
def course(roles):
    """A course of three lessons: text only, a 100 s video, another 100 s video."""
    course = ensure_catalogue().add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="村务公开"))
    first, second = _video("first"), _video("second")
    course.add_child(instance=LessonPage(title="第一课 读", slug="read", duration_minutes=20))
    course.add_child(instance=LessonPage(title="第二课 看", slug="video-a", body=_video_body(first)))
    course.add_child(instance=LessonPage(title="第三课 看完", slug="video-b", body=_video_body(second)))
    return course


def _lesson(slug: str) -> LessonPage:
    return LessonPage.objects.get(slug=slug)


def _watch(user, slug: str, seconds: float) -> None:
    [block] = _lesson(slug).body.raw_data
    WatchProgress.objects.create(user=user, video_id=block["value"]["video"], watched_seconds=seconds, position=seconds)


def _marks(client, course) -> dict[str, dict[str, str]]:
    """Per lesson slug: its done flag, watched percent and the badge text shown next to it."""
    from bs4 import BeautifulSoup

    response = client.get(course.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    slugs = {str(lesson.pk): lesson.slug for lesson in LessonPage.objects.child_of(course)}
    marks = {}
    for li in soup.select("ol.lesson-list li[data-lesson]"):
        marks[slugs[li["data-lesson"]]] = {
            "done": li["data-done"], "percent": li.get("data-percent"), "badge": li.select_one(".badge").get_text(),
        }
    line = soup.select_one("#course-progress")
    marks["course"] = {"done": line["data-done"], "total": line["data-total"], "text": line.get_text()}
    return marks


@pytest.mark.django_db
def test_learner_sees_read_partly_watched_and_watched_lessons(client, learner_user, course):
    LessonRead.objects.create(user=learner_user, lesson=_lesson("read"), first_read_at=timezone.now(),
                              last_read_at=timezone.now())
    LessonRead.objects.create(user=learner_user, lesson=_lesson("video-a"), first_read_at=timezone.now(),
                              last_read_at=timezone.now())  # opening a video lesson is not watching it
    _watch(learner_user, "video-a", 40)
    _watch(learner_user, "video-b", 100)
    client.force_login(learner_user)
    marks = _marks(client, course)
    assert marks["read"]["done"] == "1" and marks["read"]["percent"] is None
    assert marks["video-a"] == {"done": "0", "percent": "40", "badge": "已观看40%"}
    assert marks["video-b"]["done"] == "1" and marks["video-b"]["percent"] == "100"
    assert marks["course"]["done"] == "2" and marks["course"]["total"] == "3"
    assert "2 / 3" in marks["course"]["text"]


@pytest.mark.django_db
def test_95_percent_counts_as_watched_and_94_does_not(client, learner_user, course):
    _watch(learner_user, "video-a", 94)
    _watch(learner_user, "video-b", 95)
    client.force_login(learner_user)
    marks = _marks(client, course)
    assert (marks["video-a"]["done"], marks["video-a"]["percent"]) == ("0", "94")
    assert (marks["video-b"]["done"], marks["video-b"]["percent"]) == ("1", "100")
    assert marks["video-b"]["badge"] != marks["video-a"]["badge"]


@pytest.mark.django_db
def test_another_learner_sees_their_own_progress(client, learner_user, course):
    _watch(learner_user, "video-b", 100)
    LessonRead.objects.create(user=learner_user, lesson=_lesson("read"), first_read_at=timezone.now(),
                              last_read_at=timezone.now())
    other = learner_for(PersonFactory(village=learner_user.person.village, posts=["director"]))
    _watch(other, "video-a", 100)
    client.force_login(other)
    marks = _marks(client, course)
    assert [marks[s]["done"] for s in ("read", "video-a", "video-b")] == ["0", "1", "0"]
    assert marks["video-b"] == {"done": "0", "percent": "0", "badge": "已观看0%"}
    assert marks["read"]["badge"] != marks["video-a"]["badge"]
    assert marks["course"]["done"] == "1"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_course_page_queries_are_the_same_for_2_and_12_lessons_with_progress(client, learner_user, roles):
    course = ensure_catalogue().add_child(instance=CoursePage(title="党史学习", slug="dangshi", summary="党史"))

    def add(n: int) -> None:
        video = _video(f"v{n}")
        course.add_child(instance=LessonPage(title=f"视频第{n}课", slug=f"video-{n}", body=_video_body(video)))
        course.add_child(instance=LessonPage(title=f"阅读第{n}课", slug=f"read-{n}"))
        WatchProgress.objects.create(user=learner_user, video=video, watched_seconds=30)
        LessonRead.objects.create(user=learner_user, lesson=_lesson(f"read-{n}"), first_read_at=timezone.now(),
                                  last_read_at=timezone.now())

    add(1)
    client.force_login(learner_user)
    client.get(course.url)  # warms Wagtail's cached site root paths
    few = _queries(client, course.url)
    for n in range(2, 7):
        add(n)
    marks = _marks(client, course)
    assert len([s for s in marks if s != "course"]) == 12
    assert marks["course"]["done"] == "6" and marks["video-6"]["percent"] == "30"
    assert _queries(client, course.url) == few
