"""等保 2.0 basics: idle timeout per role, password rules, the demo password in production, the TOTP second factor."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lms.accounts.passwords import DEMO_PASSWORD
from lms.people.privacy import mask_phone

pytestmark = pytest.mark.django_db


def _idle(client, seconds: int) -> None:
    session = client.session
    session["last_activity"] = int(time.time()) - seconds
    session.save()


def test_staff_are_signed_out_after_thirty_idle_minutes_learners_are_not(staff_user, learner_user):
    staff, learner = Client(), Client()
    staff.force_login(staff_user)
    learner.force_login(learner_user)
    assert staff.get("/admin/").status_code == 200
    learner.get("/")
    _idle(staff, 29 * 60)
    assert staff.get("/admin/").status_code == 200
    _idle(staff, 31 * 60)
    response = staff.get("/admin/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert staff.get("/admin/").status_code == 302  # really signed out
    _idle(learner, 31 * 60)
    assert learner.get("/").status_code == 200


def test_the_idle_limit_is_a_setting(settings, staff_user):
    settings.STAFF_IDLE_MINUTES = 5
    client = Client()
    client.force_login(staff_user)
    client.get("/admin/")
    _idle(client, 6 * 60)
    assert client.get("/admin/").status_code == 302


def test_password_rules_length_classes_and_not_the_phone(learner_user):
    for weak in ("Ab1!", "alllowercase", "abcdefgh12"):
        with pytest.raises(ValidationError):
            validate_password(weak, learner_user)
    with pytest.raises(ValidationError) as refused:
        validate_password(f"Xx!{learner_user.username}", learner_user)
    assert "手机号" in " ".join(refused.value.messages)
    validate_password("Hongxing@2026", learner_user)


def test_production_refuses_the_demo_password_and_forces_its_change(settings, staff_user):
    validate_password(DEMO_PASSWORD, staff_user)  # allowed in development
    settings.REFUSE_DEMO_PASSWORD = True
    with pytest.raises(ValidationError):
        validate_password(DEMO_PASSWORD, staff_user)
    staff_user.set_password(DEMO_PASSWORD)
    staff_user.save()
    client = Client()
    client.post("/accounts/login/", {"username": staff_user.username, "password": DEMO_PASSWORD})
    staff_user.refresh_from_db()
    assert staff_user.must_change_password
    assert client.get("/admin/")["Location"] == "/accounts/password/"


def test_production_settings_turn_the_demo_password_refusal_on():
    source = open("lms/settings/production.py", encoding="utf-8").read()
    assert "REFUSE_DEMO_PASSWORD = True" in source


def test_second_factor_required_by_setting_then_verified_with_a_code(settings, staff_user, learner_user):
    settings.REQUIRE_SECOND_FACTOR = True
    client = Client()
    client.force_login(staff_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/setup/")
    assert client.get("/accounts/otp/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    assert client.post("/accounts/otp/setup/", {"code": "000000", "next": "/admin/"}).status_code == 200
    time.sleep(1.5)  # django-otp throttles the next try after a wrong code
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post("/accounts/otp/setup/", {"code": code, "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    fresh = Client()
    fresh.force_login(staff_user)
    assert fresh.get("/admin/")["Location"].startswith("/accounts/otp/?")
    learner = Client()
    learner.force_login(learner_user)
    assert learner.get("/").status_code == 200  # learners are not asked


def test_phone_masking_shape():
    assert mask_phone("13812345678") == "138****5678"
