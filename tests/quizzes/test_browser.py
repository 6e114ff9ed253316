"""A learner takes a quiz on a 375px phone screen: autosave, a reload that loses nothing, submit, result."""

import os

import pytest

from lms.quizzes.models import Attempt
from tests.browser_wait import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture
def phone(live_server, client, learner_user, tmp_path):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    client.force_login(learner_user)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=1)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def _fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_learner_takes_a_quiz_at_375px(phone, live_server, quiz):
    page = phone
    page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
    _fits_the_screen(page)
    page.screenshot(path=str(os.environ.get("QUIZ_SCREENSHOT_DIR", "/tmp")) + "/quiz-intro-375.png", full_page=True)
    page.click("form[action$='/start/'] button")
    page.wait_for_selector("fieldset.question")
    _fits_the_screen(page)

    page.locator("fieldset.question label.option").nth(0).click()
    wait_until(page, "document.querySelector('.save-state').textContent.length > 0 && "
                           "!document.querySelector('.save-state').classList.contains('error')")
    page.click("button[value=next]")
    for i in range(3):
        page.locator("fieldset.question label.option").nth(i).click()
    page.click("button[value=next]")
    page.locator("fieldset.question label.option").nth(0).click()
    page.click("button[value=next]")
    page.fill("input[name=q3_b0]", " 党员大会 ")
    page.fill("input[name=q3_b1]", "ＡＢ")  # wrong on purpose, autosaved after a pause
    page.wait_for_timeout(1500)
    page.screenshot(path=str(os.environ.get("QUIZ_SCREENSHOT_DIR", "/tmp")) + "/quiz-take-375.png", full_page=True)

    # The connection drops and the learner comes back: every answer is still there.
    page.reload()
    assert page.input_value("input[name=q3_b0]") == " 党员大会 "
    page.fill("input[name=q3_b1]", "村民会议")
    page.click("button[value=finish]")
    page.wait_for_selector("#submit-attempt")
    _fits_the_screen(page)
    page.click("#submit-attempt")
    page.wait_for_selector(".result .big")
    _fits_the_screen(page)
    assert "6.00 / 6.00" in page.inner_text(".result .big")
    page.screenshot(path=str(os.environ.get("QUIZ_SCREENSHOT_DIR", "/tmp")) + "/quiz-result-375.png", full_page=True)
    attempt = Attempt.objects.get()
    assert attempt.passed and attempt.status == Attempt.Status.GRADED

    # 我的测验 lists it as passed, still within the phone's width.
    page.goto(f"{live_server.url}/quizzes/")
    _fits_the_screen(page)
    assert page.locator(f"li[data-quiz='{quiz.pk}'] .badge.elective").count() == 1
