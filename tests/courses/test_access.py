"""Who may open a course: a learner only the courses aimed at their posts, at everyone, or taught in their class."""

import pytest

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from lms.classes.models import Enrolment
from lms.people.models import Post
from tests.classes.conftest import make_class


def _course(catalogue, slug: str, title: str, posts: list[str]) -> CoursePage:
    course = CoursePage(title=title, slug=slug, summary="村务公开")
    course.target_posts = list(Post.objects.filter(code__in=posts))
    catalogue.add_child(instance=course)
    course.add_child(instance=LessonPage(title=f"{title}第一课", slug="lesson-1", duration_minutes=30))
    return course


@pytest.fixture
def courses(roles):
    catalogue = ensure_catalogue()
    return {
        "all": _course(catalogue, "all", "人人可学", []),
        "secretary": _course(catalogue, "sec", "书记专题", ["secretary"]),
        "director": _course(catalogue, "dir", "主任专题", ["director"]),
    }


def _lesson_url(course: CoursePage) -> str:
    return LessonPage.objects.child_of(course).get().url


@pytest.mark.django_db
def test_learner_opens_courses_for_everyone_and_for_their_post(client, learner_user, courses):
    client.force_login(learner_user)  # a 村党支部书记
    for key in ("all", "secretary"):
        assert client.get(courses[key].url).status_code == 200, key
        assert client.get(_lesson_url(courses[key])).status_code == 200, key


@pytest.mark.django_db
def test_learner_gets_404_for_a_course_aimed_at_another_post(client, learner_user, courses):
    client.force_login(learner_user)
    assert client.get(courses["director"].url).status_code == 404
    assert client.get(_lesson_url(courses["director"])).status_code == 404


@pytest.mark.django_db
def test_a_class_opens_its_courses_to_its_enrolled_learners(client, learner_user, learner_person, courses):
    training = make_class()
    training.courses.add(courses["director"])
    enrolment = Enrolment.objects.create(training_class=training, person=learner_person)
    client.force_login(learner_user)
    assert client.get(_lesson_url(courses["director"])).status_code == 200
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status"])
    assert client.get(_lesson_url(courses["director"])).status_code == 404


@pytest.mark.django_db
def test_catalogue_lists_only_the_learners_courses(client, learner_user, courses):
    client.force_login(learner_user)
    page = client.get("/courses/").content.decode()
    assert "人人可学" in page and "书记专题" in page
    assert "主任专题" not in page


@pytest.mark.django_db
def test_staff_and_organisers_open_every_course(client, staff_user, organiser_user, courses):
    for user in (staff_user, organiser_user):
        client.force_login(user)
        assert client.get(courses["director"].url).status_code == 200
        assert "主任专题" in client.get("/courses/").content.decode()


@pytest.mark.django_db
def test_course_content_needs_a_sign_in(client, courses):
    response = client.get(courses["all"].url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_course_and_lesson_pages_run_the_same_queries_whatever_the_lesson_count(client, learner_user, courses):
    course = courses["secretary"]
    client.force_login(learner_user)
    client.get(course.url)  # warms Wagtail's cached site root paths, as any running site has them
    few = (_queries(client, course.url), _queries(client, _lesson_url(course)))
    for n in range(2, 13):
        course.add_child(instance=LessonPage(title=f"第{n}课", slug=f"lesson-{n}", duration_minutes=30))
    page = client.get(course.url).content.decode()
    assert "第12课" in page
    assert 'data-done="1" data-total="12"' in page  # the lesson opened above counts as read
    many = (_queries(client, course.url), _queries(client, LessonPage.objects.get(slug="lesson-12").url))
    assert few == many
    assert many[0] <= 15  # one more than before: the lesson credit rule, read once for the whole list


@pytest.mark.django_db
def test_catalogue_is_paged(client, staff_user, courses):
    from courses.models import CourseIndexPage

    catalogue = CourseIndexPage.objects.get()
    for n in range(CourseIndexPage.COURSES_PER_PAGE):
        _course(catalogue, f"extra-{n}", f"补充课程{n}", [])
    client.force_login(staff_user)
    first = client.get("/courses/").content.decode()
    second = client.get("/courses/?page=2").content.decode()
    assert first.count('<article class="card">') == CourseIndexPage.COURSES_PER_PAGE
    assert second.count('<article class="card">') == 3
    assert "第1页，共2页" in first and 'href="?page=2"' in first
