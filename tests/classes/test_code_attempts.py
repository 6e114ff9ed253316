"""Typed sign-in codes: a handful of wrong guesses per person and session, then typing is locked."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from lms.classes.models import Attendance
from lms.classes.qr_signin import MAX_CODE_ATTEMPTS, SignInRefused, code_for, slot_at, verify_code
from tests.classes.conftest import make_session


@pytest.fixture
def session(running_class):
    cache.clear()
    now = timezone.localtime()
    start = now - datetime.timedelta(minutes=5)
    end = start + datetime.timedelta(hours=1)
    end = (end.hour, end.minute) if end.date() == start.date() else (23, 59)
    return make_session(running_class, date=start.date(), start=(start.hour, start.minute), end=end)


def _wrong(session) -> str:
    right = code_for(session_id=session.pk, slot=slot_at(timezone.now()))
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_after_too_many_wrong_codes_even_the_right_one_is_refused_with_a_clear_message(session, learner_person):
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(SignInRefused, match="wrong"):
            verify_code(session=session, code=_wrong(session), person=learner_person)
    right = code_for(session_id=session.pk, slot=slot_at(timezone.now()))
    with pytest.raises(SignInRefused, match="locked for 15 minutes"):
        verify_code(session=session, code=right, person=learner_person)


def test_the_lock_is_per_person_and_session(session, county, learner_person):
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(SignInRefused):
            verify_code(session=session, code=_wrong(session), person=learner_person)
    neighbour = county["people"]["east"][1]
    verify_code(session=session, code=code_for(session_id=session.pk, slot=slot_at(timezone.now())), person=neighbour)


def test_a_right_code_before_the_limit_clears_the_count(session, learner_person):
    for _ in range(MAX_CODE_ATTEMPTS - 1):
        with pytest.raises(SignInRefused):
            verify_code(session=session, code=_wrong(session), person=learner_person)
    right = code_for(session_id=session.pk, slot=slot_at(timezone.now()))
    verify_code(session=session, code=right, person=learner_person)
    with pytest.raises(SignInRefused, match="wrong"):
        verify_code(session=session, code=_wrong(session), person=learner_person)


def test_the_sign_in_page_shows_the_lock_and_marks_nobody(client, session, learner_user, learner_person):
    client.force_login(learner_user)
    for _ in range(MAX_CODE_ATTEMPTS + 1):
        response = client.post(f"/classes/sessions/{session.pk}/sign-in/", {"code": _wrong(session)})
    assert response.status_code < 500
    assert "locked for 15 minutes" in response.content.decode() or "15" in response.content.decode()
    assert not Attendance.objects.filter(session=session, person=learner_person).exists()


def test_unicode_digits_are_not_a_code(session, learner_person):
    with pytest.raises(SignInRefused, match="6 digits"):
        verify_code(session=session, code="²²²²²²", person=learner_person)
