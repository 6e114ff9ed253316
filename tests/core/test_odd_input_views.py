"""Odd input sent to real views gets a 4xx or a message in Chinese-ready words, never a 500 or a half-save."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from lms.budget.forms import ClaimForm
from lms.classes.models import LeaveRequest
from lms.trips.models import Trip
from tests.world import build_world


@pytest.fixture
def world(roles):
    return build_world()


def _client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"intervals": [[[[[[[[1]]]]]]]]}',
                                  b'{"intervals": [[1e400, 2]], "position": 1e999}', b"\xff\xfe", b"x" * 70_000])
def test_the_video_progress_endpoint_refuses_odd_json(world, body):
    world.video.output_dir = "videos/1"
    world.video.save(update_fields=["output_dir"])
    response = _client(world.east.learner).post(reverse("videos:report", args=[world.video.pk]), body,
                                                content_type="application/json")
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["error"]


@pytest.mark.django_db
def test_an_unknown_trip_state_is_refused_with_a_message(world):
    response = _client(world.staff).post(reverse("trips:action", args=[world.trip.pk, "advance"]), {"to": "nope"},
                                         follow=True)
    assert response.status_code == 200
    world.trip.refresh_from_db()
    assert world.trip.state == Trip.State.PLANNED


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_absurd_claim_dates_are_refused_by_the_form(world, day):
    form = ClaimForm({"cost_type": "travel", "amount": "10.00", "description": "车费", "incurred_on": day},
                     person=world.east.person)
    assert not form.is_valid() and "incurred_on" in form.errors


@pytest.mark.django_db
def test_a_leave_reason_longer_than_its_column_is_refused_and_nothing_saved(world):
    session = world.session
    session.date = datetime.date.today() + datetime.timedelta(days=2)
    session.save(update_fields=["date"])
    LeaveRequest.objects.filter(session=session).delete()
    response = _client(world.east.learner).post(reverse("classes:ask_leave", args=[session.pk]),
                                                {"kind": "personal", "reason": "假" * 100_000})
    assert response.status_code == 200
    assert not LeaveRequest.objects.filter(session=session, person=world.east.person).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["year=%C2%B2", "township=1234567890123456789012345", "year=99999"])
def test_odd_numbers_in_report_filters_fall_back_instead_of_failing(world, query):
    client = _client(world.officer)
    for url in (reverse("budget:dashboard"), reverse("budget:claims"), reverse("budget:table_export",
                                                                                args=["near_limit"])):
        assert client.get(f"{url}?{query}").status_code == 200


@pytest.mark.django_db
def test_json_of_the_quiz_answer_endpoint_refuses_an_odd_position(world):
    response = _client(world.east.learner).post(reverse("quizzes:answer", args=[999_999]), {"position": "²"})
    assert response.status_code == 404
