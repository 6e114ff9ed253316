"""Accounts for everyone: issue for a selection with a one-time password sheet, reset, deactivate a leaver."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from lms.accounts.models import User
from lms.classes.models import Enrolment, TrainingClass
from lms.people.models import Person, Post
from lms.people.sign_in_accounts import (
    account_deactivate,
    account_password_reset,
    account_reactivate,
    accounts_issue,
)
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted by their English msgids."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def authenticate(*, username, password):
    """The account if it may sign in with this password (what the sign-in form checks), else None."""
    user = User.objects.filter(username=username).first()
    return user if user and user.is_active and user.check_password(password) else None


def test_issue_for_a_township_gives_each_cadre_a_one_time_password(county, staff_user):
    east = Person.objects.filter(village__township=county["east"])
    result = accounts_issue(people=east, by=staff_user)
    assert len(result.issued) == 6 and result.already == 0 and not result.skipped
    account = result.issued[0]
    user = authenticate(username=account.phone, password=account.password)
    assert user is not None and user.must_change_password and user.person.phone == account.phone
    assert not Person.objects.filter(village__township=county["west"], user__isnull=False).exists()
    again = accounts_issue(people=east, by=staff_user)
    assert again.issued == [] and again.already == 6


def test_issue_by_post_and_class(county, staff_user):
    secretaries = Person.objects.filter(posts__code="secretary")
    assert len(accounts_issue(people=secretaries, by=staff_user).issued) == 4
    tc = TrainingClass.objects.create(name="班", year=2026, mode="centralised", starts_on="2026-03-01",
                                      ends_on="2026-03-05", capacity=10)
    director = county["people"]["west"][1]
    Enrolment.objects.create(training_class=tc, person=director)
    in_class = Person.objects.filter(enrolments__training_class=tc)
    assert [a.phone for a in accounts_issue(people=in_class, by=staff_user).issued] == [director.phone]


def test_a_phone_used_by_another_account_is_left_out_with_the_reason(county, staff_user):
    person = county["people"]["east"][0]
    UserFactory(username=person.phone, is_staff=True)
    result = accounts_issue(people=Person.objects.filter(pk=person.pk), by=staff_user)
    assert result.issued == [] and "already the sign-in name" in result.skipped[0][2]
    person.refresh_from_db()
    assert person.user_id is None


def test_reset_deactivate_and_reactivate(county, staff_user):
    person = county["people"]["east"][0]
    with pytest.raises(ValidationError):
        account_password_reset(person=person, by=staff_user)
    first = accounts_issue(people=Person.objects.filter(pk=person.pk), by=staff_user).issued[0]
    new = account_password_reset(person=person, by=staff_user)
    assert new.password != first.password
    assert authenticate(username=person.phone, password=first.password) is None
    assert authenticate(username=person.phone, password=new.password) is not None
    account_deactivate(person=person, by=staff_user)
    person.refresh_from_db()
    assert not person.is_active and not person.user.is_active
    assert authenticate(username=person.phone, password=new.password) is None
    with pytest.raises(ValidationError, match="deactivated"):
        account_password_reset(person=person, by=staff_user)
    account_reactivate(person=person, by=staff_user)
    assert authenticate(username=person.phone, password=new.password) is not None


def test_leavers_get_no_account(county, staff_user):
    person = county["people"]["east"][0]
    Person.objects.filter(pk=person.pk).update(is_active=False)
    assert accounts_issue(people=Person.objects.filter(pk=person.pk), by=staff_user).issued == []


def test_admin_issue_page_preview_issue_and_sheets(client, county, staff_user):
    client.force_login(staff_user)
    cadres = client.get("/admin/person/").content.decode()
    assert "/admin/person/accounts/" in cadres and f"/admin/person/{county['people']['east'][0].pk}/account/" in cadres
    page = client.get("/admin/person/accounts/", {"township": county["east"].pk}).content.decode()
    assert "Issue 6 accounts" in page
    response = client.post("/admin/person/accounts/", {"township": county["east"].pk, "post": "",
                                                        "training_class": ""})
    assert response.status_code == 200
    token = response.context["token"]
    sheet = client.get(f"/admin/person/accounts/sheet/{token}/").content.decode()
    person = county["people"]["east"][0]
    assert person.name in sheet and person.phone in sheet
    xlsx = client.get(f"/admin/person/accounts/sheet/{token}/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert len(rows) == 7 and rows[0][:3] == ("姓名", "手机号", "初始密码")
    assert User.objects.filter(person__village__township=county["east"]).count() == 6


def test_admin_account_page_reset_shows_the_password_once(client, county, staff_user):
    person = county["people"]["west"][0]
    client.force_login(staff_user)
    page = client.post(f"/admin/person/{person.pk}/account/issue/").content.decode()
    assert 'id="one-time-password"' in page
    page = client.post(f"/admin/person/{person.pk}/account/reset/").content.decode()
    assert 'id="one-time-password"' in page
    assert 'id="one-time-password"' not in client.get(f"/admin/person/{person.pk}/account/").content.decode()


def test_organiser_and_learner_cannot_issue(client, county, organiser_user, learner_user):
    person = county["people"]["east"][0]
    for user in (organiser_user, learner_user):
        client.force_login(user)
        assert client.post("/admin/person/accounts/", {"township": county["east"].pk}).status_code in (302, 403)
        assert client.post(f"/admin/person/{person.pk}/account/reset/").status_code in (302, 403)
    assert Person.objects.filter(village__township=county["east"], user__isnull=False).count() == 1


def test_county_profile_counts_from_the_data(client, county, staff_user):
    from lms.people.county_profile import county_profile

    both = county["people"]["east"][0]
    both.posts.add(*Post.objects.filter(code="director"))
    profile = county_profile()
    assert profile.cadres == 12 and profile.one_shoulder == 1
    assert dict(profile.posts)["村党支部书记"] == 4
    client.force_login(staff_user)
    page = client.get("/admin/person/county-profile/").content.decode()
    assert 'id="one-shoulder">1<' in page
