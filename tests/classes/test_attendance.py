"""The roster: saved all at once, corrections keep a reason; bad input refused with nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lms.classes.attendance import attendance_mark, attendance_record_station_group
from lms.classes.models import Attendance, AttendanceCorrection, Session
from lms.people.models import Station
from tests.factories import UserFactory, learner_for

from .conftest import enrol, make_class, make_session


@pytest.fixture
def session(running_class):
    return make_session(running_class)


def test_roster_saved_at_once_and_session_marked_held(session, running_class, county, staff_user):
    people = county["people"]["east"]
    attendance_mark(session=session, marks={people[0].pk: "present", people[1].pk: "late", people[2].pk: "absent"},
                    by=staff_user)
    assert dict(Attendance.objects.filter(session=session).values_list("person_id", "status")) == {
        people[0].pk: "present", people[1].pk: "late", people[2].pk: "absent"}
    session.refresh_from_db()
    assert session.state == Session.State.HELD and session.attendance_taken_at


def test_correction_needs_reason_and_is_kept(session, county, staff_user):
    person = county["people"]["east"][0]
    attendance_mark(session=session, marks={person.pk: "absent"}, by=staff_user)
    with pytest.raises(ValidationError, match="Give a reason"):
        attendance_mark(session=session, marks={person.pk: "present"}, by=staff_user)
    assert Attendance.objects.get(session=session, person=person).status == "absent"
    attendance_mark(session=session, marks={person.pk: "present"}, by=staff_user, reason="看错了")
    correction = AttendanceCorrection.objects.get()
    assert (correction.old_status, correction.new_status, correction.reason) == ("absent", "present", "看错了")


def test_roster_page_shows_kept_corrections(client, session, county, staff_user):
    person = county["people"]["east"][0]
    attendance_mark(session=session, marks={person.pk: "absent"}, by=staff_user)
    client.force_login(staff_user)
    client.post(f"/classes/staff/sessions/{session.pk}/roster/", {f"p{person.pk}": "late", "reason": "堵车迟到"})
    body = client.get(f"/classes/staff/sessions/{session.pk}/roster/").content.decode()
    assert "堵车迟到" in body and "Absent → Late" in body


def test_marking_someone_not_enrolled_saves_nothing(session, county, staff_user):
    inside, outsider = county["people"]["east"][0], county["people"]["west"][0]
    with pytest.raises(ValidationError, match=f"#{outsider.pk} is not enrolled"):
        attendance_mark(session=session, marks={inside.pk: "present", outsider.pk: "present"}, by=staff_user)
    assert not Attendance.objects.exists()


def test_unknown_mark_refused(session, county, staff_user):
    with pytest.raises(ValidationError, match="not an attendance mark"):
        attendance_mark(session=session, marks={county["people"]["east"][0].pk: "asleep"}, by=staff_user)


def _errors(session):
    with pytest.raises(ValidationError) as info:
        session.full_clean()
    return info.value.message_dict


def test_session_outside_class_dates(running_class):
    s = Session(training_class=running_class, date=running_class.ends_on + datetime.timedelta(days=1),
                starts_at=datetime.time(9), ends_at=datetime.time(10), half_day="am", topic="x")
    assert "within the class dates" in _errors(s)["date"][0]


@pytest.mark.parametrize("hours,text", [("-1", "cannot be negative"), ("13", "more than 12")])
def test_absurd_hours(running_class, hours, text):
    s = Session(training_class=running_class, date=running_class.starts_on, starts_at=datetime.time(9),
                ends_at=datetime.time(10), half_day="am", topic="x", credit_hours=hours)
    assert any(text in m for m in _errors(s)["credit_hours"])


def test_overlapping_sessions_for_one_teacher(running_class, teacher):
    make_session(running_class, start=(9, 0), end=(11, 0), teacher=teacher, topic="党章")
    other = make_class(name="另一班")
    s = Session(training_class=other, date=running_class.starts_on, starts_at=datetime.time(10, 30),
                ends_at=datetime.time(12), half_day="am", topic="x", teacher=teacher)
    assert "already teaches “党章”" in _errors(s)["teacher"][0]
    s.starts_at = datetime.time(11, 0)
    s.full_clean()


def test_admin_session_form_refuses_bad_input(client, running_class, staff_user):
    client.force_login(staff_user)
    response = client.post("/admin/classes/session/new/", {
        "training_class": running_class.pk, "date": str(running_class.ends_on + datetime.timedelta(days=3)),
        "starts_at": "09:00", "ends_at": "10:00", "half_day": "am", "topic": "越界", "credit_hours": "-2",
        "state": "scheduled",
    })
    body = response.content.decode()
    assert "within the class dates" in body and "cannot be negative" in body
    assert not Session.objects.filter(topic="越界").exists()


def test_roster_page_saves_all(client, session, county, staff_user):
    client.force_login(staff_user)
    people = county["people"]["east"]
    data = {f"p{p.pk}": "present" for p in people}
    data[f"p{people[1].pk}"] = "leave_sick"
    response = client.post(f"/classes/staff/sessions/{session.pk}/roster/", data)
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session, status="present").count() == 5
    # A changed mark without reason: refused, nothing changed, message shown.
    data[f"p{people[0].pk}"] = "absent"
    body = client.post(f"/classes/staff/sessions/{session.pk}/roster/", data).content.decode()
    assert "Give a reason" in body
    assert Attendance.objects.get(session=session, person=people[0]).status == "present"


def test_roster_page_refuses_outsider(client, session, county, staff_user):
    client.force_login(staff_user)
    outsider = county["people"]["west"][0]
    body = client.post(f"/classes/staff/sessions/{session.pk}/roster/", {f"p{outsider.pk}": "present"}).content.decode()
    assert "is not enrolled in this class" in body
    assert not Attendance.objects.exists()


def test_roster_query_count_does_not_grow(client, running_class, county, staff_user, django_assert_max_num_queries):
    session = make_session(running_class)
    client.force_login(staff_user)
    client.get(f"/classes/staff/sessions/{session.pk}/roster/")
    with django_assert_max_num_queries(12) as small:
        client.get(f"/classes/staff/sessions/{session.pk}/roster/")
    from tests.factories import PersonFactory

    enrol(running_class, [PersonFactory(village=county["villages"]["east"][0]) for _ in range(25)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/classes/staff/sessions/{session.pk}/roster/")


def test_station_operator_records_group(client, running_class, county):
    operator = county["people"]["east"][2]
    user = learner_for(operator)
    station = Station.objects.create(name="红星村站点", level="village", county=county["east"].county,
                                     township=county["east"], village=county["villages"]["east"][0],
                                     operator=operator)
    session = make_session(running_class, station=station)
    client.force_login(user)
    watchers = county["people"]["east"][:2]
    client.post(f"/classes/station/sessions/{session.pk}/", {"present": [p.pk for p in watchers]})
    rows = Attendance.objects.filter(session=session)
    assert {r.person_id for r in rows} == {p.pk for p in watchers}
    assert {r.method for r in rows} == {"station"}


def test_only_the_operator_records_station_group(running_class, county):
    station = Station.objects.create(name="团结村站点", level="village", county=county["east"].county,
                                     township=county["east"], village=county["villages"]["east"][1])
    session = make_session(running_class, station=station)
    with pytest.raises(ValidationError, match="Only the operator"):
        attendance_record_station_group(session=session, person_ids=[], by=UserFactory())
