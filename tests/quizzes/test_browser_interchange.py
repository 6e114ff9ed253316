"""Imported Moodle questions as a learner takes them at 375px (rich text, numerical, graded short answer),
and the import preview as staff see it."""

import os

import pytest
from django.urls import reverse

from lms.quizzes import services
from lms.quizzes.importers import gift
from lms.quizzes.models import Attempt, Question, Quiz, QuizQuestion

from .test_browser import CHROMIUM_ARGS, _fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = os.environ.get("QUIZ_SCREENSHOT_DIR", "/tmp")
GIFT = (
    "// [tag:计算]\n"
    "::圆周率::[markdown]圆周率 **π** 约等于多少？（保留两位小数）{#3.14:0.005 =%50%3.1:0.05 ~#再想想：π≈3.14159}\n\n"
    "::会议::[html]<p>“三议一表决”中的<em>表决</em>由哪个会议作出？</p><ul><li>填会议全称</li></ul>"
    "{=村民代表会议#完全正确 =%50%*会议#部分正确：请写全称}\n"
)


@pytest.fixture
def browser_page(live_server, client):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    def open_as(user, width):
        client.force_login(user)
        context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield open_as
        browser.close()


def test_learner_takes_imported_numerical_and_graded_short_answer_at_375px(browser_page, live_server,
                                                                         learner_user):
    created = services.bank_import(questions=gift.parse(GIFT), default_category="导入")
    quiz = Quiz.objects.create(title="导入题测验", is_published=True, shuffle_questions=False,
                               shuffle_options=False, max_attempts=1, review_policy=Quiz.ReviewPolicy.AFTER_SUBMIT)
    for i, q in enumerate(created):
        QuizQuestion.objects.create(quiz=quiz, question=q, sort_order=i)
    page = browser_page(learner_user, 375)
    page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
    page.click("form[action$='/start/'] button")
    page.wait_for_selector("fieldset.question")
    assert page.locator("fieldset.question .q-text strong").inner_text() == "π"
    page.fill("input[name=q0_b0]", "3.141")
    page.click("button[value=next]")
    assert page.locator("fieldset.question .q-text em").inner_text() == "表决"
    page.fill("input[name=q1_b0]", "党员大会议")
    page.wait_for_timeout(800)
    _fits_the_screen(page)
    page.screenshot(path=f"{SHOTS}/interchange-take-375.png", full_page=True)
    page.click("button[value=finish]")
    page.wait_for_selector("#submit-attempt")
    page.click("#submit-attempt")
    page.wait_for_selector(".result .big")
    _fits_the_screen(page)
    assert "1.50 / 2.00" in page.inner_text(".result .big")
    assert "部分正确：请写全称" in page.inner_text("body")
    page.screenshot(path=f"{SHOTS}/interchange-result-375.png", full_page=True)
    assert Attempt.objects.get().score == 1.5


def test_staff_see_the_import_preview_before_anything_is_saved(browser_page, live_server, staff_user, tmp_path,
                                                               settings):
    settings.QUIZZES_IMPORT_STAGING_DIR = tmp_path
    content = GIFT + "\n数值{#abc}\n\n$CATEGORY: " + "长" * 61 + "\n\n题{T}\n"
    path = tmp_path / "moodle.gift"
    path.write_bytes(content.encode())
    page = browser_page(staff_user, 1200)
    page.goto(f"{live_server.url}{reverse('quizzes_admin:import')}")
    page.select_option("select[name=format]", "gift")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#import-preview")
    text = page.inner_text("#import-preview")
    assert "可导入 2 道试题" in text and "2 道试题不会导入" in text and "不是数字" in text and "60 个字" in text
    page.screenshot(path=f"{SHOTS}/interchange-preview.png", full_page=True)
    assert Question.objects.count() == 0
    page.click("button[value=confirm]")
    page.wait_for_selector(".messages")
    assert Question.objects.count() == 2


def test_learner_matches_items_with_a_select_each_at_375px(browser_page, live_server, learner_user):
    created = services.bank_import(questions=gift.parse(
        "::连线::将会议与职责配对{=村民代表会议 -> 表决 =村党组织 -> 提议 =村“两委”联席会议 -> 商议 = -> 审批}"),
        default_category="导入")
    quiz = Quiz.objects.create(title="配对题测验", is_published=True, shuffle_questions=False,
                               shuffle_options=False, max_attempts=1, review_policy=Quiz.ReviewPolicy.AFTER_SUBMIT)
    QuizQuestion.objects.create(quiz=quiz, question=created[0], sort_order=0)
    page = browser_page(learner_user, 375)
    page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
    page.click("form[action$='/start/'] button")
    page.wait_for_selector("fieldset.question select")
    assert page.locator("select[name=q0_b0] option").count() == 5  # 请选择 + four answers, distractor included
    page.select_option("select[name=q0_b0]", "表决")
    page.select_option("select[name=q0_b1]", "提议")
    page.select_option("select[name=q0_b2]", "审批")
    page.wait_for_timeout(800)
    _fits_the_screen(page)
    page.screenshot(path=f"{SHOTS}/interchange-matching-375.png", full_page=True)
    page.click("button[value=finish]")
    page.wait_for_selector("#submit-attempt")
    page.click("#submit-attempt")
    page.wait_for_selector(".result .big")
    assert "0.67 / 1.00" in page.inner_text(".result .big")
    page.screenshot(path=f"{SHOTS}/interchange-matching-result-375.png", full_page=True)
