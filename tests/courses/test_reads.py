"""Opening a lesson page records that the learner read it: once per learner and lesson, last visit kept."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage, LessonRead


@pytest.fixture
def lesson(roles):
    course = ensure_catalogue().add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="村务公开"))
    return course.add_child(instance=LessonPage(title="第一课 公开的内容", slug="lesson-1", duration_minutes=30))


def _reads(lesson) -> list[LessonRead]:
    return list(LessonRead.objects.filter(lesson=lesson))


@pytest.mark.django_db
def test_opening_a_lesson_records_one_read(client, learner_user, lesson):
    client.force_login(learner_user)
    before = timezone.now()
    assert client.get(lesson.url).status_code == 200
    [read] = _reads(lesson)
    assert read.user == learner_user
    assert before <= read.first_read_at == read.last_read_at <= timezone.now()


@pytest.mark.django_db
def test_a_second_visit_moves_last_read_on_and_keeps_the_first(client, learner_user, lesson):
    client.force_login(learner_user)
    client.get(lesson.url)
    long_ago = timezone.now() - datetime.timedelta(days=3)
    LessonRead.objects.update(first_read_at=long_ago, last_read_at=long_ago)
    assert client.get(lesson.url).status_code == 200
    [read] = _reads(lesson)
    assert read.first_read_at == long_ago
    assert read.last_read_at > long_ago + datetime.timedelta(days=2)


@pytest.mark.django_db
def test_recording_a_read_is_one_query(client, learner_user, lesson):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.services import lesson_read_record

    lesson_read_record(user=learner_user, lesson=lesson)
    with CaptureQueriesContext(connection) as ctx:
        lesson_read_record(user=learner_user, lesson=lesson)
    assert len(ctx.captured_queries) == 1
    assert len(_reads(lesson)) == 1


@pytest.mark.django_db
def test_an_anonymous_visit_records_nothing(client, lesson):
    response = client.get(lesson.url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert _reads(lesson) == []


@pytest.mark.django_db
def test_a_learner_refused_the_lesson_records_nothing(client, learner_user, lesson):
    from lms.people.models import Post

    course = lesson.get_parent().specific
    course.target_posts = list(Post.objects.filter(code="director"))  # the learner is a 村党支部书记
    course.save_revision().publish()
    client.force_login(learner_user)
    assert client.get(lesson.url).status_code == 404
    assert _reads(lesson) == []


@pytest.mark.django_db
def test_staff_visit_is_recorded_as_their_own_but_a_preview_is_not(client, staff_user, learner_user, lesson):
    client.force_login(staff_user)
    assert client.get(lesson.url).status_code == 200
    assert [read.user for read in _reads(lesson)] == [staff_user]
    request = RequestFactory().get(lesson.url)
    request.user = learner_user
    assert lesson.serve_preview(request, lesson.default_preview_mode).status_code == 200
    assert [read.user for read in _reads(lesson)] == [staff_user]
