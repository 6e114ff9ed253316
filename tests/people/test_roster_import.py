"""The roster import: good files import, any bad row refuses the whole file, re-imports change nothing."""

import datetime
import io
import zipfile

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lms.accounts.models import User
from lms.accounts.roles import LEARNER, role_group
from lms.people import roster_import as service
from lms.people.models import Person, Post
from lms.people.roster_import import COLUMNS, RosterLookups, roster_import, roster_row_parse

pytestmark = pytest.mark.django_db

HEADINGS = list(COLUMNS)


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English msgids, whatever catalogue the translators add later."""
    with translation.override("en"):
        yield


def row(**overrides):
    """A valid roster row for the `county` fixture, as a list of cell values."""
    values = {
        "姓名": "王建国",
        "性别": "男",
        "民族": "汉族",
        "出生年份": 1972,
        "文化程度": "高中/中专",
        "手机号": "13912340001",
        "乡镇": "东风乡",
        "村(社区)": "红星村",
        "职务": "村党支部书记、村委会主任",
        "入党时间": "1995-07-01",
    }
    values.update(overrides)
    return [values[h] for h in HEADINGS]


def xlsx(rows, *, headings=HEADINGS, name="roster.xlsx"):
    """An uploaded .xlsx with the headings in row 1 and the given rows below."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def good_rows():
    return [
        row(),
        row(**{"姓名": "李秀英", "性别": "女", "手机号": "13912340002", "村(社区)": "团结村", "职务": "后备干部",
               "入党时间": datetime.datetime(2008, 6, 30), "文化程度": "本科", "民族": "回族"}),
        row(**{"姓名": "赵强", "手机号": 13912340003, "乡镇": "西河镇", "村(社区)": "幸福社区",
               "职务": "两委成员，大学生村官", "入党时间": None, "出生年份": 1990.0}),
    ]


def counts():
    return Person.objects.count(), User.objects.count()


def error_rows(result):
    return sorted({e.row for e in result.errors})


# --- a good file ---------------------------------------------------------------------------------


def test_good_file_creates_cadres_with_posts_and_learner_accounts(county, staff_user):
    result = roster_import(file=xlsx(good_rows()), imported_by=staff_user)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    wang = Person.objects.get(phone="13912340001")
    assert wang.name == "王建国" and wang.village.name == "红星村" and wang.birth_year == 1972
    assert wang.education == Person.Education.SENIOR and wang.party_joined_on == datetime.date(1995, 7, 1)
    assert set(wang.posts.values_list("name", flat=True)) == {"村党支部书记", "村委会主任"}
    li = Person.objects.get(phone="13912340002")
    assert (li.gender, li.ethnicity, li.education) == ("F", "回族", Person.Education.BACHELOR)
    assert li.party_joined_on == datetime.date(2008, 6, 30)
    zhao = Person.objects.get(phone="13912340003")
    assert zhao.village.township.name == "西河镇" and zhao.birth_year == 1990 and zhao.party_joined_on is None
    assert set(zhao.posts.values_list("name", flat=True)) == {"两委成员", "大学生村官"}

    passwords = {a.phone: a.password for a in result.new_accounts}
    assert set(passwords) == {"13912340001", "13912340002", "13912340003"}
    for phone, password in passwords.items():
        user = Person.objects.get(phone=phone).user
        assert user.username == phone and user.must_change_password
        assert user.groups.filter(pk=role_group(LEARNER).pk).exists()
        assert check_password(password, user.password)
        assert len(password) == 8 and not set(password) & set("0O1lI")


def test_reimporting_the_same_file_changes_nothing(county, staff_user):
    roster_import(file=xlsx(good_rows()), imported_by=staff_user)
    before = counts()
    stamps = dict(Person.objects.values_list("phone", "updated_at"))
    hashes = dict(User.objects.values_list("username", "password"))

    result = roster_import(file=xlsx(good_rows()), imported_by=staff_user)

    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert result.new_accounts == []
    assert counts() == before
    assert dict(Person.objects.values_list("phone", "updated_at")) == stamps
    assert dict(User.objects.values_list("username", "password")) == hashes


def test_a_changed_row_updates_the_cadre_with_that_phone_and_keeps_the_password(county, staff_user):
    roster_import(file=xlsx(good_rows()), imported_by=staff_user)
    password_before = User.objects.get(username="13912340001").password
    rows = good_rows()
    rows[0] = row(**{"村(社区)": "团结村", "职务": "后备干部", "文化程度": "大专"})

    result = roster_import(file=xlsx(rows), imported_by=staff_user)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    wang = Person.objects.get(phone="13912340001")
    assert wang.village.name == "团结村" and wang.education == Person.Education.COLLEGE
    assert list(wang.posts.values_list("name", flat=True)) == ["后备干部"]
    assert User.objects.get(username="13912340001").password == password_before
    assert result.new_accounts == []


def test_a_name_correction_updates_an_existing_cadre(county, staff_user):
    person = county["people"]["east"][0]
    result = roster_import(
        file=xlsx([row(**{"姓名": "改名后", "手机号": person.phone, "村(社区)": person.village.name,
                          "乡镇": person.village.township.name})]),
        imported_by=staff_user,
    )
    assert (result.created, result.updated) == (0, 1)
    person.refresh_from_db()
    assert person.name == "改名后"


def test_a_phone_of_someone_else_in_another_village_is_refused(county, staff_user):
    other = county["people"]["west"][0]  # lives in 西河镇; the row says 东风乡·红星村
    before = counts()
    result = roster_import(file=xlsx([row(), row(**{"手机号": other.phone, "姓名": "别人"})]), imported_by=staff_user)
    assert error_rows(result) == [3]
    assert other.name in result.errors[0].message
    assert counts() == before


def test_a_phone_used_as_a_staff_sign_in_name_is_refused(county, staff_user):
    User.objects.create_user(username="13912340001", password="x", is_staff=True)
    before = counts()
    result = roster_import(file=xlsx([row()]), imported_by=staff_user)
    assert error_rows(result) == [2]
    assert counts() == before


def test_an_orphan_learner_account_is_linked_without_a_new_password(county, staff_user):
    orphan = User.objects.create_user(username="13912340001", password="Old-pass-2026")
    orphan.groups.add(role_group(LEARNER))
    result = roster_import(file=xlsx([row()]), imported_by=staff_user)
    assert result.created == 1 and result.new_accounts == []
    orphan.refresh_from_db()
    assert orphan.person.phone == "13912340001" and orphan.check_password("Old-pass-2026")


def test_import_queries_do_not_grow_with_rows(county, staff_user, django_assert_max_num_queries):
    rows = [row(**{"手机号": f"1391234{i:04d}", "姓名": f"学员{i}"}) for i in range(60)]
    with django_assert_max_num_queries(25):
        result = roster_import(file=xlsx(rows), imported_by=staff_user)
    assert result.created == 60


# --- bad files save nothing and name every bad row -------------------------------------------------

BAD_ROWS = {
    "missing name": ({"姓名": ""}, "姓名"),
    "unknown village": ({"村(社区)": "不存在村"}, "村(社区)"),
    "village of another township": ({"村(社区)": "和平村"}, "村(社区)"),
    "unknown township": ({"乡镇": "不存在乡"}, "乡镇"),
    "wrong post": ({"职务": "村党支部书记、村长"}, "职务"),
    "date in the wrong form": ({"入党时间": "1995/7/1"}, "入党时间"),
    "impossible date": ({"入党时间": "1995-02-30"}, "入党时间"),
    "bad phone": ({"手机号": "1391234"}, "手机号"),
    "missing phone": ({"手机号": None}, "手机号"),
    "bad gender": ({"性别": "M"}, "性别"),
    "bad education": ({"文化程度": "博士后"}, "文化程度"),
    "birth year not a year": ({"出生年份": "七二年"}, "出生年份"),
    "implausible birth year": ({"出生年份": 1850}, "出生年份"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_each_kind_of_bad_row_saves_nothing_and_names_the_row(county, staff_user, case):
    overrides, column = BAD_ROWS[case]
    rows = [row(), row(**{"手机号": "13912340002", "姓名": "钱二", **overrides}), row(**{"手机号": "13912340003"})]
    before = counts()

    result = roster_import(file=xlsx(rows), imported_by=staff_user)

    assert not result.ok
    assert error_rows(result) == [3]
    assert {e.column for e in result.errors} == {column}
    assert all(e.message.startswith("Row 3:") for e in result.errors)
    assert counts() == before


def test_a_duplicate_phone_names_the_repeated_row_and_the_first(county, staff_user):
    rows = [row(), row(**{"姓名": "钱二"}), row(**{"手机号": "13912340003"})]
    result = roster_import(file=xlsx(rows), imported_by=staff_user)
    assert error_rows(result) == [3]
    assert "row 2" in result.errors[0].message
    assert Person.objects.filter(phone__startswith="139").count() == 0


def test_a_file_with_several_bad_rows_lists_every_one(county, staff_user):
    rows = [
        row(),
        row(**{"手机号": "13912340002", "姓名": None, "职务": "村长"}),
        row(**{"手机号": "13912340003"}),
        row(**{"手机号": "13912340004", "村(社区)": "不存在村"}),
        row(**{"手机号": "13912340001"}),
        row(**{"手机号": "13912340006", "入党时间": "2001.07.01", "性别": "未知"}),
    ]
    before = counts()
    result = roster_import(file=xlsx(rows), imported_by=staff_user)
    assert error_rows(result) == [3, 5, 6, 7]
    assert len(result.errors) == 6  # two problems in row 3, two in row 7
    assert counts() == before


def test_blank_rows_between_data_are_skipped_and_rows_keep_their_excel_numbers(county, staff_user):
    rows = [row(), [None] * len(HEADINGS), row(**{"手机号": "13912340002", "村(社区)": "不存在村"})]
    result = roster_import(file=xlsx(rows), imported_by=staff_user)
    assert error_rows(result) == [4]


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: xlsx([]), id="empty sheet"),
        pytest.param(lambda: xlsx([], headings=[]), id="blank workbook"),
        pytest.param(lambda: xlsx([[None] * len(HEADINGS)] * 3), id="only blank rows"),
        pytest.param(lambda: SimpleUploadedFile("roster.xlsx", "姓名,性别\n张三,男\n".encode()), id="text renamed"),
        pytest.param(lambda: SimpleUploadedFile("roster.xlsx", b""), id="empty file"),
        pytest.param(lambda: SimpleUploadedFile("roster.xlsx", _zip_without_workbook()), id="zip not a workbook"),
        pytest.param(lambda: SimpleUploadedFile("roster.xlsx", xlsx([row()]).read()[:900]), id="truncated xlsx"),
    ],
)
def test_unreadable_or_empty_files_are_refused_as_a_whole(county, staff_user, upload):
    before = counts()
    result = roster_import(file=upload(), imported_by=staff_user)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert counts() == before


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def test_an_empty_sheet_says_there_are_no_data_rows(county, staff_user):
    result = roster_import(file=xlsx([]), imported_by=staff_user)
    assert "no data rows" in result.errors[0].message


def test_wrong_headers_are_refused_naming_the_missing_columns(county, staff_user):
    headings = ["名字"] + HEADINGS[1:]
    result = roster_import(file=xlsx([row()], headings=headings), imported_by=staff_user)
    assert error_rows(result) == [1]
    assert "姓名" in result.errors[0].message
    assert Person.objects.filter(phone="13912340001").count() == 0


def test_headings_in_another_order_with_full_width_brackets_are_accepted(county, staff_user):
    headings = list(reversed([h.replace("(", "（").replace(")", "）") for h in HEADINGS]))
    result = roster_import(file=xlsx([list(reversed(row()))], headings=headings), imported_by=staff_user)
    assert result.ok and result.created == 1


def test_too_many_rows_are_refused(county, staff_user, monkeypatch):
    monkeypatch.setattr(service, "MAX_DATA_ROWS", 5)
    rows = [row(**{"手机号": f"1391234{i:04d}"}) for i in range(6)]
    result = roster_import(file=xlsx(rows), imported_by=staff_user)
    assert len(result.errors) == 1 and "5" in result.errors[0].message
    assert Person.objects.filter(phone__startswith="139").count() == 0


def test_an_over_large_file_is_refused_before_reading(county, staff_user, monkeypatch):
    monkeypatch.setattr(service, "MAX_FILE_BYTES", 1000)
    result = roster_import(file=xlsx([row()]), imported_by=staff_user)
    assert len(result.errors) == 1 and "MB" in result.errors[0].message
    assert Person.objects.filter(phone__startswith="139").count() == 0


# --- the initial password hash -------------------------------------------------------------------


def test_initial_passwords_use_a_light_pbkdf2_that_is_upgraded_at_first_sign_in(county, staff_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    result = roster_import(file=xlsx([row()]), imported_by=staff_user)
    user = User.objects.get(username="13912340001")
    assert user.password.startswith("pbkdf2_sha256$10000$")
    assert user.check_password(result.new_accounts[0].password)
    user.refresh_from_db()
    assert not user.password.startswith("pbkdf2_sha256$10000$")  # re-hashed at full strength


# --- the template ---------------------------------------------------------------------------------


def test_the_template_downloads_and_reimports_cleanly_after_filling(county, staff_user, client):
    client.force_login(staff_user)
    response = client.get(reverse("person:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    roster, help_sheet = workbook.worksheets[0], workbook["填写说明"]
    assert [c.value for c in roster[1]] == HEADINGS
    assert roster["A2"].value.startswith("（示例）")
    help_text = " ".join(str(c.value) for r in help_sheet.iter_rows() for c in r if c.value)
    for allowed in ("男、女", "高中/中专", "村党支部书记", "YYYY-MM-DD"):
        assert allowed in help_text
    validated = {str(dv.sqref) for dv in roster.data_validations.dataValidation}
    assert {"B2:B5001", "E2:E5001"} <= validated

    roster.append(row())
    roster.append(row(**{"姓名": "李秀英", "性别": "女", "手机号": "13912340002", "职务": "后备干部"}))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = roster_import(file=SimpleUploadedFile("filled.xlsx", buffer.getvalue()), imported_by=staff_user)
    assert result.ok, result.errors
    assert result.created == 2  # the example row is not imported
    assert not Person.objects.filter(name__startswith="（示例）").exists()


# --- the admin pages --------------------------------------------------------------------------------


def test_staff_import_end_to_end_in_the_admin(county, staff_user, client):
    client.force_login(staff_user)
    url = reverse("person:import")
    cadre_list = client.get(reverse("person:index")).content.decode()
    assert url in cadre_list and reverse("person:import_template") in cadre_list
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("person:import_template") in page.content.decode()

    bad = [row(), row(**{"手机号": "13912340002", "村(社区)": "不存在村"}), row(**{"手机号": "1", "姓名": ""})]
    response = client.post(url, {"file": xlsx(bad)})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="roster-errors"' in html
    errors = response.context["errors"]
    assert [e.row for e in errors] == [3, 4, 4]
    for error in errors:
        assert escape(error.message) in html
    assert "不存在村" in html
    assert not Person.objects.filter(phone__startswith="139").exists()

    response = client.post(url, {"file": xlsx(good_rows())})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="roster-counts"' in html
    assert Person.objects.filter(phone__startswith="139").count() == 3
    token = response.context["accounts_token"]
    assert token and "13912340003" in html

    download = client.get(url, {"accounts": token})
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == ["姓名", "手机号", "初始密码"]
    assert {(r[1]) for r in values[1:]} == {"13912340001", "13912340002", "13912340003"}
    user = User.objects.get(username=values[1][1])
    assert user.check_password(values[1][2])

    again = client.get(url, {"accounts": token})
    assert again.status_code == 302  # one download only


def test_a_non_xlsx_name_is_refused_by_the_form(county, staff_user, client):
    client.force_login(staff_user)
    response = client.post(reverse("person:import"), {"file": xlsx([row()], name="roster.csv")})
    assert response.status_code == 200
    assert not Person.objects.filter(phone="13912340001").exists()
    assert response.context["form"].errors["file"]


def test_another_user_cannot_take_the_account_sheet(county, staff_user, client, roles):
    client.force_login(staff_user)
    response = client.post(reverse("person:import"), {"file": xlsx([row()])})
    token = response.context["accounts_token"]
    colleague = User.objects.create_user(username="colleague", password="x")
    colleague.groups.add(*staff_user.groups.all())
    client.force_login(colleague)
    assert client.get(reverse("person:import"), {"accounts": token}).status_code == 302
    client.force_login(staff_user)
    assert client.get(reverse("person:import"), {"accounts": token}).status_code == 200


@pytest.mark.parametrize("who", ["organiser_user", "learner_user", "budget_user"])
def test_import_is_refused_to_everyone_but_staff(county, who, request, client):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for name in ("person:import", "person:import_template"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)
        assert "spreadsheetml" not in response.get("Content-Type", "")
    response = client.post(reverse("person:import"), {"file": xlsx([row()])})
    assert response.status_code in (302, 403)
    assert not Person.objects.filter(phone="13912340001").exists()


def test_an_organiser_holding_the_add_permission_still_cannot_import(county, organiser_user, client):
    from django.contrib.auth.models import Permission

    organiser_user.user_permissions.add(Permission.objects.get(codename="add_person"))
    client.force_login(organiser_user)
    assert client.post(reverse("person:import"), {"file": xlsx([row()])}).status_code == 302
    assert not Person.objects.filter(phone="13912340001").exists()


# --- the row parser never crashes ---------------------------------------------------------------------

LOOKUPS = RosterLookups(
    township_names=frozenset({"东风乡"}), villages={("东风乡", "红星村"): 1}, posts={"村党支部书记": 1, "后备干部": 2}
)
CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.booleans(),
    st.sampled_from(
        ["男", "女", "高中/中专", "东风乡", "红星村", "村党支部书记、后备干部", "13912340001", "1995-07-01"]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({h: CELLS for h in HEADINGS}), number=st.integers(2, 5001))
def test_the_row_parser_never_crashes_it_only_returns_errors(values, number):
    parsed, errors = roster_row_parse(row=number, values=values, lookups=LOOKUPS)
    assert (parsed is None) == bool(errors)
    assert all(e.row == number and e.message.startswith(f"Row {number}:") for e in errors)
    if parsed is not None:
        assert parsed.village_id == 1 and len(parsed.phone) == 11


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000))
def test_reading_arbitrary_bytes_gives_a_file_error_not_a_crash(data):
    rows, errors = service.roster_parse(file=io.BytesIO(data), lookups=LOOKUPS)
    assert rows == [] and len(errors) == 1


def test_posts_may_be_separated_by_any_usual_mark():
    for mark in ("、", ",", "，", " 、 "):
        text = f"村党支部书记{mark}后备干部"
        values = dict(zip(HEADINGS, row(**{"职务": text, "村(社区)": "红星村"}), strict=True))
        parsed, errors = roster_row_parse(row=2, values=values, lookups=LOOKUPS)
        assert errors == [] and parsed.post_ids == {1, 2}


def test_phone_written_as_a_number_cell_is_accepted():
    values = dict(zip(HEADINGS, row(**{"手机号": 13912340001.0, "职务": "村党支部书记"}), strict=True))
    parsed, errors = roster_row_parse(row=2, values=values, lookups=LOOKUPS)
    assert errors == [] and parsed.phone == "13912340001"


def test_posts_in_the_lookup_match_the_seeded_posts(db):
    assert set(service.roster_lookups_load().posts) == set(Post.objects.values_list("name", flat=True))


# --- in the browser --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_imports_in_the_browser_seeing_every_bad_row_first(county, staff_user, live_server, tmp_path, client):
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    client.force_login(staff_user)
    session = client.cookies["sessionid"].value
    bad = [
        row(),
        row(**{"手机号": "13912340002", "村(社区)": "不存在村"}),
        row(**{"手机号": "13912340001", "姓名": ""}),
        row(**{"手机号": "13912340004", "职务": "村长", "入党时间": "2001.7.1"}),
    ]
    upload = tmp_path / "roster.xlsx"
    upload.write_bytes(xlsx(bad).read())
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(live_server.url + reverse("person:import"))
        page.set_input_files("input[type=file]", str(upload))
        page.click("#w-editor-form button[type=submit]")
        page.wait_for_selector("#roster-errors")
        rows = page.locator("#roster-errors tbody tr")
        assert rows.count() == 5
        assert [rows.nth(i).locator("td").first.inner_text() for i in range(5)] == ["3", "4", "4", "5", "5"]
        page.screenshot(path=str(os.environ.get("ROSTER_SCREENSHOT", tmp_path / "roster_errors.png")), full_page=True)
        assert not Person.objects.filter(phone__startswith="139").exists()

        upload.write_bytes(xlsx(good_rows()).read())
        page.set_input_files("input[type=file]", str(upload))
        page.click("#w-editor-form button[type=submit]")
        page.wait_for_selector("#roster-counts")
        assert page.locator("#roster-accounts tbody tr").count() == 3
        result_png = os.environ.get("ROSTER_SCREENSHOT_RESULT", tmp_path / "roster_result.png")
        page.screenshot(path=str(result_png), full_page=True)
        with page.expect_download() as download:
            page.click("#accounts-download")
        assert download.value.suggested_filename.endswith(".xlsx")
        browser.close()
    assert Person.objects.filter(phone__startswith="139").count() == 3
