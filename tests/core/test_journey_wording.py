"""What the first day's users tripped over: words, English left in the admin, dead ends, the icon."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Page, Workflow

from lms.accounts.roles import STAFF
from lms.classes.models import Enrolment, Session, TrainingClass
from lms.quizzes.models import Quiz
from lms.quizzes.templatetags.quiz_tags import clock
from tests.budget.helpers import submitted_claim
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_icon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/static/favicon.ico")


def test_wagtail_defaults_carry_chinese_names():
    assert Page.get_first_root_node().title == "根目录"
    assert "Moderators" not in " ".join(Workflow.objects.values_list("name", flat=True))


def test_the_admin_help_menu_has_no_english_guides(client, roles):
    client.force_login(UserFactory(username="jiaowu", roles=[STAFF]))
    html = client.get("/admin/").content.decode()
    assert "guide.wagtail.org" not in html and "Editor Guide" not in html and "What's new" not in html


def test_the_quiz_list_says_published_in_chinese(client, roles):
    Quiz.objects.create(title="党章测验", is_published=True)
    client.force_login(UserFactory(username="jiaowu", roles=[STAFF]))
    html = client.get(reverse("quizzes_quiz:index")).content.decode()
    assert "已发布" in html and ">True<" not in html


def test_the_quiz_form_offers_a_chooser_of_classes(client, roles):
    TrainingClass.objects.create(name="2026年村党组织书记轮训班", year=2026, mode="centralised",
                                 starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2026, 4, 3))
    client.force_login(UserFactory(username="jiaowu", roles=[STAFF]))
    html = client.get(reverse("quizzes_quiz:add")).content.decode()
    assert '<select name="class_id"' in html and ">2026年村党组织书记轮训班</option>" in html


def test_time_left_reads_as_a_clock():
    assert (clock(65), clock(1199), clock(3725), clock(-3)) == ("1:05", "19:59", "1:02:05", "0:00")


def test_a_class_name_shows_its_year_once():
    tc = TrainingClass(name="2026年村委会主任依法履职专题班", year=2026)
    assert str(tc) == "2026年村委会主任依法履职专题班"
    assert str(TrainingClass(name="村委会主任专题班", year=2026)) == "2026 村委会主任专题班"


def test_enrolment_on_a_draft_class_shows_the_plan_and_approve_steps(client, roles):
    tc = TrainingClass.objects.create(name="2026年乡村振兴专题班", year=2026, mode="centralised",
                                      starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2026, 4, 3))
    client.force_login(UserFactory(username="jiaowu", roles=[STAFF]))
    html = client.get(f"/admin/training/class/{tc.pk}/enrol/").content.decode()
    assert "本班次仍是草稿" in html and f"/admin/training/class/{tc.pk}/plan/" in html
    assert 'type="file"' not in html  # no enrolment form to be refused on submit


def test_the_learner_checks_in_rather_than_signs_in(client, learner_person, learner_user):
    today = timezone.localdate()
    tc = TrainingClass.objects.create(name=f"{today.year}年轮训班", year=today.year, mode="centralised",
                                      starts_on=today, ends_on=today, state=TrainingClass.State.RUNNING)
    Enrolment.objects.create(training_class=tc, person=learner_person)
    Session.objects.create(training_class=tc, date=today, starts_at=datetime.time(9), ends_at=datetime.time(11),
                           half_day="am", topic="党章", credit_hours=Decimal("2"))
    client.force_login(learner_user)
    html = client.get(f"/classes/{tc.pk}/").content.decode()
    assert ">签到</a>" in html and ">登录</a>" not in html


def test_the_record_excel_names_each_kind_in_chinese(client, learner_person, learner_user):
    today = timezone.localdate()
    tc = TrainingClass.objects.create(name=f"{today.year}年轮训班", year=today.year, mode="centralised",
                                      starts_on=today, ends_on=today, state=TrainingClass.State.RUNNING,
                                      planned_credit_hours=Decimal("7"))
    Enrolment.objects.create(training_class=tc, person=learner_person)
    client.force_login(learner_user)
    response = client.get(f"/classes/record/xlsx/?year={today.year}")
    from io import BytesIO

    sheet = load_workbook(BytesIO(response.content)).active
    kinds = [row[1] for row in sheet.iter_rows(min_row=4, max_row=4, values_only=True)]
    assert kinds == ["培训班"]


def test_the_officer_sees_the_claimants_allowance_before_deciding(client, learner_person, learner_user,
                                                                   budget_user):
    claim = submitted_claim(person=learner_person, user=learner_user, amount="1200.00")
    client.force_login(budget_user)
    html = client.get(f"/budget/claims/{claim.pk}/").content.decode()
    panel = html.split('id="claimant-allowance"')[1].split("</section>")[0]
    assert "¥1000.00" in panel  # what is left of the 1000 yuan
    assert "个人经费可承担 ¥1000.00，其余 ¥200.00 需由县级经费账户支付" in panel
    client.force_login(learner_user)
    assert 'id="claimant-allowance"' not in client.get(f"/budget/claims/{claim.pk}/").content.decode()
