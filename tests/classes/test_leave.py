"""Leave: asked before the session, approved or refused, reported back; the 1/7 cap warns and flags."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lms.classes.attendance import attendance_mark
from lms.classes.leave import leave_cap_warning, leave_decide, leave_report_back, leave_request
from lms.classes.models import Attendance, LeaveRequest
from lms.classes.selectors import attendance_stats_for_class

from .conftest import make_session


@pytest.fixture
def future_sessions(running_class):
    """Seven future one-hour sessions; the class plans 7 hours, so the cap is 1 hour."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    return [make_session(running_class, date=day, start=(8 + i, 0), end=(8 + i, 50), topic=f"第{i + 1}讲")
            for i in range(7)]


def test_request_approve_and_report_back(future_sessions, learner_person, staff_user):
    leave = leave_request(session=future_sessions[0], person=learner_person, kind="leave_sick", reason="发烧")
    leave_decide(leave=leave, approve=True, by=staff_user)
    row = Attendance.objects.get(session=future_sessions[0], person=learner_person)
    assert row.status == "leave_sick" and row.method == "leave"
    with pytest.raises(ValidationError, match="once the session you were excused from is over"):
        leave_report_back(leave=leave, person=learner_person)
    leave.refresh_from_db()
    assert leave.state == "approved"
    leave_report_back(leave=leave, person=learner_person, now=future_sessions[0].ends())
    leave.refresh_from_db()
    assert leave.state == "reported_back" and leave.reported_back_at


def test_refused_leave_marks_nothing(future_sessions, learner_person, staff_user):
    leave = leave_request(session=future_sessions[0], person=learner_person, kind="leave_personal", reason="家事")
    leave_decide(leave=leave, approve=False, by=staff_user, note="培训重要")
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError, match="already been decided"):
        leave_decide(leave=leave, approve=True, by=staff_user)


def test_leave_must_be_before_session(running_class, learner_person):
    past = make_session(running_class)
    with pytest.raises(ValidationError, match="before the session starts"):
        leave_request(session=past, person=learner_person, kind="leave_sick", reason="x")


def test_leave_needs_reason_and_enrolment(future_sessions, learner_person, county):
    with pytest.raises(ValidationError, match="Give a reason"):
        leave_request(session=future_sessions[0], person=learner_person, kind="leave_sick", reason=" ")
    with pytest.raises(ValidationError, match="not enrolled"):
        leave_request(session=future_sessions[0], person=county["people"]["west"][0], kind="leave_sick",
                      reason="x")


def test_cap_warning_then_over(future_sessions, learner_person, staff_user):
    first = leave_request(session=future_sessions[0], person=learner_person, kind="leave_official", reason="开会")
    warning = leave_cap_warning(leave=first)
    assert warning is not None and not warning.over  # 1 of 1 hour allowed: at the cap
    leave_decide(leave=first, approve=True, by=staff_user)
    second = leave_request(session=future_sessions[1], person=learner_person, kind="leave_personal", reason="家事")
    assert leave_cap_warning(leave=second).over


def test_stats_flag_over_cap_after_sessions_held(running_class, county, staff_user):
    sessions = [make_session(running_class, start=(8 + i, 0), end=(8 + i, 50)) for i in range(3)]
    people = county["people"]["east"]
    attendance_mark(session=sessions[0], marks={people[0].pk: "leave_sick", people[1].pk: "present"}, by=staff_user)
    stats = attendance_stats_for_class(training_class=running_class)
    assert stats[people[0].pk].leave_cap_hours == Decimal("1.00")
    assert stats[people[0].pk].near_leave_cap and not stats[people[0].pk].over_leave_cap
    attendance_mark(session=sessions[1], marks={people[0].pk: "leave_personal"}, by=staff_user)
    stats = attendance_stats_for_class(training_class=running_class)
    assert stats[people[0].pk].over_leave_cap and stats[people[0].pk].leave_hours == Decimal("2")
    assert stats[people[1].pk].attended == 1 and stats[people[1].pk].absent == 1
    assert stats[people[1].pk].attendance_rate == Decimal("0.5000")
    assert set(stats) == {p.pk for p in people}


def test_learner_pages_ask_leave_and_see_warning_badge(client, future_sessions, learner_user, learner_person):
    client.force_login(learner_user)
    response = client.post(f"/classes/sessions/{future_sessions[0].pk}/leave/",
                           {"kind": "leave_sick", "reason": "住院"})
    assert response.status_code == 302
    assert LeaveRequest.objects.get(person=learner_person).reason == "住院"
    body = client.get(f"/classes/sessions/{future_sessions[0].pk}/leave/").content.decode()
    assert body  # form still reachable
    response = client.post(f"/classes/sessions/{future_sessions[0].pk}/leave/", {"kind": "leave_sick", "reason": "x"})
    assert "already asked" in response.content.decode()


def test_staff_leave_list_shows_cap_warning(client, future_sessions, learner_person, staff_user):
    leave_request(session=future_sessions[0], person=learner_person, kind="leave_sick", reason="发烧")
    client.force_login(staff_user)
    body = client.get("/admin/training/leave/").content.decode()
    assert 'data-warning="near"' in body
    client.post(f"/admin/training/leave/{LeaveRequest.objects.get().pk}/decide/", {"decision": "approve"})
    assert LeaveRequest.objects.get().state == "approved"
