"""A small county with one east learner's data in every resource, and a token for each role."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from lms.accounts.roles import ORGANISER
from lms.api.tokens import token_create
from lms.budget.ledger import allowance_account_open
from lms.certificates.services import certificate_issue
from lms.classes.models import Attendance, Enrolment, Session, TrainingClass
from lms.people.models import Station
from lms.quizzes.models import Attempt, Quiz
from tests.budget.helpers import submitted_claim
from tests.factories import PersonFactory, UserFactory, learner_for

YEAR = 2026


class ApiClient:
    """A test client that sends a role's token with every request."""

    def __init__(self, raw: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, data):
        return self.client.post(path, data, content_type="application/json", **self.headers)

    def patch(self, path, data):
        return self.client.patch(path, data, content_type="application/json", **self.headers)


def make_world(county, learner_user, staff_user, suffix=""):
    """Rows of every resource belonging to the east learner (county['people']['east'][0])."""
    person = county["people"]["east"][0]
    east = county["east"]
    station = Station.objects.create(name=f"东风乡红星村站点{suffix}", level="village", county=east.county,
                                     township=east, village=person.village)
    catalogue = ensure_catalogue()
    catalogue.refresh_from_db()
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug=f"cwgk{suffix}", summary="村务公开"))
    lesson = course.add_child(instance=LessonPage(title="第一课", slug="l1", duration_minutes=20))
    tc = TrainingClass.objects.create(
        name="东风乡村干部轮训班", year=YEAR, mode="centralised", state=TrainingClass.State.CLOSED,
        organiser_township=east, starts_on=datetime.date(YEAR, 3, 2), ends_on=datetime.date(YEAR, 3, 6),
        planned_credit_hours=Decimal("7"),
    )
    enrolment = Enrolment.objects.create(training_class=tc, person=person)
    session = Session.objects.create(
        training_class=tc, date=datetime.date(YEAR, 3, 2), starts_at=datetime.time(9), ends_at=datetime.time(11),
        half_day="am", topic="学习党章", credit_hours=Decimal("2"),
    )
    attendance = Attendance.objects.create(session=session, person=person, status="present", marked_by=staff_user)
    quiz = Quiz.objects.create(title="党章测验", is_published=True)
    attempt = Attempt.objects.create(quiz=quiz, user=learner_user, status=Attempt.Status.GRADED,
                                     started_at=timezone.now(), score=Decimal("8"), max_score=Decimal("10"),
                                     percent=Decimal("80"), passed=True)
    account = allowance_account_open(person=person, year=YEAR, by=staff_user)
    claim = submitted_claim(person=person, user=learner_user)
    certificate, _created = certificate_issue(training_class=tc, person=person, issued_by=staff_user)
    return {
        "townships": east.pk, "villages": person.village_id, "stations": station.pk, "people": person.pk,
        "courses": course.pk, "lessons": lesson.pk, "classes": tc.pk, "sessions": session.pk,
        "enrolments": enrolment.pk, "attendance": attendance.pk, "quiz-results": attempt.pk,
        "allowances": account.pk, "ledger-entries": account.entries.first().pk, "claims": claim.pk,
        "certificates": certificate.pk, "serial": certificate.serial,
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def world(county, learner_user, staff_user):
    return make_world(county, learner_user, staff_user)


@pytest.fixture
def other_learner(county):
    return learner_for(PersonFactory(village=county["villages"]["west"][0], posts=["secretary"]))


@pytest.fixture
def west_organiser(county):
    return UserFactory(username="xihe", roles=[ORGANISER], township=county["west"])


@pytest.fixture
def users(learner_user, other_learner, staff_user, budget_user, west_organiser):
    return {"learner": learner_user, "other_learner": other_learner, "staff": staff_user,
            "officer": budget_user, "west_organiser": west_organiser}


@pytest.fixture
def clients(users, staff_user):
    made = {"anonymous": ApiClient(None)}
    for role, user in users.items():
        _token, raw = token_create(user=user, name=f"{role} 测试", by=staff_user)
        made[role] = ApiClient(raw)
    return made
