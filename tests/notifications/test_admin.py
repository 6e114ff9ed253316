"""Admin: staff's and officers' inbox, message-type editing, announcements with preview and progress, the SMS log."""

import json

import pytest
from django.urls import reverse

from lms.classes.models import Enrolment
from lms.notifications.models import Announcement, Delivery, Message, MessageType
from lms.notifications.services import Notice, announcement_create, announcement_fan_out, notices_send
from lms.notifications.sms import Sms
from lms.notifications.sms.console import FileSmsBackend

from .conftest import make_class

pytestmark = pytest.mark.django_db


def test_staff_and_officers_have_an_inbox_in_the_admin_with_unread_count(client, staff_user, budget_user):
    notices_send(type_code="staff_waiting", event_key="staff_waiting:1",
                 notices=[Notice(staff_user, {"leave_count": 2, "essay_count": 3}, "/admin/training/leave/")])
    notices_send(type_code="officer_claims_waiting", event_key="officer:1",
                 notices=[Notice(budget_user, {"count": 4, "days": 3}, "/budget/claims/")])
    client.force_login(staff_user)
    page = client.get(reverse("notifications_admin:inbox")).content.decode()
    assert "2条请假、3篇论述题" in page and "4笔报销" not in page
    sidebar = client.get("/admin/").content.decode()
    assert json.dumps("消息中心（1）") in sidebar  # the sidebar menu is JSON with \u escapes
    message = Message.objects.get(recipient=staff_user)
    response = client.post(reverse("notifications_admin:open", args=[message.pk]))
    assert response["Location"] == "/admin/training/leave/"
    assert client.post(reverse("notifications_admin:open", args=[Message.objects.get(recipient=budget_user).pk])
                       ).status_code == 404
    client.force_login(budget_user)
    assert "4笔报销" in client.get(reverse("notifications_admin:inbox")).content.decode()


def test_staff_edit_a_message_type_and_bad_templates_are_refused(client, staff_user):
    mtype = MessageType.objects.get(code="session_tomorrow")
    client.force_login(staff_user)
    url = reverse("message_types:edit", args=[mtype.pk])
    assert "{class_name}" in client.get(url).content.decode()
    data = {"title_template": "明天有课：{topic}", "body_template": "{name}您好，{老师}讲课",
            "sms_template": "{name}您好，明天{time}上课。", "sms_template_code": "SMS_1", "sms_default": "on",
            "is_active": "on"}
    page = client.post(url, data).content.decode()
    assert "未知变量 {老师}" in page
    data["body_template"] = "{name}您好，{class_name}明天{time}上课。"
    assert client.post(url, data).status_code == 302
    mtype.refresh_from_db()
    assert mtype.body_template == "{name}您好，{class_name}明天{time}上课。" and mtype.sms_template_code == "SMS_1"
    assert client.get(reverse("message_types:add")).status_code in (302, 403, 404)


def test_learners_cannot_use_the_admin_pages(client, learners):
    client.force_login(learners[0])
    assert client.get(reverse("notifications_admin:announce")).status_code in (302, 403)


def test_announcement_preview_then_send_with_progress(client, staff_user, county, learners,
                                                     django_capture_on_commit_callbacks):
    tc = make_class(state="running")
    for user in learners[:4]:
        Enrolment.objects.create(training_class=tc, person=user.person)
    client.force_login(staff_user)
    url = reverse("notifications_admin:announce")
    data = {"title": "关于调整培训时间的通知", "text": "因防汛工作，第二期轮训推迟一周。", "audience": "class",
            "training_class": tc.pk, "action": "preview"}
    page = client.post(url, data).content.decode()
    assert "这条通知将发给 4 名学员" in page and not Announcement.objects.exists()
    page = client.post(url, {**data, "audience": "township", "township": county["east"].pk}).content.decode()
    assert "6 名学员" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {**data, "action": "send"})
    announcement = Announcement.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'id="announcement-bar"' in page and "正在发送" in page
    for callback in callbacks:
        callback()
    assert response["Location"] == reverse("notifications_admin:announcement", args=[announcement.pk])
    # The fan-out task (eager in tests) has run.
    progress = client.get(reverse("notifications_admin:announcement_progress", args=[announcement.pk])).json()
    assert progress == {"done": 4, "total": 4, "percent": 100, "finished": True}
    assert Message.objects.filter(event_key=announcement.event_key).count() == 4
    assert not Delivery.objects.exists()  # no SMS unless asked for


def test_announcement_refuses_an_empty_audience(client, staff_user, county):
    client.force_login(staff_user)
    page = client.post(reverse("notifications_admin:announce"), {
        "title": "通知", "text": "内容", "audience": "class", "action": "preview"}).content.decode()
    assert "请选择培训班" in page


def test_announcement_fan_out_is_idempotent_and_sms_on_request(staff_user, learners, county):
    announcement = announcement_create(by=staff_user, title="学习通知", text="请学习全会精神。", audience="township",
                                       township=county["east"], with_sms=True)
    Announcement.objects.filter(pk=announcement.pk).update(state=Announcement.State.SENDING)
    announcement_fan_out(announcement_id=announcement.pk, batch=4)
    assert Message.objects.filter(event_key=announcement.event_key).count() == 6
    assert Delivery.objects.filter(channel="sms").count() == 6
    assert Delivery.objects.first().body.startswith("学习通知")


def test_sms_log_and_deliveries_are_shown_to_staff(client, staff_user, learners):
    FileSmsBackend().send(Sms(phone="13912345678", text="测试短信", template_code="", params={}, out_id="1"))
    client.force_login(staff_user)
    assert "测试短信" in client.get(reverse("notifications_admin:sms_log")).content.decode()
    notices_send(type_code="claim_paid", event_key="claim_paid:1",
                 notices=[Notice(learners[0], {"description": "车费", "amount": "20.00"})])
    assert client.get(reverse("deliveries:index")).status_code == 200
