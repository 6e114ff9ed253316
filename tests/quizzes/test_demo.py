"""Demo data: a bank of 100+ Chinese questions, quizzes on demo courses with attempts; idempotent."""

import io

from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.quizzes import demo
from lms.quizzes.models import Attempt, Question, Quiz


def test_demo_without_courses_builds_the_bank_and_skips_quizzes(db):
    out = io.StringIO()
    demo.build(stdout=_Writer(out))
    assert Question.objects.count() >= 100
    assert set(Question.objects.values_list("kind", flat=True)) == {
        "single", "multiple", "true_false", "fill_blank", "numerical", "essay", "description"}
    assert Quiz.objects.count() == 0 and "skipped" in out.getvalue()


def test_demo_quizzes_and_attempts_are_built_once(county):
    catalogue = Page.get_first_root_node().add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="公开"))
    course.add_child(instance=LessonPage(title="村务公开的内容", slug="l1"))
    demo.build(stdout=_Writer(io.StringIO()))
    counts = (Question.objects.count(), Quiz.objects.count(), Attempt.objects.count())
    assert counts[1] == 2 and counts[2] > 5
    assert Attempt.objects.filter(passed=True).exists() and Attempt.objects.filter(passed=False).exists()
    demo.build(stdout=_Writer(io.StringIO()))
    assert (Question.objects.count(), Quiz.objects.count(), Attempt.objects.count()) == counts


class _Writer:
    def __init__(self, buffer):
        self.buffer = buffer

    def write(self, text):
        self.buffer.write(text + "\n")
