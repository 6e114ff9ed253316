"""Sending: one message per event and person, preferences, quiet hours, the daily cap, retries with backoff."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from lms.notifications.models import Delivery, Message, MessageType, Preference, QuietHours
from lms.notifications.services import Notice, deliveries_send_due, delivery_send, notices_send, preferences_save
from lms.notifications.sms import SmsError
from lms.notifications.sms.console import FileSmsBackend

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOON = datetime.datetime(2026, 10, 12, 12, 0, tzinfo=SH)


def _claim_notice(user):
    return Notice(user, {"description": "赴嘉兴南湖考察交通费", "amount": "320.00"}, "/budget/claims/1/")


def _sms_lines(sms_files):
    return [json.loads(line) for f in sorted(sms_files.glob("*.jsonl")) for line in f.read_text().splitlines()]


def test_one_message_per_event_and_person_even_when_sent_twice(learners, sms_files):
    user = learners[0]
    for _ in range(2):
        notices_send(type_code="claim_approved", event_key="claim_approved:7", notices=[_claim_notice(user)],
                     now=NOON)
    message = Message.objects.get(recipient=user)
    assert message.title == "报销已批准：320.00元"
    assert "赴嘉兴南湖考察交通费" in message.body and message.body.startswith(user.display_name())
    sms = Delivery.objects.get(message=message, channel="sms")
    assert sms.address == user.person.phone
    deliveries_send_due(now=NOON)
    # A retried task or a second sweep sends nothing more.
    delivery_send(delivery_id=sms.pk, now=NOON)
    deliveries_send_due(now=NOON)
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.SENT
    lines = _sms_lines(sms_files)
    assert len(lines) == 1
    assert lines[0]["phone"] == user.person.phone and lines[0]["text"].startswith("【县委党校】")


def test_preferences_choose_channels_but_money_stays_in_the_inbox(learners):
    user = learners[0]
    mtype = MessageType.objects.get(code="claim_approved")
    preferences_save(user=user, choices={mtype.pk: (False, False, True)}, quiet_start=datetime.time(22),
                     quiet_end=datetime.time(7), daily_sms_cap=5)
    assert Preference.objects.get(user=user, type=mtype).in_app is True  # cannot be turned off for money
    user.email = "longying@example.cn"
    user.save()
    notices_send(type_code="claim_approved", event_key="claim_approved:8", notices=[_claim_notice(user)], now=NOON)
    deliveries_send_due(now=NOON)
    message = Message.objects.get(recipient=user)
    assert message.in_app
    assert list(message.deliveries.values_list("channel", flat=True)) == ["email"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["longying@example.cn"]
    assert "/budget/claims/1/" in mail.outbox[0].body


def test_in_app_can_be_turned_off_for_learning_reminders(learners):
    user = learners[0]
    mtype = MessageType.objects.get(code="quiz_opening")
    preferences_save(user=user, choices={mtype.pk: (False, False, False)}, quiet_start=datetime.time(22),
                     quiet_end=datetime.time(7), daily_sms_cap=5)
    notices_send(type_code="quiz_opening", event_key="quiz_opening:1", notices=[Notice(user, {"quiz": "党章测验"})])
    message = Message.objects.get(recipient=user)
    assert not message.in_app and not message.deliveries.exists()


def test_sms_in_quiet_hours_is_held_and_sent_in_the_morning(learners, sms_files):
    user = learners[0]
    night = datetime.datetime(2026, 10, 12, 23, 30, tzinfo=SH)
    notices_send(type_code="claim_paid", event_key="claim_paid:1", notices=[_claim_notice(user)], now=night)
    sms = Delivery.objects.get(channel="sms")
    delivery_send(delivery_id=sms.pk, now=night)
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.HELD
    assert sms.next_attempt_at == datetime.datetime(2026, 10, 13, 7, 0, tzinfo=SH)
    assert deliveries_send_due(now=datetime.datetime(2026, 10, 13, 6, 59, tzinfo=SH)) == 0
    assert not _sms_lines(sms_files)
    deliveries_send_due(now=datetime.datetime(2026, 10, 13, 7, 1, tzinfo=SH))
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.SENT and len(_sms_lines(sms_files)) == 1


def test_own_quiet_hours_apply(learners):
    user = learners[0]
    QuietHours.objects.create(user=user, starts_at=datetime.time(12), ends_at=datetime.time(14), daily_sms_cap=5)
    notices_send(type_code="claim_paid", event_key="claim_paid:2", notices=[_claim_notice(user)], now=NOON)
    sms = Delivery.objects.get(channel="sms")
    delivery_send(delivery_id=sms.pk, now=NOON)
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.HELD
    assert sms.next_attempt_at == datetime.datetime(2026, 10, 12, 14, 0, tzinfo=SH)


def test_daily_sms_cap_keeps_further_messages_in_the_inbox_only(learners, sms_files):
    user = learners[0]
    QuietHours.objects.create(user=user, daily_sms_cap=2)
    for n in range(3):
        notices_send(type_code="claim_paid", event_key=f"claim_paid:{n}", notices=[_claim_notice(user)], now=NOON)
        delivery_send(delivery_id=Delivery.objects.get(message__event_key=f"claim_paid:{n}").pk, now=NOON)
    statuses = list(Delivery.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "skipped"]
    assert "2" in Delivery.objects.get(status="skipped").reason
    assert Message.objects.filter(recipient=user).count() == 3
    assert len(_sms_lines(sms_files)) == 2


def test_failing_provider_retries_with_backoff_and_never_sends_twice(learners, monkeypatch, settings):
    user = learners[0]
    calls = []

    def flaky(self, sms):
        calls.append(sms.out_id)
        if len(calls) < 3:
            raise SmsError("isp.RAM_PERMISSION_DENY 网关超时")
        return "biz-1"

    monkeypatch.setattr(FileSmsBackend, "send", flaky)
    notices_send(type_code="claim_paid", event_key="claim_paid:9", notices=[_claim_notice(user)], now=NOON)
    sms = Delivery.objects.get(channel="sms")
    delivery_send(delivery_id=sms.pk, now=NOON)
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.PENDING and sms.attempts >= 1
    assert "网关超时" in sms.reason
    first_wait = sms.next_attempt_at
    # Not due yet: nothing is sent.
    delivery_send(delivery_id=sms.pk, now=first_wait - datetime.timedelta(seconds=1))
    attempts_before = len(calls)
    delivery_send(delivery_id=sms.pk, now=first_wait)
    sms.refresh_from_db()
    assert len(calls) == attempts_before + 1
    while sms.status != Delivery.Status.SENT:
        delivery_send(delivery_id=sms.pk, now=sms.next_attempt_at)
        sms.refresh_from_db()
    assert sms.provider_id == "biz-1" and sms.attempts == 3
    delivery_send(delivery_id=sms.pk, now=sms.sent_at + datetime.timedelta(hours=1))
    assert len(calls) == 3  # a sent message is never sent again


def test_a_provider_that_keeps_failing_marks_the_delivery_failed(learners, monkeypatch, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    monkeypatch.setattr(FileSmsBackend, "send", lambda self, sms: (_ for _ in ()).throw(SmsError("余额不足")))
    notices_send(type_code="claim_paid", event_key="claim_paid:10", notices=[_claim_notice(learners[0])], now=NOON)
    sms = Delivery.objects.get(channel="sms")
    waits = []
    while sms.status == Delivery.Status.PENDING:
        delivery_send(delivery_id=sms.pk, now=sms.next_attempt_at or NOON)
        sms.refresh_from_db()
        waits.append(sms.next_attempt_at)
    assert sms.status == Delivery.Status.FAILED and sms.attempts == 3 and sms.reason == "余额不足"
    assert Message.objects.filter(recipient=learners[0]).exists()  # the inbox copy is kept


def test_final_provider_error_is_not_retried(learners, monkeypatch):
    monkeypatch.setattr(FileSmsBackend, "send",
                        lambda self, sms: (_ for _ in ()).throw(SmsError("号码无效", retry=False)))
    notices_send(type_code="claim_paid", event_key="claim_paid:11", notices=[_claim_notice(learners[0])], now=NOON)
    deliveries_send_due(now=NOON)
    assert Delivery.objects.get(channel="sms").status == Delivery.Status.FAILED


def test_a_send_whose_worker_died_is_marked_failed_not_resent(learners, monkeypatch):
    monkeypatch.setattr(FileSmsBackend, "send", lambda self, sms: "x")
    notices_send(type_code="claim_paid", event_key="claim_paid:12", notices=[_claim_notice(learners[0])], now=NOON)
    sms = Delivery.objects.get(channel="sms")
    Delivery.objects.filter(pk=sms.pk).update(status=Delivery.Status.SENDING, next_attempt_at=NOON)
    deliveries_send_due(now=NOON + datetime.timedelta(minutes=20))
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.FAILED and sms.attempts == 0  # never sent a second time


def test_no_phone_on_the_roster_is_recorded(staff_user):
    notices_send(type_code="staff_waiting", event_key="staff_waiting:x",
                 notices=[Notice(staff_user, {"leave_count": 1, "essay_count": 0})])
    mtype = MessageType.objects.get(code="staff_waiting")
    mtype.sms_default = True
    mtype.save()
    notices_send(type_code="staff_waiting", event_key="staff_waiting:y",
                 notices=[Notice(staff_user, {"leave_count": 1, "essay_count": 0})])
    sms = Delivery.objects.get(message__event_key="staff_waiting:y")
    assert sms.status == Delivery.Status.SKIPPED and sms.reason


def test_inactive_type_sends_nothing(learners):
    MessageType.objects.filter(code="claim_paid").update(is_active=False)
    assert notices_send(type_code="claim_paid", event_key="claim_paid:13", notices=[_claim_notice(learners[0])]) == 0
    assert not Message.objects.exists()
