"""Decision events of the other apps put one message in the person's inbox, once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.budget.services import claim_approve, claim_mark_paid, claim_send_back, claim_submit
from lms.classes.enrolment import enrol_people, enrolment_withdraw
from lms.classes.leave import leave_decide, leave_request
from lms.classes.models import Enrolment
from lms.notifications.models import Message
from lms.notifications.triggers import trip_itineraries_notify
from lms.quizzes import services as quiz_services
from lms.quizzes.models import QuizQuestion
from lms.trips.models import ItineraryItem, Trip
from lms.trips.services import trip_advance
from tests.budget.helpers import fund, submitted_claim
from tests.trips.helpers import make_trip

from .conftest import make_class, make_session

pytestmark = pytest.mark.django_db


def _messages(user, code=None):
    qs = Message.objects.filter(recipient=user)
    return qs.filter(type__code=code) if code else qs


def test_leave_approved_and_refused_are_told_to_the_learner(learners, county, staff_user):
    tc = make_class(state="running")
    Enrolment.objects.create(training_class=tc, person=learners[0].person)
    Enrolment.objects.create(training_class=tc, person=learners[1].person)
    session = make_session(tc, date=timezone.localdate() + datetime.timedelta(days=2), topic="乡村振兴战略")
    first = leave_request(session=session, person=learners[0].person, kind="leave_sick", reason="发烧")
    second = leave_request(session=session, person=learners[1].person, kind="leave_personal", reason="家中有事")
    leave_decide(leave=first, approve=True, by=staff_user, note="注意休息。")
    leave_decide(leave=second, approve=False, by=staff_user, note="本次为必修课，")
    approved = _messages(learners[0]).get()
    assert approved.type.code == "leave_approved" and "乡村振兴战略" in approved.title
    assert "注意休息" in approved.body and approved.url == f"/classes/{tc.pk}/"
    assert _messages(learners[1]).get().type.code == "leave_refused"


def test_enrolment_accepted_and_waiting_list_moved_up(learners, staff_user):
    tc = make_class(state="enrolling", capacity=1)
    people = [learners[0].person, learners[1].person]
    enrol_people(training_class=tc, people=people, by=staff_user)
    enrol_people(training_class=tc, people=people, by=staff_user)  # again: nothing new
    assert _messages(learners[0], "enrolment_accepted").count() == 1
    assert not _messages(learners[1]).exists()  # on the waiting list
    enrolment_withdraw(enrolment=Enrolment.objects.get(person=people[0]), by=staff_user)
    promoted = _messages(learners[1]).get()
    assert promoted.type.code == "waitlist_promoted" and tc.name in promoted.title


def test_each_claim_decision_is_told_once(county, learners, budget_user):
    person, user = learners[0].person, learners[0]
    claim = submitted_claim(person=person, user=user, amount="300.00")
    claim_send_back(claim=claim, by=budget_user, reason="缺少发票原件")
    sent_back = _messages(user, "claim_sent_back").get()
    assert "缺少发票原件" in sent_back.body and sent_back.url == f"/budget/claims/{claim.pk}/"
    claim_submit(claim=claim, by=user)
    fund()
    claim_approve(claim=claim, by=budget_user)
    claim_mark_paid(claim=claim, by=budget_user)
    codes = list(_messages(user).order_by("pk").values_list("type__code", flat=True))
    assert codes == ["claim_sent_back", "claim_approved", "claim_paid"]
    assert "300.00" in _messages(user, "claim_paid").get().title


def test_essay_graded_once_the_last_essay_is_marked(quiz, bank, learners, staff_user):
    user = learners[0]
    QuizQuestion.objects.create(quiz=quiz, question=bank["essay"], sort_order=9)
    attempt = quiz_services.attempt_start(quiz=quiz, user=user)
    essay = attempt.items.get(kind="essay")
    quiz_services.attempt_save_answers(attempt=attempt, answers={essay.position: {"text": "壮大集体经济"}})
    quiz_services.attempt_submit(attempt=attempt)
    assert not _messages(user).exists()
    quiz_services.essay_grade(item=essay, score=Decimal("4"), comment="论述较完整", grader=staff_user)
    quiz_services.essay_grade(item=essay, score=Decimal("5"), comment="改判", grader=staff_user)  # regraded
    message = _messages(user, "essay_graded").get()
    assert quiz.title in message.title and message.url == f"/quizzes/attempt/{attempt.pk}/result/"


def test_trip_itinerary_published_on_approval_then_changed_once(county, learners, staff_user):
    trip = make_trip(state=Trip.State.PLANNED, people=[learners[0].person, learners[1].person])
    trip.starts_on = timezone.localdate() + datetime.timedelta(days=10)
    trip.ends_on = trip.starts_on + datetime.timedelta(days=3)
    trip.save()
    ItineraryItem.objects.create(trip=trip, day=trip.starts_on, title="参观华西村", place="江阴")
    trip_advance(trip=trip, by=staff_user, to_state=Trip.State.APPROVED)
    published = _messages(learners[0], "trip_itinerary").get()
    assert "已发布" in published.title or "published" in published.title
    assert trip_itineraries_notify() == 0  # nothing changed
    ItineraryItem.objects.create(trip=trip, day=trip.starts_on, title="座谈交流", place="华西村")
    assert trip_itineraries_notify() == 2
    assert trip_itineraries_notify() == 0
    changed = _messages(learners[0], "trip_itinerary").order_by("pk").last()
    assert changed.pk != published.pk and ("变更" in changed.title or "changed" in changed.title)


def test_inactive_accounts_get_nothing(learners, staff_user):
    learners[0].is_active = False
    learners[0].save()
    enrol_people(training_class=make_class(state="enrolling"), people=[learners[0].person], by=staff_user)
    assert not Message.objects.exists()
