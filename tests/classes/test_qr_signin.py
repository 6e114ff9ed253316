"""QR and typed-code sign-in: accepted for an enrolled learner in the window, refused with a reason otherwise."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lms.classes.models import Attendance
from lms.classes.qr_signin import (
    SignInRefused,
    code_for,
    slot_at,
    token_for,
    verify_code,
    verify_token,
)
from tests.factories import learner_for

from .conftest import make_class, make_session


def _session_now(tc, **kwargs):
    """A session of today that started five minutes ago."""
    now = timezone.localtime()
    start = now - datetime.timedelta(minutes=5)
    end = now + datetime.timedelta(hours=1)
    if end.date() != start.date():
        pytest.skip("too close to midnight")
    return make_session(tc, date=start.date(), start=(start.hour, start.minute), end=(end.hour, end.minute), **kwargs)


@pytest.fixture
def session(running_class):
    return _session_now(running_class)


def _scan(client, session, token):
    return client.get(f"/classes/sessions/{session.pk}/sign-in/", {"t": token})


def test_scan_signs_in_enrolled_learner(client, session, learner_user, learner_person):
    client.force_login(learner_user)
    token = token_for(session_id=session.pk, slot=slot_at(timezone.now()))
    response = _scan(client, session, token)
    assert response.status_code == 200
    row = Attendance.objects.get(session=session, person=learner_person)
    assert row.status == "present" and row.method == "qr"
    session.refresh_from_db()
    assert session.attendance_taken_at is not None


def test_typed_code_signs_in(client, session, learner_user, learner_person):
    client.force_login(learner_user)
    code = code_for(session_id=session.pk, slot=slot_at(timezone.now()))
    client.post(f"/classes/sessions/{session.pk}/sign-in/", {"code": code})
    assert Attendance.objects.get(session=session, person=learner_person).method == "code"


def test_previous_slot_still_accepted(session, learner_person):
    now = timezone.now()
    verify_token(session=session, token=token_for(session_id=session.pk, slot=slot_at(now) - 1),
                 person=learner_person, now=now)


def test_screenshot_passed_to_someone_not_enrolled(client, session, county):
    outsider = county["people"]["west"][0]
    client.force_login(learner_for(outsider))
    response = _scan(client, session, token_for(session_id=session.pk, slot=slot_at(timezone.now())))
    assert "You are not enrolled in this class" in response.content.decode()
    assert not Attendance.objects.filter(session=session).exists()


def test_code_from_another_session(session, running_class, learner_person):
    other = _session_now(make_class(name="另一班"), topic="另一课")
    now = timezone.now()
    with pytest.raises(SignInRefused, match="another session"):
        verify_token(session=session, token=token_for(session_id=other.pk, slot=slot_at(now)),
                     person=learner_person, now=now)
    with pytest.raises(SignInRefused, match="another session"):
        verify_code(session=session, code=code_for(session_id=other.pk, slot=slot_at(now)),
                    person=learner_person, now=now)


def test_expired_code(session, learner_person):
    now = timezone.now()
    old = slot_at(now) - 3
    with pytest.raises(SignInRefused, match="expired"):
        verify_token(session=session, token=token_for(session_id=session.pk, slot=old), person=learner_person, now=now)
    with pytest.raises(SignInRefused, match="expired"):
        verify_code(session=session, code=code_for(session_id=session.pk, slot=old), person=learner_person, now=now)


def test_outside_the_window(running_class, learner_person):
    session = make_session(running_class, date=running_class.starts_on)  # days ago
    now = timezone.now()
    with pytest.raises(SignInRefused, match="open only from"):
        verify_token(session=session, token=token_for(session_id=session.pk, slot=slot_at(now)),
                     person=learner_person, now=now)


def test_window_opens_half_an_hour_before(running_class, learner_person):
    session = make_session(running_class, date=running_class.starts_on, start=(9, 0), end=(11, 0))
    too_early = session.starts() - datetime.timedelta(minutes=31)
    just_in = session.starts() - datetime.timedelta(minutes=29)
    with pytest.raises(SignInRefused, match="open only from"):
        verify_token(session=session, token=token_for(session_id=session.pk, slot=slot_at(too_early)),
                     person=learner_person, now=too_early)
    verify_token(session=session, token=token_for(session_id=session.pk, slot=slot_at(just_in)),
                 person=learner_person, now=just_in)


def test_forged_token_refused(session, learner_person):
    with pytest.raises(SignInRefused, match="not a valid"):
        verify_token(session=session, token=f"{session.pk}:{slot_at(timezone.now())}:forged", person=learner_person)


def test_late_after_ten_minutes(session, learner_person):
    from lms.classes.attendance import attendance_sign_in

    row = attendance_sign_in(session=session, person=learner_person, method="qr",
                             now=session.starts() + datetime.timedelta(minutes=15))
    assert row.status == "late"


def test_scan_before_login_returns_and_signs_in(client, session, learner_user, learner_person):
    token = token_for(session_id=session.pk, slot=slot_at(timezone.now()))
    response = _scan(client, session, token)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]
    client.force_login(learner_user)
    _scan(client, session, token)
    assert Attendance.objects.filter(session=session, person=learner_person).exists()


def test_staff_qr_screen_shows_code(client, session, staff_user):
    client.force_login(staff_user)
    response = client.get(f"/classes/staff/sessions/{session.pk}/qr/")
    body = response.content.decode()
    assert response.status_code == 200
    slot = slot_at(timezone.now())
    assert code_for(session_id=session.pk, slot=slot) in body or code_for(session_id=session.pk, slot=slot - 1) in body
    assert "<svg" in body


def test_learner_cannot_open_qr_screen(client, session, learner_user):
    client.force_login(learner_user)
    assert client.get(f"/classes/staff/sessions/{session.pk}/qr/").status_code == 404


@given(session_id=st.integers(min_value=1, max_value=10**9), slot=st.integers(min_value=0, max_value=10**10))
def test_typed_code_is_six_digits_and_stable(session_id, slot):
    code = code_for(session_id=session_id, slot=slot)
    assert len(code) == 6 and code.isdigit() and code == code_for(session_id=session_id, slot=slot)
