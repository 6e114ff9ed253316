"""Every endpoint as every role: the right status, and never another township's or another learner's data."""

import json
from urllib.parse import parse_qs, urlparse

import pytest
from openapi_spec_validator import validate

from lms.people.models import Person

ROLES = ["anonymous", "learner", "other_learner", "staff", "officer", "west_organiser"]
OFFICERS_ONLY = {"allowances", "ledger-entries"}
# Who may see the east learner's row of each resource (the others get it neither in lists nor by id).
SEES_EAST_ROW = {
    "townships": {"staff", "officer"},
    "villages": {"staff", "officer"},
    "stations": {"staff", "officer"},
    "people": {"learner", "staff", "officer"},
    "courses": {"learner", "other_learner", "staff", "officer", "west_organiser"},
    "lessons": {"learner", "other_learner", "staff", "officer", "west_organiser"},
    "classes": {"learner", "staff"},
    "sessions": {"learner", "staff"},
    "enrolments": {"learner", "staff"},
    "attendance": {"learner", "staff"},
    "quiz-results": {"learner", "staff"},
    "allowances": {"officer"},
    "ledger-entries": {"officer"},
    "claims": {"learner", "staff", "officer"},
    "certificates": {"learner", "staff"},
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000


def _all_ids(client, resource: str) -> list[int]:
    ids, cursor = [], None
    for _page in range(50):
        params = {"page_size": 5}
        if cursor:
            params["cursor"] = cursor
        response = client.get(f"/api/v1/{resource}", **params)
        assert response.status_code == 200, (resource, response.content)
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        cursor = body["next"] and parse_qs(urlparse(body["next"]).query)["cursor"][0]
        if not cursor:
            return ids
    raise AssertionError("pagination did not end")


def test_every_endpoint_as_every_role(world, clients):
    for resource, seers in SEES_EAST_ROW.items():
        for role in ROLES:
            client = clients[role]
            listing = client.get(f"/api/v1/{resource}")
            detail = client.get(f"/api/v1/{resource}/{world[resource]}")
            if role == "anonymous":
                assert (listing.status_code, detail.status_code) == (401, 401), (resource, role)
                assert listing.json()["code"] == "unauthenticated"
                continue
            if resource in OFFICERS_ONLY and role != "officer":
                assert (listing.status_code, detail.status_code) == (403, 403), (resource, role)
                assert listing.json()["code"] == "forbidden" and listing.json()["message"]
                continue
            assert listing.status_code == 200, (resource, role, listing.content)
            visible = world[resource] in _all_ids(client, resource)
            assert visible == (role in seers), (resource, role)
            assert detail.status_code == (200 if role in seers else 404), (resource, role)
            if detail.status_code == 404:
                assert detail.json()["code"] == "not_found" and detail.json()["message"]


def test_organiser_sees_only_their_township(world, clients, county):
    people = clients["west_organiser"].get("/api/v1/people", page_size=100).json()["results"]
    west_ids = set(Person.objects.filter(village__township=county["west"]).values_list("pk", flat=True))
    assert people and {row["id"] for row in people} <= west_ids


def test_phones_are_masked_and_ethnicity_hidden_for_roles_that_do_not_need_them(world, clients):
    staff_row = clients["staff"].get(f"/api/v1/people/{world['people']}").json()
    officer_row = clients["officer"].get(f"/api/v1/people/{world['people']}").json()
    own_row = clients["learner"].get(f"/api/v1/people/{world['people']}").json()
    assert len(staff_row["phone"]) == 11 and staff_row["ethnicity"] == "汉族"
    assert officer_row["phone"] == staff_row["phone"][:3] + "****" + staff_row["phone"][-4:]
    assert officer_row["ethnicity"] is None
    assert own_row["phone"] == staff_row["phone"]


def test_public_verification_by_serial(world, clients):
    response = clients["anonymous"].get(f"/api/v1/verify/{world['serial']}")
    assert response.status_code == 200 and response.json()["valid"] is True
    assert clients["anonymous"].get("/api/v1/verify/不存在").json()["code"] == "not_found"


def test_the_schema_validates_and_the_docs_are_for_signed_in_staff(world, staff_user, learner_user):
    from django.test import Client

    client = Client()
    assert client.get("/api/v1/docs").status_code == 302
    client.force_login(learner_user)
    assert client.get("/api/v1/openapi.json").status_code == 403
    client.force_login(staff_user)
    schema = client.get("/api/v1/openapi.json").json()
    validate(json.loads(json.dumps(schema)))
    assert "/api/v1/people" in schema["paths"]
    assert schema["paths"]["/api/v1/people"]["get"]["summary"] == "学员列表"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # The machine that serves the county may have no Internet: Swagger UI must come from our own static files.
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn." not in page
