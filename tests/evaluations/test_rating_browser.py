"""The learner's 评教 on a 375px phone in Chromium: big taps, nothing wider than the screen, a clear error."""

import os
from pathlib import Path

import pytest

from lms.evaluations.models import Evaluation
from tests.factories import learner_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHOTS = Path(os.environ.get("EVALUATIONS_SCREENSHOTS", "/tmp/evaluations-shots"))


def test_learner_rates_a_session_at_375px(live_server, held_session, learner_person, settings):
    from playwright.sync_api import sync_playwright

    settings.LANGUAGE_CODE = "zh-hans"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    user = learner_for(learner_person)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 667}, locale="zh-CN")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/evaluations/")
        page.screenshot(path=str(SHOTS / "pending-375.png"), full_page=True)
        page.click(f"a[href='/evaluations/sessions/{held_session.pk}/']")
        assert page.locator("fieldset").count() == 5
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        tap = page.locator("label:has(input[name=content][value='4'])")
        box = tap.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 70
        for code, value in [("content", 4), ("relevance", 3), ("method", 4), ("effect", 2)]:
            page.click(f"label:has(input[name={code}][value='{value}'])")
        page.fill("#comment", "联系实际，很有收获")
        # Leave one indicator out: the browser's own check stops the form; without it the server says why.
        page.evaluate("document.querySelector('form.rate').noValidate = true")
        page.click("form.rate button[type=submit]")
        page.wait_for_load_state()
        page.screenshot(path=str(SHOTS / "rate-375-error.png"), full_page=True)
        assert "请为“教学态度”选择1到4之间的评分" in page.locator(".msg.error").inner_text()
        assert page.locator("input[name=content][value='4']").is_checked()  # choices kept
        page.screenshot(path=str(SHOTS / "rate-375-error.png"), full_page=True)
        page.click("label:has(input[name=attitude][value='4'])")
        page.click("form.rate button[type=submit]")
        page.wait_for_url(f"{live_server.url}/evaluations/")
        page.screenshot(path=str(SHOTS / "rate-375-done.png"), full_page=True)
        browser.close()
    row = Evaluation.objects.get()
    assert (row.content, row.relevance, row.method, row.effect, row.attitude) == (4, 3, 4, 2, 4)
    assert row.comment == "联系实际，很有收获"
