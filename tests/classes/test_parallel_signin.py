"""Parallel sign-ins and roster saves of one session: one mark, one correction, a friendly answer (PostgreSQL)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from lms.classes.attendance import attendance_mark, attendance_sign_in
from lms.classes.models import Attendance, AttendanceCorrection
from lms.classes.qr_signin import code_for, slot_at
from tests.factories import learner_for
from tests.parallel import run_in_parallel

from .conftest import make_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")


@pytest.fixture
def session(running_class):
    now = timezone.localtime()
    start, end = now - datetime.timedelta(minutes=5), now + datetime.timedelta(hours=1)
    if end.date() != start.date():
        pytest.skip("too close to midnight")
    return make_session(running_class, date=start.date(), start=(start.hour, start.minute),
                        end=(end.hour, end.minute))


def test_twenty_parallel_sign_ins_make_one_mark(session, learner_person):
    for _round in range(3):
        Attendance.objects.all().delete()
        outcomes = run_in_parallel(
            lambda i: attendance_sign_in(session=session, person=learner_person, method="qr"), 20)
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert Attendance.objects.filter(session=session, person=learner_person).count() == 1
        assert sorted(o.already_signed_in for o in outcomes) == [False] + [True] * 19


def test_parallel_typed_codes_over_http_answer_already_signed_in(session, learner_person):
    user = learner_for(learner_person)
    clients = []
    for _ in range(8):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        clients.append(client)
    code = code_for(session_id=session.pk, slot=slot_at(timezone.now()))
    url = f"/classes/sessions/{session.pk}/sign-in/"
    outcomes = run_in_parallel(lambda i: clients[i].post(url, {"code": code}), 8)
    assert [r.status_code for r in outcomes] == [200] * 8
    pages = [r.content.decode() for r in outcomes]
    assert sum("Already signed in" in p for p in pages) == 7
    assert sum("Signed in:" in p for p in pages) == 1
    assert Attendance.objects.filter(session=session).count() == 1


def test_an_absent_mark_corrected_by_parallel_sign_ins_once(session, learner_person, staff_user):
    attendance_mark(session=session, marks={learner_person.pk: "absent"}, by=staff_user)
    outcomes = run_in_parallel(
        lambda i: attendance_sign_in(session=session, person=learner_person, method="code"), 10)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert AttendanceCorrection.objects.count() == 1
    assert Attendance.objects.get(person=learner_person).status == "present"


def test_parallel_roster_corrections_record_one_correction(session, county, staff_user):
    people = county["people"]["east"]
    attendance_mark(session=session, marks={p.pk: "present" for p in people}, by=staff_user)
    change = {p.pk: ("absent" if i == 0 else "present") for i, p in enumerate(people)}
    outcomes = run_in_parallel(
        lambda i: attendance_mark(session=session, marks=change, by=staff_user, reason="核对签到表"), 18)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert AttendanceCorrection.objects.count() == 1
    assert Attendance.objects.get(person=people[0]).status == "absent"
