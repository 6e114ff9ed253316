"""Fixtures of the 评教 tests: a running class of the east township with a session its learners attended."""

import pytest

from lms.classes.attendance import attendance_mark
from lms.classes.models import TrainingClass
from tests.classes.conftest import enrol, make_class, make_session
from tests.factories import TeacherFactory


@pytest.fixture
def teacher(db):
    return TeacherFactory(name="王老师")


@pytest.fixture
def east_class(county, staff_user):
    tc = make_class(state=TrainingClass.State.RUNNING, organiser_township=county["east"])
    enrol(tc, county["people"]["east"])
    return tc


@pytest.fixture
def held_session(east_class, county, staff_user, teacher):
    """A session of the class that started already; everyone attended except the last learner."""
    session = make_session(east_class, teacher=teacher, topic="发展村级集体经济")
    people = county["people"]["east"]
    marks = {p.pk: "present" for p in people[:-1]} | {people[-1].pk: "leave_sick"}
    attendance_mark(session=session, marks=marks, by=staff_user)
    return session


GOOD = {"content": "4", "relevance": "4", "method": "3", "effect": "4", "attitude": "4"}
POOR = {"content": "2", "relevance": "1", "method": "2", "effect": "2", "attitude": "3"}


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted by their English msgids, except where a test asks for Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
