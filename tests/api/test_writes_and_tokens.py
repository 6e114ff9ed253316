"""Writes through the API (people, enrolment, attendance), tokens, rate limiting and fixed query counts."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms.api.models import ApiToken
from lms.api.tokens import token_create, token_revoke
from lms.classes.models import Attendance, AttendanceCorrection, Enrolment
from lms.people.models import Person
from tests.api.conftest import ApiClient, make_world
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NEW_CADRE = {
    "name": "王建国", "gender": "男", "ethnicity": "", "birth_year": 1975, "education": "高中/中专",
    "phone": "13812345678", "township": "东风乡", "village": "红星村", "posts": ["村党支部书记"],
}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000


def test_staff_create_and_update_a_cadre_with_the_roster_import_checks(clients, county):
    staff = clients["staff"]
    created = staff.post("/api/v1/people", NEW_CADRE)
    assert created.status_code == 201, created.content
    person = Person.objects.get(phone="13812345678")
    assert person.user.username == "13812345678" and person.user.must_change_password
    assert staff.post("/api/v1/people", NEW_CADRE).status_code == 200  # same phone: an update, nothing new
    changed = staff.patch(f"/api/v1/people/{person.pk}", {"village": "团结村"})
    assert changed.status_code == 200 and changed.json()["village_id"] == county["villages"]["east"][1].pk
    entry = LogEntry.objects.filter(content_type__model="person", object_pk=str(person.pk)).latest("pk")
    assert entry.additional_data["channel"] == "api" and entry.actor.username == "jiaowu"


def test_a_bad_cadre_is_refused_with_the_import_messages_and_nothing_is_saved(clients, county):
    bad = dict(NEW_CADRE, township="不存在乡", gender="未知", phone="1381234")
    response = clients["staff"].post("/api/v1/people", bad)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    fields = {e["field"] for e in body["errors"]}
    assert {"性别", "手机号", "乡镇"} <= fields
    assert not Person.objects.filter(name="王建国").exists()


def test_only_staff_write_people(clients):
    for role in ("learner", "officer", "west_organiser"):
        response = clients[role].post("/api/v1/people", NEW_CADRE)
        assert response.status_code == 403, role
        assert response.json()["code"] == "forbidden"
    assert clients["anonymous"].post("/api/v1/people", NEW_CADRE).status_code == 401


def test_enrol_and_attendance_from_another_system_are_idempotent(world, clients, county):
    staff = clients["staff"]
    newcomer = county["people"]["east"][1]
    enrolled = staff.post(f"/api/v1/classes/{world['classes']}/enrolments", {"person_id": newcomer.pk})
    assert enrolled.status_code in (201, 422), enrolled.content  # a closed class refuses new learners
    mark = {"source": "county-signin", "external_id": "A-1", "session_id": world["sessions"],
            "person_id": county["people"]["east"][0].pk, "status": "late"}
    first = staff.post("/api/v1/attendance", mark)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "late"
    again = staff.post("/api/v1/attendance", dict(mark, status="absent"))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Attendance.objects.get(pk=world["attendance"]).status == "late"
    assert AttendanceCorrection.objects.filter(attendance_id=world["attendance"]).count() == 1
    assert clients["west_organiser"].post("/api/v1/attendance", dict(mark, external_id="A-2")).status_code == 403


def test_enrol_into_a_running_class(clients, county, staff_user):
    from tests.classes.conftest import make_class

    tc = make_class(state="running")
    person = county["people"]["west"][0]
    response = clients["staff"].post(f"/api/v1/classes/{tc.pk}/enrolments", {"person_id": person.pk})
    assert response.status_code == 201, response.content
    assert Enrolment.objects.filter(training_class=tc, person=person, status="enrolled").exists()
    assert clients["staff"].post(f"/api/v1/classes/{tc.pk}/enrolments", {"person_id": person.pk}).status_code == 200


def test_a_revoked_or_expired_token_is_refused_at_once(staff_user, county):
    token, raw = token_create(user=staff_user, name="干部库同步", by=staff_user)
    client = ApiClient(raw)
    assert client.get("/api/v1/townships").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert raw not in str(ApiToken.objects.values_list("digest", "hint").get(pk=token.pk))
    token_revoke(token=token, by=staff_user)
    assert client.get("/api/v1/townships").status_code == 401
    expired, raw2 = token_create(user=staff_user, name="过期", by=staff_user,
                                 expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert ApiClient(raw2).get("/api/v1/townships").status_code == 401


def test_tokens_are_created_once_shown_and_revoked_in_the_admin(client, staff_user, learner_user):
    client.force_login(staff_user)
    page = client.post("/admin/api-tokens/", {"name": "小程序", "username": learner_user.username, "expires_in": "30"})
    assert page.status_code == 200
    raw = page.context["new_token"]
    token = ApiToken.objects.get(name="小程序")
    assert token.user == learner_user and token.expires_at is not None
    assert raw in page.content.decode()
    assert raw not in client.get("/admin/api-tokens/").content.decode()
    client.post(f"/admin/api-tokens/{token.pk}/revoke/")
    assert ApiClient(raw).get("/api/v1/people").status_code == 401
    client.force_login(learner_user)
    assert client.get("/admin/api-tokens/").status_code in (302, 403)


def test_rate_limit_per_token(settings, staff_user, county):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    _token, raw = token_create(user=staff_user, name="限流", by=staff_user)
    client = ApiClient(raw)
    statuses = [client.get("/api/v1/townships").status_code for _i in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    limited = client.get("/api/v1/townships")
    assert limited.json()["code"] == "rate_limited" and int(limited["Retry-After"]) > 0
    _other, raw_other = token_create(user=staff_user, name="另一个", by=staff_user)
    assert ApiClient(raw_other).get("/api/v1/townships").status_code == 200


def test_session_authentication_for_the_portal(client, learner_user, world):
    client.force_login(learner_user)
    response = client.get("/api/v1/people")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world["people"]]


LISTS = ["townships", "villages", "stations", "people", "courses", "lessons", "classes", "sessions", "enrolments",
         "attendance", "quiz-results", "allowances", "ledger-entries", "claims", "certificates"]


def _counts(clients) -> dict[str, int]:
    counts = {}
    for resource in LISTS:
        client = clients["officer" if resource in ("allowances", "ledger-entries") else "staff"]
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{resource}").status_code == 200
        counts[resource] = len(queries)
    return counts


def test_every_list_runs_the_same_number_of_queries_whatever_the_rows(world, clients, county, learner_user,
                                                                    staff_user):
    _counts(clients)  # warm caches (content types, the token's last use)
    before = _counts(clients)
    for village in county["villages"]["west"]:
        for _i in range(3):
            PersonFactory(village=village, posts=["secretary", "director"])
    from tests.factories import learner_for

    extra = learner_for(PersonFactory(village=county["villages"]["east"][0], posts=["secretary"]))
    county["people"]["east"][0] = Person.objects.get(user=extra)
    make_world(county, extra, staff_user, suffix="2")
    after = _counts(clients)
    assert after == before
    assert max(after.values()) <= 8, after
