"""Fixtures of the classes tests: a running class with sessions and enrolled learners."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.classes.models import Enrolment, Session, TrainingClass, TrainingPlan
from tests.factories import TeacherFactory


def make_class(**kwargs) -> TrainingClass:
    today = timezone.localdate()
    defaults = {
        "name": "村党支部书记轮训班", "year": today.year, "mode": "centralised",
        "starts_on": today - datetime.timedelta(days=5), "ends_on": today + datetime.timedelta(days=5),
        "capacity": 50, "planned_credit_hours": Decimal("7"),
    }
    defaults.update(kwargs)
    return TrainingClass.objects.create(**defaults)


def make_session(tc, *, date=None, start=(9, 0), end=(11, 0), hours="1", **kwargs) -> Session:
    return Session.objects.create(
        training_class=tc, date=date or tc.starts_on, starts_at=datetime.time(*start), ends_at=datetime.time(*end),
        half_day="am", topic=kwargs.pop("topic", "学习党章"), credit_hours=Decimal(hours), **kwargs,
    )


def enrol(tc, people, status=Enrolment.Status.ENROLLED):
    return [Enrolment.objects.create(training_class=tc, person=p, status=status) for p in people]


@pytest.fixture
def teacher(db):
    return TeacherFactory()


@pytest.fixture
def running_class(county, staff_user):
    """A running class of the east township's six cadres, with an approved plan."""
    tc = make_class(state=TrainingClass.State.RUNNING, organiser_township=county["east"])
    TrainingPlan.objects.create(training_class=tc, aims="提高素质", schedule="五天", assessment="闭卷考试",
                                approved_by=staff_user, approved_at=timezone.now())
    enrol(tc, county["people"]["east"])
    return tc


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted by their English msgids, whatever the Chinese catalogue says."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
