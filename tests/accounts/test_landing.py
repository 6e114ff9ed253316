"""After signing in each role lands on its own page; officers see no learner links in the top bar."""

import pytest
from django.test import Client

from lms.accounts.roles import BUDGET_OFFICER, ORGANISER, STAFF
from tests.factories import UserFactory, learner_for

PASSWORD = "Passw0rd!2026"


def _landing(username: str) -> str:
    response = Client().post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.django_db
def test_each_role_lands_on_its_own_page(county, learner_user):
    UserFactory(username="jiaowu", roles=[STAFF])
    UserFactory(username="caiwu", roles=[BUDGET_OFFICER])
    UserFactory(username="dongfeng", roles=[ORGANISER], township=county["east"])
    assert _landing(learner_user.username) == "/"
    assert _landing("jiaowu") == "/admin/"
    assert _landing("caiwu") == "/budget/dashboard/"
    assert _landing("dongfeng") == "/admin/training/rollup/"


@pytest.mark.django_db
def test_an_organiser_lands_on_a_page_with_their_township_figures(client, organiser_user):
    client.force_login(organiser_user)
    assert client.get("/admin/training/rollup/").status_code == 200


@pytest.mark.django_db
def test_the_officer_top_bar_holds_their_work_not_learner_links(client, budget_user):
    client.force_login(budget_user)
    html = client.get("/budget/dashboard/").content.decode()
    topbar = html.split('<header class="topbar">')[1].split("</header>")[0]
    assert "我的学习" not in topbar and "/me/" not in topbar
    assert 'href="/budget/dashboard/">我的工作台' in topbar and "管理后台" in topbar
    assert "我的额度" not in html  # the learner's own allowance page is not theirs


@pytest.mark.django_db
def test_a_learner_keeps_my_learning_in_the_top_bar(client, learner_user):
    client.force_login(learner_user)
    html = client.get("/budget/").content.decode()
    assert "我的学习" in html and "我的额度" in html and "管理后台" not in html


@pytest.mark.django_db
def test_the_first_password_change_calls_the_old_password_the_initial_one(client, county):
    user = learner_for(county["people"]["east"][1], must_change_password=True)
    client.force_login(user)
    html = client.get("/accounts/password/").content.decode()
    assert "初始密码" in html and "党校发给您的账号初始密码" in html and "旧密码" not in html
