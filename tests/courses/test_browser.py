"""In Chromium: a learner on a 375x667 phone signs in and sees the course list in Chinese;
staff open the Wagtail admin in Chinese and publish a lesson that the learner can then read."""

import os
from pathlib import Path

import pytest

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from lms.accounts.roles import STAFF
from tests.factories import TeacherFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PASSWORD = "Passw0rd!2026"
SHOTS = Path(os.environ.get("COURSES_SCREENSHOT_DIR", "/tmp"))


@pytest.fixture
def course(roles):
    catalogue = ensure_catalogue()
    course = CoursePage(title="村务公开与民主管理", slug="cunwu-gongkai",
                        summary="“三议一表决”与村务公开的程序和要求。",
                        teacher=TeacherFactory(name="王老师"), requirement="required")
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    first = LessonPage(title="第一课 村务公开的内容", slug="lesson-1", duration_minutes=40,
                       body=[("rich_text", "<p>村务公开是村民自治的重要内容。</p>")])
    course.add_child(instance=first)
    first.save_revision().publish()
    draft = LessonPage(title="第二课 三议一表决", slug="lesson-2", duration_minutes=45, live=False,
                       body=[("rich_text", "<p>党支部提议、两委商议、党员大会审议、村民代表会议表决。</p>")])
    course.add_child(instance=draft)
    draft.save_revision()
    return {"course": course, "draft": draft}


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# A county cadre's phone or office PC asks for Chinese; the site then answers in Chinese throughout.
def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_learner_signs_in_on_a_phone_and_sees_the_course_list_in_chinese(browser, live_server, course,
                                                                        learner_user):
    context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server.url, learner_user.username)
    assert page.url == f"{live_server.url}/"
    assert page.get_attribute("html", "lang").lower() == "zh-hans"
    assert "我的学习" in page.inner_text("body")
    assert "村务公开与民主管理" in page.inner_text("body")
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "learner-home-375.png"), full_page=True)

    page.click("text=村务公开与民主管理")
    page.wait_for_load_state("networkidle")
    assert "第一课 村务公开的内容" in page.inner_text("body")
    assert "第二课 三议一表决" not in page.inner_text("body")
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "course-375.png"), full_page=True)

    page.click("text=第一课 村务公开的内容")
    page.wait_for_load_state("networkidle")
    assert "村务公开是村民自治的重要内容。" in page.inner_text("body")
    _fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "lesson-375.png"), full_page=True)
    context.close()


def test_staff_open_the_admin_in_chinese_and_publish_a_lesson(browser, live_server, course, learner_user):
    UserFactory(username="jiaowu", roles=[STAFF])
    draft = course["draft"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, live_server.url, "jiaowu")
    assert page.url.startswith(f"{live_server.url}/admin/")
    assert page.get_attribute("html", "lang").lower() == "zh-hans"
    assert "页面" in page.inner_text("body")

    page.goto(f"{live_server.url}/admin/pages/{draft.pk}/edit/")
    assert "保存草稿" in page.inner_text("footer")
    page.click("footer .w-dropdown__toggle")
    publish = page.locator("footer button[name=action-publish]")
    assert "发布" in publish.inner_text()
    publish.click()
    page.wait_for_load_state("networkidle")
    assert "页面 '第二课 三议一表决' 已经发布。" in page.inner_text(".messages")
    page.screenshot(path=str(SHOTS / "admin-published.png"), full_page=True)
    draft.refresh_from_db()
    assert draft.live is True
    context.close()

    phone = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    learner = phone.new_page()
    _sign_in(learner, live_server.url, learner_user.username)
    learner.goto(f"{live_server.url}{course['course'].url}")
    assert "第二课 三议一表决" in learner.inner_text("body")
    phone.close()

