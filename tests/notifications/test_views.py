"""The learner's inbox: only their own messages, marking read, the header badge, preferences."""

import datetime

import pytest

from lms.notifications.models import Message, MessageType, Preference, QuietHours
from lms.notifications.services import Notice, notices_send

pytestmark = pytest.mark.django_db


def _notify(user, n, code="enrolment_accepted", url="/classes/"):
    notices_send(type_code=code, event_key=f"{code}:{n}",
                 notices=[Notice(user, {"class_name": f"第{n}期村干部轮训班", "starts_on": "10月12日"}, url)])
    return Message.objects.get(recipient=user, event_key=f"{code}:{n}")


def test_inbox_lists_own_messages_with_unread_badge(client, learners, django_assert_max_num_queries):
    me, other = learners[0], learners[1]
    for n in range(25):
        _notify(me, n)
    _notify(other, 99)
    client.force_login(me)
    with django_assert_max_num_queries(12):
        page = client.get("/messages/").content.decode()
    assert "第24期村干部轮训班" in page and "第99期" not in page
    assert '<span class="unread-badge"' in page and ">25<" in page
    second = client.get("/messages/?page=2").content.decode()
    assert "第0期村干部轮训班" in second


def test_someone_elses_message_is_404(client, learners):
    theirs = _notify(learners[1], 1)
    client.force_login(learners[0])
    assert client.get(f"/messages/{theirs.pk}/").status_code == 404
    assert client.post(f"/messages/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_a_message_page_does_not_mark_it_opening_does(client, learners):
    mine = _notify(learners[0], 1, url="/classes/7/")
    client.force_login(learners[0])
    assert client.get(f"/messages/{mine.pk}/").status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is None
    response = client.post(f"/messages/{mine.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/classes/7/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "unread-badge" not in client.get("/messages/").content.decode()


def test_mark_all_read(client, learners):
    for n in range(3):
        _notify(learners[0], n)
    client.force_login(learners[0])
    client.post("/messages/read-all/")
    assert not Message.objects.filter(recipient=learners[0], read_at__isnull=True).exists()


def test_open_refuses_to_redirect_off_site(client, learners):
    mine = _notify(learners[0], 1, url="https://evil.example.com/")
    client.force_login(learners[0])
    response = client.post(f"/messages/{mine.pk}/open/")
    assert response["Location"] == f"/messages/{mine.pk}/"


def test_preferences_page_saves_channels_and_quiet_hours(client, learners):
    user = learners[0]
    client.force_login(user)
    page = client.get("/messages/settings/").content.decode()
    quiz, money = MessageType.objects.get(code="quiz_closing"), MessageType.objects.get(code="claim_paid")
    assert "待审报销" not in page  # staff-only types are not offered to learners
    response = client.post("/messages/settings/", {
        f"email_{quiz.pk}": "on", f"in_app_{money.pk}": "on", "starts_at": "21:30", "ends_at": "06:30",
        "daily_sms_cap": "3"})
    assert response.status_code == 302
    assert Preference.objects.get(user=user, type=quiz).sms is False
    assert Preference.objects.get(user=user, type=quiz).email is True
    assert Preference.objects.get(user=user, type=money).in_app is True
    quiet = QuietHours.objects.get(user=user)
    assert quiet.starts_at == datetime.time(21, 30) and quiet.daily_sms_cap == 3


def test_preferences_refuse_empty_quiet_hours(client, learners):
    client.force_login(learners[0])
    response = client.post("/messages/settings/", {"starts_at": "22:00", "ends_at": "22:00", "daily_sms_cap": "5"})
    assert response.status_code == 200 and not QuietHours.objects.exists()


def test_pages_need_sign_in(client):
    assert client.get("/messages/").status_code == 302
