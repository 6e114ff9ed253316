"""The users' journeys in Chromium, asserting what each person sees: learners on a 375 px phone,
staff, officers and organisers on a 1280 px office screen.

Screenshots go to JOURNEY_SCREENSHOT_DIR (default /tmp/journeys) for a person to look at.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from lms.accounts.roles import BUDGET_OFFICER, ORGANISER, STAFF
from lms.budget.ledger import fund_open
from lms.budget.services import claim_create, claim_submit, receipt_add
from lms.certificates.services import certificate_issue
from lms.classes.models import Enrolment, Session, TrainingClass, TrainingPlan
from lms.quizzes.models import Choice, Question, QuestionCategory, Quiz, QuizQuestion
from lms.trips.models import Participant, Trip
from lms.trips.services import cost_add
from lms.videos.models import Video
from lms.videos.services import video_process
from tests.browser_wait import wait_until
from tests.budget.helpers import receipt_file
from tests.factories import PersonFactory, TeacherFactory, UserFactory, learner_for
from tests.videos.clips import make_clip

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PASSWORD = "Passw0rd!2026"
SHOTS = Path(os.environ.get("JOURNEY_SCREENSHOT_DIR", "/tmp/journeys"))
PHONE = {"width": 375, "height": 740}
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def _sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _text(page) -> str:
    return page.inner_text("body")


@pytest.fixture
def ready_video(tmp_path):
    clip = make_clip(tmp_path / "lecture.mp4", seconds=3)
    video = Video(title="村务公开讲座")
    with clip.open("rb") as handle:
        from django.core.files import File

        video.source.save(clip.name, File(handle), save=False)
    video.save()
    return video_process(video_id=video.pk)


@pytest.fixture
def course(roles):
    catalogue = ensure_catalogue()
    course = CoursePage(title="村务公开与民主管理", summary="“三议一表决”与村务公开的程序和要求。",
                        teacher=TeacherFactory(name="王老师"), requirement="required")
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    return course


# --- staff -----------------------------------------------------------------------------------------------

def test_staff_author_and_publish_a_lesson_with_a_video(browser, live_server, course, ready_video, learner_user):
    UserFactory(username="jiaowu", roles=[STAFF])
    page = _page(browser, DESK)
    _sign_in(page, live_server.url, "jiaowu")
    assert page.url == f"{live_server.url}/admin/"
    sidebar = page.inner_text("aside")
    assert "Editor Guide" not in sidebar and "What's new" not in sidebar and "new item" not in sidebar

    page.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{course.pk}/")
    page.fill("#id_title", "第一课 村务公开的内容")
    page.click("[data-contentpath=body] button[title='插入块'], [data-contentpath=body] .c-sf-add-button")
    page.get_by_role("option", name="授课视频").click()
    page.fill("input[name='body-0-value-title']", "村务公开讲座")
    page.locator("[data-contentpath=body] [data-chooser-action-choose]").first.click()
    page.locator(".modal").get_by_role("link", name="村务公开讲座").click()
    page.wait_for_selector("[data-contentpath=body] [data-chooser-title]:has-text('村务公开讲座')")
    page.click("footer .w-dropdown__toggle")
    footer = page.inner_text("footer")
    assert "Moderators" not in footer
    page.click("footer button[name=action-publish]")
    page.wait_for_load_state("networkidle")
    assert "发布" in page.inner_text(".messages")  # "已创建并发布", or "已经发布" after an autosave
    _shot(page, "staff-published-1280")

    lesson = LessonPage.objects.get(title="第一课 村务公开的内容")
    assert lesson.live and lesson.slug == "diyike-cunwugongkaideneirong"  # no percent-encoded Chinese URL
    assert any(block.block_type == "video" for block in lesson.body)

    phone = _page(browser, PHONE)
    _sign_in(phone, live_server.url, learner_user.username)
    phone.goto(f"{live_server.url}{lesson.url}")
    assert "第一课 村务公开的内容" in _text(phone)
    assert phone.locator("video").count() == 1
    _fits_the_phone(phone)


def test_the_video_panel_says_processed_once_the_video_is_ready(browser, live_server, roles, ready_video):
    UserFactory(username="jiaowu", roles=[STAFF])
    page = _page(browser, DESK)
    _sign_in(page, live_server.url, "jiaowu")
    from django.urls import reverse

    page.goto(live_server.url + reverse(Video.snippet_viewset.get_url_name("edit"), args=[ready_video.pk]))
    panel = page.inner_text("[data-video-status]")
    assert "处理状态: 就绪" in panel or "处理状态：就绪" in panel
    assert "处理中" not in page.inner_text("main")
    _shot(page, "staff-video-ready-1280")


# --- learner ---------------------------------------------------------------------------------------------

@pytest.fixture
def learner_world(course, ready_video, learner_person, learner_user, staff_user):
    """A live lesson with the video, a quiz on it, a running class with a coming session, a certificate."""
    lesson = LessonPage(title="第一课 村务公开的内容", slug="diyike", duration_minutes=40,
                        body=[("video", {"title": "讲座", "video": ready_video, "note": ""})])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    category = QuestionCategory.objects.create(name="村务公开")
    question = Question.objects.create(category=category, kind="single", text="村务公开至少多久公开一次？",
                                       score=Decimal("1"))
    Choice.objects.create(question=question, text="每季度", is_correct=True, sort_order=0)
    Choice.objects.create(question=question, text="每五年", is_correct=False, sort_order=1)
    quiz = Quiz.objects.create(title="村务公开小测验", lesson=lesson, is_published=True, time_limit_minutes=20,
                               shuffle_options=False, review_policy=Quiz.ReviewPolicy.AFTER_SUBMIT)
    QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=0)
    today = timezone.localdate()
    running = TrainingClass.objects.create(
        name=f"{today.year}年村党组织书记轮训班", year=today.year, mode="centralised", capacity=50,
        starts_on=today - datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=5),
        state=TrainingClass.State.RUNNING, planned_credit_hours=Decimal("7"))
    TrainingPlan.objects.create(training_class=running, aims="提高素质", schedule="五天", assessment="闭卷考试",
                                approved_by=staff_user, approved_at=timezone.now())
    Enrolment.objects.create(training_class=running, person=learner_person)
    Session.objects.create(training_class=running, date=today + datetime.timedelta(days=2),
                           starts_at=datetime.time(9), ends_at=datetime.time(11), half_day="am",
                           topic="村级组织建设", credit_hours=Decimal("2"))
    closed = TrainingClass.objects.create(
        name=f"{today.year}年春季村干部集中轮训班", year=today.year, mode="centralised",
        starts_on=datetime.date(today.year, 3, 2), ends_on=datetime.date(today.year, 3, 6),
        state=TrainingClass.State.CLOSED, planned_credit_hours=Decimal("30"))
    Enrolment.objects.create(training_class=closed, person=learner_person)
    certificate, _created = certificate_issue(training_class=closed, person=learner_person, issued_by=staff_user)
    return {"lesson": lesson, "quiz": quiz, "running": running, "certificate": certificate}


def test_learner_watches_takes_a_quiz_writes_a_note_asks_leave_downloads_record_and_certificate(
        browser, live_server, learner_world, learner_user, tmp_path):
    base = live_server.url
    page = _page(browser, PHONE)
    _sign_in(page, base, learner_user.username)
    assert page.url == f"{base}/"
    assert "我的学习" in _text(page)

    # Watch the lecture on the lesson page.
    page.goto(f"{base}{learner_world['lesson'].url}")
    page.wait_for_selector("video")
    page.evaluate("document.querySelector('video').muted = true; document.querySelector('video').play()")
    wait_until(page, "document.querySelector('video').currentTime > 0.5")
    _fits_the_phone(page)
    _shot(page, "learner-lesson-375")

    # The quiz: a clock, not raw seconds; then the result.
    page.goto(f"{base}/quizzes/{learner_world['quiz'].pk}/")
    page.click("form[action$='/start/'] button")
    page.wait_for_selector("fieldset.question")
    timer = page.inner_text(".timer")
    assert timer.startswith("剩余时间") and ":" in timer and "秒" not in timer and "s left" not in timer
    _fits_the_phone(page)
    _shot(page, "learner-quiz-375")
    page.locator("fieldset.question label.option", has_text="每季度").click()
    page.click("button[value=finish]")
    page.click("#submit-attempt")
    page.wait_for_load_state("networkidle")
    assert "100" in _text(page)
    _shot(page, "learner-quiz-result-375")

    # The class: 签到 is not 登录; a study note; leave for the coming session.
    running = learner_world["running"]
    page.goto(f"{base}/classes/{running.pk}/")
    text = _text(page)
    assert f"{running.year} {running.name}" not in text  # the year once, not "2026 2026年…"
    page.goto(f"{base}/classes/{running.pk}/notes/new/")
    page.fill("#text", "学习了村务公开的“四议两公开”工作法。")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "四议两公开" in _text(page)
    page.goto(f"{base}/classes/{running.pk}/")
    page.get_by_role("link", name="请假", exact=True).click()
    page.fill("#reason", "村里防汛值班")
    page.click("main button[name=action][value=send]")
    page.wait_for_load_state("networkidle")
    assert "请假申请已提交" in _text(page) or "待审批" in _text(page)
    _fits_the_phone(page)
    _shot(page, "learner-class-375")

    # The 学习档案 as Excel, with kinds in Chinese.
    page.goto(f"{base}/classes/record/")
    with page.expect_download() as download:
        page.click("text=下载Excel")
    from openpyxl import load_workbook

    download.value.save_as(tmp_path / "record.xlsx")
    sheet = load_workbook(tmp_path / "record.xlsx").active
    kinds = {row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] and row[1]}
    assert kinds and not kinds & {"class", "session", "quiz", "video", "certificate", "trip"}

    # The certificate: download the PDF, then open its verification page from it.
    page.goto(f"{base}/certificates/")
    with page.expect_download() as pdf:
        page.click("text=下载PDF")
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    page.click("text=查验页面")
    page.wait_for_load_state("networkidle")
    assert "真实有效" in _text(page)
    for date in page.locator(".verify .nowrap").all():  # one line each, never cut mid-number
        assert date.evaluate("e => e.getClientRects().length") == 1
    _fits_the_phone(page)
    _shot(page, "learner-verify-375")


def test_first_sign_in_says_the_old_password_is_the_one_from_the_school(browser, live_server, county):
    director = county["people"]["east"][1]
    user = learner_for(director, must_change_password=True)
    page = _page(browser, PHONE)
    _sign_in(page, live_server.url, user.username)
    assert page.url.endswith("/accounts/password/")
    text = _text(page)
    assert "首次登录" in text and "初始密码" in text and "党校发给您" in text
    assert "旧密码" not in text
    _fits_the_phone(page)
    _shot(page, "first-sign-in-375")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Cunwu#Gongkai77")
    page.fill("#id_new_password2", "Cunwu#Gongkai77")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/" and "我的学习" in _text(page)
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200


# --- budget officer --------------------------------------------------------------------------------------

@pytest.fixture
def officer_world(county, roles):
    year = timezone.localdate().year
    east = county["people"]["east"]
    claims = []
    for person, amount in ((east[0], "300.00"), (east[3], "180.00")):
        user = learner_for(person)
        claim = claim_create(person=person, by=user, cost_type="travel", amount=Decimal(amount),
                             description="往返车费", incurred_on=datetime.date(year, 5, 10))
        receipt_add(claim=claim, file=receipt_file(), by=user)
        claims.append(claim_submit(claim=claim, by=user))
    fund = fund_open(code="field-study", name="考察学习专项经费", year=year, amount=Decimal("50000.00"))
    officer = UserFactory(username="caiwu", roles=[BUDGET_OFFICER])
    trip = Trip.objects.create(title="赴苏州考察学习", starts_on=datetime.date(year, 6, 1),
                               ends_on=datetime.date(year, 6, 4), cost_budget=Decimal("100000"),
                               credit_hours=Decimal("16"), fund=fund, state=Trip.State.FINISHED,
                               lodging="苏州市委党校招待所")
    for person in east[:3]:
        Participant.objects.create(trip=trip, person=person)
    cost_add(trip=trip, by=officer, item="transport", amount=Decimal("3000.00"))
    cost_add(trip=trip, by=officer, item="lodging", amount=Decimal("1500.00"))
    return {"claims": claims, "trip": trip, "year": year}


def test_officer_approves_refuses_settles_a_trip_and_exports(browser, live_server, officer_world):
    base = live_server.url
    page = _page(browser, DESK)
    _sign_in(page, base, "caiwu")
    assert page.url == f"{base}/budget/dashboard/"
    topbar = page.inner_text("header.topbar")
    assert "我的学习" not in topbar and "我的工作台" in topbar
    assert "我的额度" not in page.inner_text("nav.subnav")
    _shot(page, "officer-dashboard-1280")

    approve, refuse = officer_world["claims"]
    page.goto(f"{base}/budget/claims/{approve.pk}/")
    allowance = page.inner_text("#claimant-allowance")
    assert "¥1000.00" in allowance and "个人经费余额足以承担" in allowance
    _shot(page, "officer-claim-1280")
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    approve.refresh_from_db()
    assert approve.state == "approved"

    page.goto(f"{base}/budget/claims/{refuse.pk}/")
    page.fill("input[name=reason]", "票据与行程不符")
    page.click("button:has-text('不予报销'), button[formaction$='/refuse/']")
    page.wait_for_load_state("networkidle")
    refuse.refresh_from_db()
    assert refuse.state == "refused"

    trip = officer_world["trip"]
    page.goto(f"{base}/trips/{trip.pk}/")
    text = _text(page)
    assert "住宿地点: 苏州市委党校招待所" in text or "住宿地点：苏州市委党校招待所" in text
    page.click("text=结算：核对金额")
    page.wait_for_load_state("networkidle")
    totals = page.inner_text("#settle-totals")
    assert "¥4500.00" in totals
    trip.refresh_from_db()
    assert trip.state == Trip.State.FINISHED  # nothing charged by looking
    _shot(page, "officer-settle-confirm-1280")
    page.click("#confirm-settle")
    page.wait_for_load_state("networkidle")
    trip.refresh_from_db()
    assert trip.state == Trip.State.SETTLED

    page.goto(f"{base}/budget/dashboard/")
    with page.expect_download() as download:
        page.locator("a[href*='.xlsx']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")


# --- township organiser ----------------------------------------------------------------------------------

def test_organiser_lands_on_their_dashboard_and_sees_only_their_township(browser, live_server, county):
    year = timezone.localdate().year
    for township, name in ((county["east"], "东风乡村干部轮训班"), (county["west"], "西河镇村干部轮训班")):
        TrainingClass.objects.create(name=f"{year}年{name}", year=year, mode="centralised",
                                     organiser_township=township, starts_on=datetime.date(year, 4, 1),
                                     ends_on=datetime.date(year, 4, 3), state=TrainingClass.State.RUNNING)
    UserFactory(username="dongfeng", roles=[ORGANISER], township=county["east"])
    PersonFactory(village=county["villages"]["west"][0], name="西河学员")
    page = _page(browser, DESK)
    _sign_in(page, live_server.url, "dongfeng")
    assert page.url == f"{live_server.url}/admin/training/rollup/"
    text = _text(page)
    assert "东风乡村干部轮训班" in text and "西河镇村干部轮训班" not in text
    _shot(page, "organiser-rollup-1280")
    page.goto(f"{live_server.url}/budget/dashboard/")
    assert "西河镇" not in page.inner_text("main")
    _shot(page, "organiser-budget-1280")
