"""Tiered leave: routed by length to the class teacher, 教务 or the deputy head; the 1/7 cap flags and
two days absent without leave withdraws, automatically; the learner sees all of it before sending."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lms.accounts.roles import DEPUTY_HEAD, STAFF
from lms.classes.attendance import attendance_mark
from lms.classes.leave import leave_decide, leave_may_decide, leave_preview, leave_request, leave_tier_for
from lms.classes.models import Attendance, Enrolment, LeaveRequest, Session
from tests.factories import UserFactory

from .conftest import make_session


@pytest.fixture
def days_ahead(running_class):
    """Three future days with a morning and an afternoon session each (2 hours each)."""
    running_class.ends_on = timezone.localdate() + datetime.timedelta(days=10)
    running_class.planned_credit_hours = Decimal("28")  # cap 4 hours
    running_class.save()
    out = []
    for d in range(1, 4):
        day = timezone.localdate() + datetime.timedelta(days=d)
        out.append(make_session(running_class, date=day, start=(8, 30), end=(11, 30), hours="2", topic=f"上午{d}"))
        pm = make_session(running_class, date=day, start=(14, 30), end=(17, 30), hours="2", topic=f"下午{d}")
        Session.objects.filter(pk=pm.pk).update(half_day="pm")
        pm.refresh_from_db()
        out.append(pm)
    return out


@pytest.fixture
def deputy_user(roles):
    return UserFactory(username="fuxiaozhang", roles=[DEPUTY_HEAD, STAFF])


def test_tier_by_length_and_settings(settings):
    assert leave_tier_for(Decimal("0.5")) == "class_teacher"
    assert leave_tier_for(Decimal("1")) == "academic"
    assert leave_tier_for(Decimal("1.5")) == "deputy_head"
    settings.LEAVE_CLASS_TEACHER_MAX_DAYS = "1"
    settings.LEAVE_ACADEMIC_MAX_DAYS = "3"
    assert leave_tier_for(Decimal("1")) == "class_teacher"
    assert leave_tier_for(Decimal("2")) == "academic"


def test_requests_route_by_length(days_ahead, learner_person, county):
    half = leave_request(session=days_ahead[0], person=learner_person, kind="leave_sick", reason="看病")
    assert (half.days, half.tier) == (Decimal("0.5"), "class_teacher")
    assert list(half.covered_sessions.all()) == [days_ahead[0]]
    other = county["people"]["east"][1]
    day = leave_request(session=days_ahead[2], person=other, kind="leave_official", reason="开会",
                        until_date=days_ahead[2].date)
    assert (day.days, day.tier, day.covered_sessions.count()) == (Decimal("1.0"), "academic", 2)
    third = county["people"]["east"][2]
    long = leave_request(session=days_ahead[1], person=third, kind="leave_personal", reason="家中有事",
                         until_date=days_ahead[2].date)
    assert (long.days, long.tier, long.covered_sessions.count()) == (Decimal("1.5"), "deputy_head", 3)


def test_each_step_decides_only_its_tier(days_ahead, learner_person, county, staff_user, deputy_user, teacher):
    tc = days_ahead[0].training_class
    head_teacher = UserFactory(username="banzhuren", roles=[STAFF])
    tc.staff_in_charge.add(head_teacher)
    half = leave_request(session=days_ahead[0], person=learner_person, kind="leave_sick", reason="看病")
    assert leave_may_decide(user=head_teacher, leave=half)
    assert not leave_may_decide(user=staff_user, leave=half)  # the class has its own class teacher
    with pytest.raises(ValidationError, match="waits for the Class teacher"):
        leave_decide(leave=half, approve=True, by=staff_user)
    long = leave_request(session=days_ahead[2], person=county["people"]["east"][1], kind="leave_personal",
                         reason="外出", until_date=days_ahead[5].date)
    with pytest.raises(ValidationError, match="Deputy head"):
        leave_decide(leave=long, approve=True, by=staff_user)
    assert LeaveRequest.objects.get(pk=long.pk).state == "pending"
    leave_decide(leave=long, approve=True, by=deputy_user)
    marked = Attendance.objects.filter(person=county["people"]["east"][1], method="leave")
    assert set(marked.values_list("session_id", flat=True)) == {s.pk for s in days_ahead[2:6]}


def test_approval_over_the_cap_flags_automatically(days_ahead, learner_person, deputy_user):
    leave = leave_request(session=days_ahead[0], person=learner_person, kind="leave_personal", reason="家事",
                          until_date=days_ahead[2].date)  # 4 sessions, 8 hours, cap 4
    preview = leave_preview(session=days_ahead[0], person=learner_person, until_date=days_ahead[2].date)
    assert preview.over_cap and preview.hours_after == Decimal("8")
    leave_decide(leave=leave, approve=True, by=deputy_user)
    assert Enrolment.objects.get(person=learner_person).leave_cap_flagged_at is not None


def test_within_cap_not_flagged(days_ahead, learner_person, staff_user):
    leave = leave_request(session=days_ahead[0], person=learner_person, kind="leave_sick", reason="看病")
    leave_decide(leave=leave, approve=True, by=staff_user)
    assert Enrolment.objects.get(person=learner_person).leave_cap_flagged_at is None


def test_two_days_absent_without_leave_withdraws(running_class, learner_person, county, staff_user):
    past = [make_session(running_class, date=running_class.starts_on + datetime.timedelta(days=d),
                         start=(8 + h, 0), end=(8 + h, 50)) for d in range(2) for h in range(2)]
    for s in past:
        Session.objects.filter(pk=s.pk).update(half_day="am" if s.starts_at.hour == 8 else "pm")
    other = county["people"]["east"][1]
    for s in past[:3]:
        attendance_mark(session=s, marks={learner_person.pk: "absent", other.pk: "present"}, by=staff_user)
    assert Enrolment.objects.get(person=learner_person).status == "enrolled"  # 1.5 days
    attendance_mark(session=past[3], marks={learner_person.pk: "absent", other.pk: "leave_sick"}, by=staff_user)
    row = Enrolment.objects.get(person=learner_person)
    assert row.status == "withdrawn" and "2" in row.withdraw_reason
    assert Enrolment.objects.get(person=other).status == "enrolled"


def test_leave_past_its_session_or_outside_the_class_saves_nothing(running_class, days_ahead, learner_person):
    with pytest.raises(ValidationError, match="before the session starts"):
        leave_request(session=make_session(running_class), person=learner_person, kind="leave_sick", reason="x")
    with pytest.raises(ValidationError, match="after the class ends"):
        leave_request(session=days_ahead[0], person=learner_person, kind="leave_sick", reason="x",
                      until_date=running_class.ends_on + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="cannot be before"):
        leave_request(session=days_ahead[2], person=learner_person, kind="leave_sick", reason="x",
                      until_date=days_ahead[0].date)
    assert not LeaveRequest.objects.exists()


def test_overlapping_requests_refused(days_ahead, learner_person):
    leave_request(session=days_ahead[0], person=learner_person, kind="leave_sick", reason="看病",
                  until_date=days_ahead[2].date)
    with pytest.raises(ValidationError, match="already asked"):
        leave_request(session=days_ahead[1], person=learner_person, kind="leave_sick", reason="看病")
    assert LeaveRequest.objects.count() == 1


def test_learner_sees_length_tier_cap_and_rule_before_sending(client, days_ahead, learner_user, learner_person):
    client.force_login(learner_user)
    url = f"/classes/sessions/{days_ahead[0].pk}/leave/"
    body = client.post(url, {"until": days_ahead[4].date.isoformat(), "action": "preview",
                             "kind": "leave_sick", "reason": ""}).content.decode()
    assert "6 sessions (3.0 days)" in body and "Deputy head" in body
    assert "no certificate for this class" in body and "At 2 days you are withdrawn" in body
    assert not LeaveRequest.objects.exists()  # previewing saves nothing
    body = client.post(url, {"until": "2026-13-40", "kind": "leave_sick", "reason": "x"}).content.decode()
    assert "Give the last day of leave as a date" in body and not LeaveRequest.objects.exists()
    response = client.post(url, {"until": days_ahead[1].date.isoformat(), "kind": "leave_sick", "reason": "住院"})
    assert response.status_code == 302
    assert LeaveRequest.objects.get(person=learner_person).tier == "academic"


def test_queues_per_step_and_scope(client, days_ahead, learner_person, county, staff_user, deputy_user,
                                   organiser_user):
    leave_request(session=days_ahead[0], person=learner_person, kind="leave_sick", reason="看病")
    long = leave_request(session=days_ahead[2], person=county["people"]["east"][1], kind="leave_personal",
                         reason="外出", until_date=days_ahead[5].date)
    client.force_login(staff_user)
    body = client.get("/admin/training/leave/").content.decode()
    assert 'data-queue="deputy_head"' in body and "Waiting for the Deputy head" in body
    response = client.post(f"/admin/training/leave/{long.pk}/decide/", {"decision": "approve"})
    assert LeaveRequest.objects.get(pk=long.pk).state == "pending"
    client.force_login(deputy_user)
    client.post(f"/admin/training/leave/{long.pk}/decide/", {"decision": "refuse", "note": "培训期间不准长假"})
    assert LeaveRequest.objects.get(pk=long.pk).state == "refused"
    west_class_leave = LeaveRequest.objects.get(pk=long.pk)
    client.force_login(UserFactory(username="xihe", roles=["township_organiser"], township=county["west"]))
    response = client.post(f"/admin/training/leave/{west_class_leave.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 404
