"""Phone sign-in: throttling per account and per address, the forced first password change, the admin guard."""

import pytest
from django.test import Client

from lms.accounts.roles import STAFF
from tests.factories import PersonFactory, UserFactory, learner_for

PASSWORD = "Passw0rd!2026"
LOCKED_TEXT = "登录失败次数过多"
WRONG_TEXT = "手机号（用户名）或密码错误"


def _sign_in(username: str, password: str, *, address: str = "10.0.0.1"):
    """Post the sign-in form from a fresh browser at the given network address."""
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


@pytest.mark.django_db
def test_learner_signs_in_with_phone_and_lands_on_my_learning(learner_user, client):
    response = client.post(
        "/accounts/login/", {"username": f" {learner_user.username[:3]} {learner_user.username[3:]} ",
                             "password": PASSWORD}, follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "我的学习" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_refused_in_chinese(learner_user):
    response = _sign_in(learner_user.username, "nope")
    assert response.status_code == 200
    assert WRONG_TEXT in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_account_is_locked_after_too_many_failures_even_from_other_addresses(learner_user, limit):
    for n in range(limit - 1):
        assert _sign_in(learner_user.username, "wrong", address=f"10.0.1.{n}").status_code == 200
    assert _sign_in(learner_user.username, "wrong", address="10.0.1.99").status_code == 429
    response = _sign_in(learner_user.username, PASSWORD, address="10.0.9.9")
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_address_is_locked_after_failures_on_many_accounts(county, limit):
    people = county["people"]["east"]
    victims = [learner_for(p) for p in people[: limit + 1]]
    for user in victims[:limit]:
        _sign_in(user.username, "guess", address="10.0.2.2")
    target = victims[limit]
    blocked = _sign_in(target.username, PASSWORD, address="10.0.2.2")
    assert blocked.status_code == 429
    assert LOCKED_TEXT in blocked.content.decode()
    elsewhere = _sign_in(target.username, PASSWORD, address="10.0.3.3")
    assert elsewhere.status_code == 302
    assert elsewhere.wsgi_request.session.get("_auth_user_id") == str(target.pk)


@pytest.mark.django_db
def test_one_locked_account_does_not_lock_another(county, limit):
    a, b = (learner_for(p) for p in county["people"]["west"][:2])
    for n in range(limit):
        _sign_in(a.username, "wrong", address=f"10.0.4.{n}")
    assert _sign_in(a.username, PASSWORD, address="10.0.5.5").status_code == 429
    assert _sign_in(b.username, PASSWORD, address="10.0.5.5").status_code == 302


@pytest.mark.django_db
def test_success_before_the_limit_clears_the_count(learner_user, limit):
    for _n in range(limit - 1):
        _sign_in(learner_user.username, "wrong", address="10.0.6.6")
    assert _sign_in(learner_user.username, PASSWORD, address="10.0.6.6").status_code == 302
    for _n in range(limit - 1):
        _sign_in(learner_user.username, "wrong", address="10.0.6.6")
    assert _sign_in(learner_user.username, PASSWORD, address="10.0.6.6").status_code == 302


@pytest.fixture
def first_timer(county):
    return learner_for(PersonFactory(village=county["villages"]["east"][0], posts=["director"]),
                       must_change_password=True)


@pytest.mark.django_db
def test_first_sign_in_forces_a_password_change_before_anything_else(first_timer, client):
    response = client.post("/accounts/login/", {"username": first_timer.username, "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password/"
    page = response.content.decode()
    assert "这是您首次登录" in page and "修改密码" in page
    for path in ("/", "/me/", "/admin/", "/courses/"):
        assert client.get(path)["Location"] == "/accounts/password/", path


@pytest.mark.django_db
def test_changing_the_first_password_frees_the_learner_and_retires_the_old_one(first_timer, client):
    client.post("/accounts/login/", {"username": first_timer.username, "password": PASSWORD})
    new = "Hongxing#2027village"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    page = response.content.decode()
    assert "您的密码已修改。" in page and "我的学习" in page
    first_timer.refresh_from_db()
    assert first_timer.must_change_password is False
    assert client.get("/").status_code == 200
    assert _sign_in(first_timer.username, PASSWORD).status_code == 200
    assert _sign_in(first_timer.username, new).status_code == 302


@pytest.mark.django_db
def test_first_password_change_refuses_a_wrong_old_password(first_timer, client):
    client.post("/accounts/login/", {"username": first_timer.username, "password": PASSWORD})
    new = "Hongxing#2027village"
    response = client.post("/accounts/password/",
                           {"old_password": "bad", "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    first_timer.refresh_from_db()
    assert first_timer.must_change_password is True
    assert client.get("/")["Location"] == "/accounts/password/"


@pytest.mark.django_db
def test_learners_never_reach_the_wagtail_admin(learner_user, client):
    client.force_login(learner_user)
    for path in ("/admin/", "/admin/pages/", "/admin/people/person/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/", path


@pytest.mark.django_db
def test_staff_sign_in_lands_in_the_admin(roles, client):
    UserFactory(username="jiaowu2", roles=[STAFF])
    response = client.post("/accounts/login/", {"username": "jiaowu2", "password": PASSWORD})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_wagtail_admin_login_form_shares_the_same_throttle(learner_user, limit):
    admin = Client(REMOTE_ADDR="10.0.7.7")
    for _n in range(limit - 1):
        admin.post("/admin/login/", {"username": learner_user.username, "password": "wrong"})
    assert _sign_in(learner_user.username, "wrong", address="10.0.8.8").status_code == 429
    assert _sign_in(learner_user.username, PASSWORD, address="10.0.8.9").status_code == 429
