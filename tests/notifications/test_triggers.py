"""Periodic triggers: each fires once per event and person, also when its task runs twice."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.accounts.roles import BUDGET_OFFICER, ORGANISER
from lms.budget.models import Claim
from lms.classes.models import Attendance, Enrolment, LeaveRequest, Session
from lms.notifications import tasks, triggers
from lms.notifications.models import Message
from lms.people.models import Station
from lms.quizzes.models import Attempt, Quiz
from tests.budget.helpers import submitted_claim
from tests.factories import PersonFactory, UserFactory, learner_for

from .conftest import make_class, make_session

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _codes(user):
    return list(Message.objects.filter(recipient=user).values_list("type__code", flat=True))


def test_session_tomorrow_to_enrolled_learners_and_the_station_operator(county, learners):
    tc = make_class(state="running")
    for user in learners[:3]:
        Enrolment.objects.create(training_class=tc, person=user.person)
    Enrolment.objects.create(training_class=tc, person=learners[3].person, status=Enrolment.Status.WAITLISTED)
    operator = learner_for(PersonFactory(village=county["villages"]["east"][0]))
    station = Station.objects.create(name="红星村远教站点", level="village", county=county["east"].county,
                                     township=county["east"], village=county["villages"]["east"][0],
                                     operator=operator.person)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    session = make_session(tc, date=tomorrow, topic="基层党建", station=station, start=(14, 30), end=(16, 30))
    make_session(tc, date=tomorrow + datetime.timedelta(days=1), topic="后天的课")
    assert tasks.session_tomorrow.delay().get() == 4
    assert tasks.session_tomorrow.delay().get() == 0  # run twice: nothing new
    message = Message.objects.get(recipient=learners[0])
    assert message.type.code == "session_tomorrow" and "基层党建" in message.title and "14:30" in message.body
    assert not Message.objects.filter(recipient=learners[3]).exists()
    assert _codes(operator) == ["station_session_tomorrow"]
    # Moved to another day: that is a new event.
    session.date = tomorrow
    Session.objects.filter(pk=session.pk).update(date=tomorrow + datetime.timedelta(days=1))
    assert triggers.sessions_tomorrow_notify(now=timezone.now() + datetime.timedelta(days=1)) >= 3


def test_quiz_opening_and_closing_within_24_hours(county, learners):
    tc = make_class(state="running")
    for user in learners[:2]:
        Enrolment.objects.create(training_class=tc, person=user.person)
    now = timezone.now()
    opening = Quiz.objects.create(title="党章测验", is_published=True, class_id=tc.pk,
                                  opens_at=now + datetime.timedelta(hours=5),
                                  closes_at=now + datetime.timedelta(days=5))
    closing = Quiz.objects.create(title="结业测验", is_published=True, class_id=tc.pk,
                                  opens_at=now - datetime.timedelta(days=2),
                                  closes_at=now + datetime.timedelta(hours=20))
    Quiz.objects.create(title="下月测验", is_published=True, class_id=tc.pk, opens_at=now + datetime.timedelta(days=9))
    Attempt.objects.create(quiz=closing, user=learners[1], started_at=now, status=Attempt.Status.GRADED)
    assert triggers.quiz_windows_notify(now=now) == 3
    assert triggers.quiz_windows_notify(now=now + datetime.timedelta(hours=1)) == 0
    assert sorted(_codes(learners[0])) == ["quiz_closing", "quiz_opening"]
    assert _codes(learners[1]) == ["quiz_opening"]  # already submitted the closing one
    assert opening.title in Message.objects.get(recipient=learners[0], type__code="quiz_opening").title


def test_leave_report_back_due_once(county, learners, staff_user):
    tc = make_class(state="running")
    Enrolment.objects.create(training_class=tc, person=learners[0].person)
    session = make_session(tc, date=timezone.localdate() - datetime.timedelta(days=1))
    LeaveRequest.objects.create(session=session, person=learners[0].person, kind="leave_sick", reason="病",
                                state=LeaveRequest.State.APPROVED)
    assert triggers.leave_report_back_notify() == 1
    assert triggers.leave_report_back_notify() == 0
    assert _codes(learners[0]) == ["leave_report_back_due"]


def test_credit_shortfall_each_month_from_october(county, learners):
    october = datetime.datetime(timezone.localdate().year, 10, 1, 9, 30, tzinfo=SH)
    assert triggers.credit_shortfall_notify(now=october - datetime.timedelta(days=40)) == 0  # August: none
    assert triggers.credit_shortfall_notify(now=october) == len(learners)
    assert triggers.credit_shortfall_notify(now=october) == 0
    message = Message.objects.get(recipient=learners[0])
    assert "90" in message.body and "50" in message.body  # the default requirement, nothing earned yet
    assert triggers.credit_shortfall_notify(now=october + datetime.timedelta(days=31)) == len(learners)  # November


def test_staff_hear_of_leave_and_essays_waiting_and_officers_of_old_claims(county, learners, staff_user):
    tc = make_class(state="running")
    Enrolment.objects.create(training_class=tc, person=learners[0].person)
    session = make_session(tc, date=timezone.localdate() + datetime.timedelta(days=3))
    LeaveRequest.objects.create(session=session, person=learners[0].person, kind="leave_sick", reason="病")
    officer = UserFactory(username="caiwu2", roles=[BUDGET_OFFICER])
    claim = submitted_claim(person=learners[0].person, user=learners[0])
    Claim.objects.filter(pk=claim.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=5))
    assert tasks.staff_waiting.delay().get() == 2
    assert tasks.staff_waiting.delay().get() == 0
    staff_message = Message.objects.get(recipient=staff_user)
    assert staff_message.title.startswith("待办：1条请假") and staff_message.url == reverse("classes_admin:leave")
    officer_message = Message.objects.get(recipient=officer)
    assert officer_message.type.code == "officer_claims_waiting" and "1笔" in officer_message.title


def test_organiser_digest_holds_only_their_own_township(county, organiser_user):
    west_organiser = UserFactory(username="xihe", roles=[ORGANISER], township=county["west"])
    tc = make_class(state="running")
    held = make_session(tc, date=timezone.localdate() - datetime.timedelta(days=2))
    Session.objects.filter(pk=held.pk).update(state=Session.State.HELD)
    east, west = county["people"]["east"], county["people"]["west"]
    for i, person in enumerate(east):
        Attendance.objects.create(session=held, person=person, status="present" if i < 3 else "absent")
    for person in west:
        Attendance.objects.create(session=held, person=person, status="present")
    assert triggers.organiser_digest_notify() == 2
    assert triggers.organiser_digest_notify() == 0
    east_digest = Message.objects.get(recipient=organiser_user)
    assert "东风乡" in east_digest.title and "50%" in east_digest.body and "西河镇" not in east_digest.body
    assert "100%" in Message.objects.get(recipient=west_organiser).body
    figures = triggers.township_digest(township=county["east"])
    assert figures["shortfall_count"] == len(east) and figures["spend"] == f"{Decimal('0'):.2f}"
