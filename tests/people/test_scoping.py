"""Scoping: a township organiser sees only their own township, a learner only themselves, on every admin page."""

import csv
import io

import pytest

from lms.people.models import Station
from tests.factories import PersonFactory

MODELS = ("person", "village", "township", "station")


@pytest.fixture
def stations(county):
    east, west = county["east"], county["west"]
    seat = east.county
    return {
        "east": [
            Station.objects.create(name="东风乡远教站", level="township", county=seat, township=east),
            Station.objects.create(name="红星村远教站", level="village", county=seat, township=east,
                                   village=county["villages"]["east"][0]),
        ],
        "west": [
            Station.objects.create(name="西河镇远教站", level="township", county=seat, township=west),
            Station.objects.create(name="和平村远教站", level="village", county=seat, township=west,
                                   village=county["villages"]["west"][0]),
        ],
        "county": [Station.objects.create(name="县委党校远教中心", level="county", county=seat)],
    }


def _rows(county, stations, side: str) -> dict[str, list]:
    """The objects of one township, per admin model."""
    return {
        "person": county["people"][side],
        "village": county["villages"][side],
        "township": [county[side]],
        "station": stations[side],
    }


def _label(model: str, obj) -> str:
    return obj.name


def _export(client, model: str, **params) -> list[list[str]]:
    response = client.get(f"/admin/{model}/", {"export": "csv", **params})
    assert response.status_code == 200, model
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_organiser_list_shows_only_their_township(client, organiser_user, county, stations, model):
    client.force_login(organiser_user)
    page = client.get(f"/admin/{model}/").content.decode()
    for obj in _rows(county, stations, "east")[model]:
        assert _label(model, obj) in page
    for obj in _rows(county, stations, "west")[model]:
        assert _label(model, obj) not in page
    if model == "station":
        assert "县委党校远教中心" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_organiser_search_never_reaches_another_township(client, organiser_user, county, stations, model):
    client.force_login(organiser_user)
    other = _rows(county, stations, "west")[model][0]
    page = client.get(f"/admin/{model}/", {"q": other.name}).content.decode()
    assert other.name not in page.split("<main", 1)[-1].replace(f'value="{other.name}"', "")


@pytest.mark.django_db
def test_organiser_filter_by_another_township_shows_nothing_of_it(client, organiser_user, county):
    client.force_login(organiser_user)
    page = client.get("/admin/person/", {"village__township": county["west"].pk}).content.decode()
    for person in county["people"]["west"]:
        assert person.name not in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_organiser_export_holds_only_their_township(client, organiser_user, county, stations, model):
    client.force_login(organiser_user)
    rows = _export(client, model)
    names = {cell for row in rows[1:] for cell in row}
    assert {_label(model, o) for o in _rows(county, stations, "east")[model]} <= names
    assert not names & {_label(model, o) for o in _rows(county, stations, "west")[model]}
    assert len(rows) - 1 == len(_rows(county, stations, "east")[model])


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_organiser_opens_own_detail_and_gets_404_for_another_township(
    client, organiser_user, county, stations, model
):
    client.force_login(organiser_user)
    own = _rows(county, stations, "east")[model][0]
    other = _rows(county, stations, "west")[model][0]
    response = client.get(f"/admin/{model}/inspect/{own.pk}/")
    assert response.status_code == 200
    assert own.name in response.content.decode()
    assert client.get(f"/admin/{model}/inspect/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_organiser_gets_404_for_a_county_level_station(client, organiser_user, stations):
    client.force_login(organiser_user)
    assert client.get(f"/admin/station/inspect/{stations['county'][0].pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_organiser_is_read_only(client, organiser_user, county, stations, model):
    client.force_login(organiser_user)
    own = _rows(county, stations, "east")[model][0]
    for path in (f"/admin/{model}/edit/{own.pk}/", f"/admin/{model}/delete/{own.pk}/", f"/admin/{model}/new/"):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        assert response.status_code == 403 or "/edit/" not in response.get("Location", ""), path
    response = client.post(f"/admin/{model}/edit/{own.pk}/", {"name": "改名"})
    assert response.status_code in (302, 403)
    own.refresh_from_db()
    assert own.name != "改名"


@pytest.mark.django_db
def test_organiser_cannot_import_a_roster(client, organiser_user):
    client.force_login(organiser_user)
    assert client.get("/admin/person/import/").status_code in (302, 403)
    page = client.get("/admin/person/").content.decode()
    assert "/admin/person/import/" not in page


@pytest.mark.django_db
def test_organiser_without_a_township_sees_nobody(client, organiser_user, county, stations):
    organiser_user.township = None
    organiser_user.save(update_fields=["township"])
    client.force_login(organiser_user)
    for model in MODELS:
        assert _export(client, model)[1:] == [], model
    assert client.get(f"/admin/person/inspect/{county['people']['east'][0].pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_learner_is_kept_out_of_every_admin_page(client, learner_user, county, stations, model):
    client.force_login(learner_user)
    own = _rows(county, stations, "east")[model][0]
    for path in (f"/admin/{model}/", f"/admin/{model}/?export=csv", f"/admin/{model}/inspect/{own.pk}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/", path


@pytest.mark.django_db
def test_learner_profile_shows_only_themselves(client, learner_user, learner_person, county):
    neighbour = county["people"]["east"][1]
    client.force_login(learner_user)
    page = client.get("/me/").content.decode()
    assert learner_person.name in page and learner_person.phone in page
    assert neighbour.name not in page and neighbour.phone not in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_staff_see_the_whole_county(client, staff_user, county, stations, model):
    client.force_login(staff_user)
    names = {cell for row in _export(client, model)[1:] for cell in row}
    for side in ("east", "west"):
        assert {o.name for o in _rows(county, stations, side)[model]} <= names
    assert client.get(f"/admin/{model}/inspect/{_rows(county, stations, 'west')[model][0].pk}/").status_code == 200


@pytest.mark.django_db
def test_budget_officer_sees_the_whole_county_read_only(client, budget_user, county):
    client.force_login(budget_user)
    names = {cell for row in _export(client, "person")[1:] for cell in row}
    assert {p.name for p in county["people"]["west"] + county["people"]["east"]} <= names
    assert client.get(f"/admin/person/edit/{county['people']['west'][0].pk}/").status_code in (302, 403)


@pytest.mark.django_db
def test_person_moved_to_another_township_disappears_for_the_organiser(client, organiser_user, county):
    person = PersonFactory(village=county["villages"]["east"][1], posts=["secretary"])
    client.force_login(organiser_user)
    assert client.get(f"/admin/person/inspect/{person.pk}/").status_code == 200
    person.village = county["villages"]["west"][1]
    person.save(update_fields=["village"])
    assert client.get(f"/admin/person/inspect/{person.pk}/").status_code == 404


@pytest.mark.django_db
def test_organiser_spreadsheet_export_is_a_workbook_of_their_township(client, organiser_user, county, stations):
    from openpyxl import load_workbook

    client.force_login(organiser_user)
    response = client.get("/admin/person/", {"export": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(p.name for p in county["people"]["east"])
    first = next(sheet.iter_rows(min_row=2, values_only=True))
    assert "东风乡" in first
    assert "男" in first and "高中/中专" in first, "choices are exported as their Chinese labels, not codes"
