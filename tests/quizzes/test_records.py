"""A passed quiz feeds the training record and the certificate rules; learners find their quizzes in one list."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.certificates import providers
from lms.certificates.models import ClassCertificateRules
from lms.certificates.rules import MET, NOT_MET, completion_for_class
from lms.classes.models import Enrolment, TrainingClass
from lms.classes.records import ONLINE, record_for
from lms.quizzes import services
from lms.quizzes.models import Attempt, Quiz

from .test_attempts import _answer_all_right


def _pass(quiz, user, **kwargs):
    attempt = services.attempt_start(quiz=quiz, user=user, **kwargs)
    _answer_all_right(attempt)
    return services.attempt_submit(attempt=attempt)


def _class(name="村党支部书记轮训班"):
    today = timezone.localdate()
    return TrainingClass.objects.create(
        name=name, year=today.year, mode="centralised", starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3), planned_credit_hours=Decimal("7"),
    )


def test_a_passed_quiz_adds_its_credit_hours_to_the_training_record(quiz, learner_user, learner_person):
    quiz.credit_hours = Decimal("1.5")
    quiz.save()
    year = timezone.localdate().year
    before = record_for(person=learner_person, year=year).totals[ONLINE]
    _pass(quiz, learner_user)
    record = record_for(person=learner_person, year=year)
    entries = [e for e in record.entries if e.kind == "quiz"]
    assert [(e.credit_hours, e.category, e.url) for e in entries] == [
        (Decimal("1.5"), ONLINE, reverse("quizzes:intro", args=[quiz.pk]))]
    assert quiz.title in entries[0].title and "100%" in entries[0].detail
    assert record.totals[ONLINE] == before + Decimal("1.5")
    assert [e for e in record_for(person=learner_person, year=year - 1).entries if e.kind == "quiz"] == []


def test_a_failed_quiz_adds_nothing(quiz, learner_user, learner_person):
    quiz.credit_hours = Decimal("1.5")
    quiz.save()
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=learner_user))
    assert Attempt.objects.get().passed is False
    record = record_for(person=learner_person, year=timezone.localdate().year)
    assert [e for e in record.entries if e.kind == "quiz"] == []


def test_an_attempt_left_to_expire_is_graded_and_counts_without_the_learner_coming_back(
        quiz, learner_user, learner_person):
    quiz.time_limit_minutes = 10
    quiz.credit_hours = Decimal("1.0")
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner_user, now=timezone.now() - timedelta(hours=1))
    _answer_saved_early(attempt)
    # Before beat runs, reads compute the grade the deadline gives, and leave the rows as they are.
    assert services.quiz_passed(person_or_user=learner_person, quiz=quiz)
    entries = record_for(person=learner_person, year=timezone.localdate().year).entries
    assert [e.credit_hours for e in entries if e.kind == "quiz"] == [Decimal("1.0")]
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS and attempt.score is None
    services.attempts_close_expired()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.timed_out and attempt.submitted_at == attempt.deadline
    entries = record_for(person=learner_person, year=timezone.localdate().year).entries
    assert [e.credit_hours for e in entries if e.kind == "quiz"] == [Decimal("1.0")]


def _answer_saved_early(attempt):
    """Save right answers as they were before the deadline (the learner then closed the phone)."""
    from lms.quizzes.models import AttemptItem

    early = attempt.started_at + timedelta(minutes=2)
    for item in attempt.items.all():
        if item.kind in ("single", "multiple"):
            response = {"choices": sorted(o["id"] for o in item.payload["options"] if o["correct"])}
        elif item.kind == "true_false":
            response = {"value": item.payload["answer"]}
        else:
            response = {"blanks": [b[0] for b in item.payload["blanks"]]}
        AttemptItem.objects.filter(pk=item.pk).update(response=response, saved_at=early)


def test_the_class_quiz_decides_the_certificate_quiz_rule(quiz, learner_user, learner_person):
    training_class = _class()
    Enrolment.objects.create(training_class=training_class, person=learner_person)
    ClassCertificateRules.objects.update_or_create(training_class=training_class, defaults={"require_quiz": True})
    quiz.class_id = training_class.pk
    quiz.save()
    assert providers.quiz_passed_function() is services.quiz_passed

    def quiz_rule():
        (completion,) = completion_for_class(training_class=training_class)
        return next(r for r in completion.results if r.code == "quiz")

    assert quiz_rule().status == NOT_MET
    _pass(quiz, learner_user)
    assert quiz_rule().status == MET


@pytest.fixture
def catalogue(db):
    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="公开"))
    lesson = course.add_child(instance=LessonPage(title="第一课", slug="l1"))
    return course, lesson


def test_my_quizzes_lists_course_lesson_and_own_class_quizzes(client, quiz, learner_user, learner_person, catalogue):
    course, lesson = catalogue
    mine, other = _class(), _class("别的班")
    Enrolment.objects.create(training_class=mine, person=learner_person)
    quiz.class_id = mine.pk
    quiz.save()
    on_course = Quiz.objects.create(title="课程测验", course=course, is_published=True)
    on_lesson = Quiz.objects.create(title="随堂练习", lesson=lesson, is_published=True)
    Quiz.objects.create(title="草稿", course=course, is_published=False)
    Quiz.objects.create(title="别班测验", class_id=other.pk, is_published=True)
    _pass(quiz, learner_user)
    client.force_login(learner_user)
    html = client.get(reverse("quizzes:mine")).content.decode()
    shown = {int(pk) for pk in _data_quiz_ids(html)}
    assert shown == {quiz.pk, on_course.pk, on_lesson.pk}
    assert "村党支部书记轮训班" in html and "第一课" in html and "及格" in html
    # Open, not yet passed quizzes come first; the passed one last.
    assert _data_quiz_ids(html)[-1] == str(quiz.pk)


def _data_quiz_ids(html):
    import re

    return re.findall(r'data-quiz="(\d+)"', html)


def test_quiz_links_tag_renders_a_lesson_pages_quizzes(rf, quiz, learner_user, catalogue):
    from django.template import Context, Template

    _course, lesson = catalogue
    quiz.lesson = lesson
    quiz.save()
    request = rf.get("/")
    request.user = learner_user
    html = Template("{% load quiz_tags %}{% quiz_links page %}").render(Context({"request": request, "page": lesson}))
    assert reverse("quizzes:intro", kwargs={"pk": quiz.pk}) in html and "未作答" in html


def test_records_of_many_cadres_take_a_fixed_number_of_queries(quiz, county, django_assert_max_num_queries):
    from lms.quizzes.records import entries_by_person
    from tests.factories import learner_for

    people = county["people"]["east"] + county["people"]["west"]
    for person in people[:4]:
        _pass(quiz, learner_for(person))
    with django_assert_max_num_queries(3):
        found = entries_by_person(people=people, year=timezone.localdate().year)
    assert sum(len(v) for v in found.values()) == 4
    assert all(len(found[p.pk]) == 1 for p in people[:4]) and not any(found[p.pk] for p in people[4:])
