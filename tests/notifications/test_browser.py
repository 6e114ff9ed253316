"""The inbox on a 375px phone: the unread badge in the header, opening a message, marking all read."""

import os

import pytest

from lms.notifications.models import Message
from lms.notifications.services import Notice, notices_send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SHOTS = os.environ.get("NOTIFICATIONS_SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def phone(live_server, client, learners):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    client.force_login(learners[0])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=1)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
        browser.close()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_inbox_at_375px(phone, live_server, learners):
    user = learners[0]
    notices_send(type_code="claim_sent_back", event_key="claim_sent_back:1", notices=[Notice(
        user, {"description": "赴嘉兴南湖红船教育基地考察学习往返交通费", "amount": "326.50",
               "reason": "发票抬头应为县委组织部，请更换后重新提交"}, "/messages/settings/")])
    notices_send(type_code="session_tomorrow", event_key="session_tomorrow:1", notices=[Notice(
        user, {"class_name": "2026年村党组织书记集中轮训班（第二期）", "topic": "学习贯彻党的二十届三中全会精神",
               "date": "10月13日", "time": "09:00", "place": "县委党校一楼报告厅"}, "")])
    notices_send(type_code="certificate_issued", event_key="certificate_issued:1", notices=[Notice(
        user, {"class_name": "村党组织书记示范培训班", "serial": "〔2026〕党校结字第0123号"}, "")])
    Message.objects.filter(event_key="certificate_issued:1").update(read_at="2026-10-01T10:00:00+08:00")

    page = phone
    page.goto(f"{live_server.url}/messages/settings/")
    badge = page.locator(".topbar .unread-badge")
    assert badge.inner_text() == "2"
    _fits(page)
    page.click(".topbar .nav-messages")
    page.wait_for_selector("ul.inbox")
    _fits(page)
    assert page.locator("li.inbox-item.unread").count() == 2
    assert page.locator("li.inbox-item").count() == 3
    page.screenshot(path=f"{SHOTS}/inbox-375.png", full_page=True)

    # Opening the claim message marks it read and goes to the page it concerns.
    page.locator("li.inbox-item", has_text="报销被退回").locator("button.inbox-open").click()
    page.wait_for_url(f"{live_server.url}/messages/settings/")
    _fits(page)
    page.screenshot(path=f"{SHOTS}/inbox-settings-375.png", full_page=True)
    assert page.locator(".topbar .unread-badge").inner_text() == "1"

    page.goto(f"{live_server.url}/messages/")
    page.click(".inbox-readall button")
    page.wait_for_selector(".msg")
    assert page.locator("li.inbox-item.unread").count() == 0
    assert page.locator(".topbar .unread-badge").count() == 0
    assert not Message.objects.filter(recipient=user, read_at__isnull=True).exists()
