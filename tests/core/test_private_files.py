"""Private files reach only those who may have them, as downloads with a safe type (images inline)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_sendfile import utils as sendfile_utils

from tests.world import build_world


@pytest.fixture
def world(roles):
    return build_world()


def _get(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_a_class_lesson_plan_opens_for_its_learners_and_no_one_else(world):
    plan = world.west.objects["lesson_plan"]
    assert _get(None, plan.url).status_code == 302
    assert _get(world.east.learner, plan.url).status_code == 404
    assert _get(world.east.organiser, plan.url).status_code == 404
    response = _get(world.west.learner, plan.url)
    assert response.status_code == 200 and world.west.person.phone.encode() in _body(response)
    assert _get(world.staff, plan.url).status_code == 200


@pytest.mark.django_db
def test_note_photos_are_served_by_a_checked_view_not_by_url(world):
    photo = world.west.objects["note_photo"]
    url = reverse("classes:note_photo", args=[photo.pk])
    assert _get(world.east.learner, url).status_code == 404
    assert _get(world.east.organiser, url).status_code == 404
    response = _get(world.west.learner, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and "attachment" not in response.get("Content-Disposition", "")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _get(world.west.learner, settings.MEDIA_URL + photo.image.name).status_code == 404


@pytest.mark.django_db
def test_receipts_are_attachments_and_only_for_their_claim(world):
    receipt = world.east.objects["receipt"]
    url = reverse("budget:receipt", args=[receipt.pk])
    assert _get(world.west.learner, url).status_code == 404
    response = _get(world.east.learner, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_in_production_the_proxy_sends_the_bytes_from_an_internal_location(world, settings):
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_URL = "/protected-media"
    sendfile_utils._get_sendfile.cache_clear()
    receipt = world.east.objects["receipt"]
    response = _get(world.east.learner, reverse("budget:receipt", args=[receipt.pk]))
    assert response["X-Accel-Redirect"] == f"/protected-media/{receipt.file.name}"
    assert response.content == b""
    settings.SENDFILE_BACKEND = "lms.core.sendfile_simple"
    sendfile_utils._get_sendfile.cache_clear()
