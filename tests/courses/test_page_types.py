"""Page-type rules: a lesson only under a course, a course only under the catalogue."""

import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage


@pytest.fixture
def catalogue(db):
    root = Page.get_first_root_node()
    return root.add_child(instance=CourseIndexPage(title="课程中心", slug="kechengzhongxin"))


def test_course_goes_only_under_the_catalogue(catalogue):
    assert CoursePage.can_create_at(catalogue)
    assert not CoursePage.can_create_at(Page.get_first_root_node())
    course = catalogue.add_child(instance=CoursePage(title="党风廉政建设", slug="lianzheng", summary="廉政"))
    assert not CoursePage.can_create_at(course)


def test_lesson_goes_only_under_a_course(catalogue):
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cunwu", summary="公开"))
    assert LessonPage.can_create_at(course)
    assert not LessonPage.can_create_at(catalogue)
    assert not LessonPage.can_create_at(Page.get_first_root_node())
    lesson = course.add_child(instance=LessonPage(title="第一课", slug="di-yi-ke"))
    assert not LessonPage.can_create_at(lesson)
    assert not CoursePage.can_create_at(lesson)


def test_catalogue_only_under_the_root(catalogue):
    assert CourseIndexPage.can_create_at(Page.get_first_root_node())
    assert not CourseIndexPage.can_create_at(catalogue)
    assert CourseIndexPage.allowed_subpage_models() == [CoursePage]
    assert LessonPage.allowed_subpage_models() == []
