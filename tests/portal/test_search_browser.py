"""A learner searches the catalogue in Chinese from 我的学习 on a 375px phone in Chromium."""

import os
from pathlib import Path

import pytest

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", "/tmp/portal-shots"))


def test_search_at_375px(live_server, learner_user):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    course = ensure_catalogue().add_child(instance=CoursePage(title="加强基层党风廉政建设", slug="lz", summary="廉洁"))
    course.add_child(instance=LessonPage(title="第一课 廉政风险防控", slug="l1", body=[
        ("rich_text", "<p>村级“小微权力”清单和廉政风险点</p>")]))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 667}, locale="zh-CN")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", learner_user.username)
        page.fill("input[name=password]", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.fill("#search-q", "廉政")
        page.click(".search-box button")
        page.wait_for_load_state()
        text = page.locator("main").inner_text()
        assert "加强基层党风廉政建设" in text and "第一课 廉政风险防控" in text and "2条结果" in text
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(SHOTS / "search-375.png"), full_page=True)
        browser.close()
