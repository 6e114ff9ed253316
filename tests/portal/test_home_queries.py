"""The learner home runs the same number of queries whatever the number of courses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.demo import ensure_catalogue
from courses.models import CourseCategory, CoursePage, LessonPage
from lms.people.models import Post
from tests.factories import TeacherFactory

HOME_QUERY_LIMIT = 10


def _add_courses(catalogue, start: int, count: int) -> None:
    """Courses with their own category, teacher and lessons; some targeted, some open to all."""
    secretary, director = Post.objects.get(code="secretary"), Post.objects.get(code="director")
    for i in range(start, start + count):
        course = CoursePage(
            title=f"课程{i}", slug=f"course-{i}", summary="村务公开与民主管理",
            category=CourseCategory.objects.create(name=f"类别{i}"), teacher=TeacherFactory(),
            requirement="required" if i % 2 else "elective",
        )
        course.target_posts = [secretary] if i % 3 == 0 else [director, secretary] if i % 3 == 1 else []
        catalogue.add_child(instance=course)
        for n in range(2):
            course.add_child(instance=LessonPage(title=f"第{n + 1}课", slug=f"lesson-{n}", duration_minutes=30))


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.django_db
def test_home_runs_the_same_queries_with_5_and_50_courses(client, learner_user):
    catalogue = ensure_catalogue()
    client.force_login(learner_user)
    _add_courses(catalogue, 0, 5)
    client.get("/")  # warms Wagtail's cached site root paths, as any running site has them
    few, page = _home_queries(client)
    assert page.count('class="card course"') == 5
    _add_courses(catalogue, 5, 45)
    many, page = _home_queries(client)
    assert page.count('class="card course"') == 20
    assert "课程49" in page or "课程0" in page
    assert few == many
    assert many <= HOME_QUERY_LIMIT


@pytest.mark.django_db
def test_home_shows_each_courses_live_lessons_and_minutes(client, learner_user):
    catalogue = ensure_catalogue()
    _add_courses(catalogue, 0, 3)
    draft = CoursePage.objects.get(slug="course-1")
    draft.add_child(instance=LessonPage(title="未发布", slug="draft", duration_minutes=90, live=False))
    client.force_login(learner_user)
    courses = {c.slug: c for c in client.get("/").context["courses"]}
    assert set(courses) == {"course-0", "course-1", "course-2"}
    assert [(courses[s].lesson_count, courses[s].lesson_minutes) for s in sorted(courses)] == [(2, 60)] * 3
