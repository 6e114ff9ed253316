"""A real Celery worker sends the deliveries and fans out an announcement; a repeated task sends nothing twice."""

import json
import time

import pytest

from lms.notifications import tasks
from lms.notifications.models import Announcement, Delivery, Message, QuietHours
from lms.notifications.services import Notice, announcement_create, notices_send

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _wait(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")


def test_the_worker_sends_an_announcement_by_sms_once(learners, county, staff_user, sms_files, celery_worker_real):
    for user in learners:  # whatever the hour the test runs at: no quiet hours for them
        QuietHours.objects.create(user=user, starts_at="03:00", ends_at="03:01", daily_sms_cap=10)
    announcement = announcement_create(by=staff_user, title="学习通知", text="请按时参加集中学习。",
                                       audience="township", township=county["east"], with_sms=True)
    _wait(lambda: Announcement.objects.get(pk=announcement.pk).state == Announcement.State.SENT)
    _wait(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == len(learners))
    assert Message.objects.filter(event_key=announcement.event_key).count() == len(learners)
    # The same task again (a retry after a lost acknowledgement): nothing new is sent.
    tasks.announcement_send.delay(announcement.pk).get(timeout=30)
    ids = list(Delivery.objects.values_list("pk", flat=True))
    tasks.deliveries_send.delay(ids).get(timeout=30)
    lines = [json.loads(line) for f in sms_files.glob("*.jsonl") for line in f.read_text().splitlines()]
    assert len(lines) == len(learners)
    assert {line["phone"] for line in lines} == {u.person.phone for u in learners}


def test_a_decision_notice_is_delivered_by_the_worker(learners, sms_files, celery_worker_real):
    QuietHours.objects.create(user=learners[0], starts_at="03:00", ends_at="03:01", daily_sms_cap=10)
    notices_send(type_code="claim_paid", event_key="claim_paid:w1",
                 notices=[Notice(learners[0], {"description": "车费", "amount": "20.00"})])
    _wait(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).exists())
    assert Delivery.objects.get().backend == "console"
