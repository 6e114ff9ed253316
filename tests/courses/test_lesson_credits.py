"""Online 学时 per lesson: a reading lesson once read, by its estimated minutes; the rule is data; learners see it."""

from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from courses.services import lesson_read_record
from lms.classes.credits import lesson_credit_calculator, lesson_credit_hours
from lms.classes.models import CreditRule
from lms.classes.records import record_for


@pytest.fixture
def reading_course(db):
    index = ensure_catalogue()
    course = index.add_child(instance=CoursePage(title="村级集体经济", slug="jj", summary="发展集体经济"))
    lessons = [course.add_child(instance=LessonPage(title=f"第{i}课", slug=f"l{i}", duration_minutes=minutes))
               for i, minutes in enumerate((45, 90, 20), start=1)]
    return course, lessons


@pytest.mark.django_db
@pytest.mark.parametrize("minutes, hours", [(45, "1.0"), (90, "2.0"), (30, "0.7"), (20, "0.4"), (1, "0.1"),
                                            (0, "0")])
def test_default_rule_is_45_minutes_a_credit_hour(minutes, hours):
    assert lesson_credit_hours(minutes=minutes) == Decimal(hours)


@pytest.mark.django_db
def test_the_rule_is_data_by_year():
    CreditRule.objects.create(kind="lesson_studied", year=2027, min_minutes=40, credit_hours=Decimal("1"))
    assert lesson_credit_hours(minutes=40, year=2027) == Decimal("1.0")
    assert lesson_credit_hours(minutes=40, year=2026) == Decimal("0.9")


@pytest.mark.django_db
@given(st.integers(min_value=0, max_value=600))
def test_credit_never_decreases_with_minutes_and_has_one_place(minutes):
    credit = lesson_credit_calculator(year=2026)
    assert credit(minutes + 1) >= credit(minutes)
    assert credit(minutes) == credit(minutes).quantize(Decimal("0.1"))


def test_reading_lessons_earn_online_hours_in_the_record(reading_course, learner_person, learner_user):
    _course, lessons = reading_course
    year = timezone.localdate().year
    assert record_for(person=learner_person, year=year).totals["online"] == Decimal("0")
    lesson_read_record(user=learner_user, lesson=lessons[0])
    lesson_read_record(user=learner_user, lesson=lessons[1])
    record = record_for(person=learner_person, year=year)
    assert record.totals["online"] == Decimal("3.0")
    titles = sorted(e.title for e in record.entries if e.kind == "lesson")
    assert len(titles) == 2 and titles[0].endswith("第1课") and titles[1].endswith("第2课")


def test_learners_see_the_hours_each_lesson_gives(client, reading_course, learner_user, settings):
    settings.LANGUAGE_CODE = "en"
    course, lessons = reading_course
    client.force_login(learner_user)
    html = client.get(course.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "· 1.0" in html and "· 2.0" in html and "· 0.4" in html
    assert "1.0" in client.get(lessons[0].url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
