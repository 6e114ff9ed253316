"""Credit hours by the rules kept as data, the training record, its Excel, and who may see it."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lms.classes.attendance import attendance_mark
from lms.classes.credits import online_course_credit_hours, quiz_credit_hours, requirement_for
from lms.classes.models import CreditRule, RequirementSetting
from lms.classes.records import RECORD_PROVIDERS, RecordEntry, record_for
from lms.people.models import Post

from .conftest import enrol, make_session


@pytest.mark.parametrize("minutes,hours", [(45, "1"), (30, "1"), (29, "0.5"), (15, "0.5"), (14, "0.25"), (1, "0.25")])
def test_default_online_bands(db, minutes, hours):
    assert online_course_credit_hours(minutes=minutes, year=2026) == Decimal(hours)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(minutes=st.integers(min_value=0, max_value=600))
def test_online_bands_never_decrease_with_length(minutes):
    shorter = online_course_credit_hours(minutes=minutes)
    longer = online_course_credit_hours(minutes=minutes + 1)
    assert Decimal("0.25") <= shorter <= longer <= Decimal("1")


def test_rules_are_data_per_year(db):
    CreditRule.objects.create(kind="online_course", year=2027, min_minutes=20, credit_hours=Decimal("2"))
    CreditRule.objects.create(kind="quiz_passed", year=2027, min_minutes=0, credit_hours=Decimal("1"))
    assert online_course_credit_hours(minutes=25, year=2027) == Decimal("2")
    assert online_course_credit_hours(minutes=10, year=2027) == Decimal("0")
    assert online_course_credit_hours(minutes=25, year=2026) == Decimal("0.5")
    assert quiz_credit_hours(year=2027) == Decimal("1") and quiz_credit_hours(year=2026) == Decimal("0.5")


def test_requirement_defaults_and_per_post_year(db):
    secretary = Post.objects.get(code="secretary")
    director = Post.objects.get(code="director")
    assert requirement_for(post_ids=[secretary.pk], year=2026).concentrated_hours == Decimal("90")
    RequirementSetting.objects.create(post=secretary, year=2026, concentrated_hours=Decimal("100"),
                                      online_hours=Decimal("60"))
    RequirementSetting.objects.create(post=director, year=None, concentrated_hours=Decimal("80"),
                                      online_hours=Decimal("70"))
    both = requirement_for(post_ids=[secretary.pk, director.pk], year=2026)
    assert (both.concentrated_hours, both.online_hours) == (Decimal("100"), Decimal("70"))
    assert requirement_for(post_ids=[secretary.pk], year=2025).concentrated_hours == Decimal("90")


@pytest.fixture
def attended(running_class, county, staff_user, learner_person):
    people = county["people"]["east"]
    s1 = make_session(running_class, start=(9, 0), end=(11, 0), hours="2", topic="学习党章")
    s2 = make_session(running_class, start=(14, 0), end=(17, 0), hours="3", topic="村务公开")
    attendance_mark(session=s1, marks={p.pk: "present" for p in people}, by=staff_user)
    attendance_mark(session=s2, marks={learner_person.pk: "absent"}, by=staff_user)
    return running_class


def test_record_counts_attended_sessions(attended, learner_person):
    record = record_for(person=learner_person, year=attended.year)
    sessions = [e for e in record.entries if e.kind == "session"]
    assert [e.credit_hours for e in sessions] == [Decimal("2.0")]
    assert record.totals["concentrated"] == Decimal("2") and record.concentrated_short == Decimal("88")
    assert not record.meets_requirement


def test_record_takes_other_providers(attended, learner_person, monkeypatch):
    import lms.classes.records as records

    def online(*, person, year):
        return [RecordEntry(kind="course", title="村务公开网课", date=datetime.date(year, 3, 1),
                            credit_hours=Decimal("50"), category="online")]

    monkeypatch.setattr(records, "_demo_online", online, raising=False)
    monkeypatch.setattr(records, "RECORD_PROVIDERS", [*RECORD_PROVIDERS, "lms.classes.records._demo_online",
                                                      "lms.nowhere.records.entries"])
    record = record_for(person=learner_person, year=attended.year)
    assert record.totals["online"] == Decimal("50") and record.online_short == 0


def test_record_excel_holds_the_numbers(client, attended, learner_user):
    client.force_login(learner_user)
    response = client.get("/classes/record/xlsx/", {"year": attended.year})
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert any(r[2] and "学习党章" in r[2] and r[4] == 2 for r in rows)
    totals = [r for r in rows if r[0] == "Concentrated training"]
    assert totals[-1][1:4] == (2, 90, 88)


def test_record_pdf_opens(client, attended, learner_user):
    from lms.classes.exports import pdf_available

    if not pdf_available():
        pytest.skip("no CJK font")
    client.force_login(learner_user)
    response = client.get("/classes/record/pdf/", {"year": attended.year})
    assert response.content.startswith(b"%PDF")


def test_learner_sees_only_own_record(client, attended, learner_user, county):
    client.force_login(learner_user)
    assert client.get("/classes/record/").status_code == 200
    other = county["people"]["east"][1]
    assert client.get(f"/classes/people/{other.pk}/record/").status_code == 404
    assert client.get(f"/classes/people/{other.pk}/record/xlsx/").status_code == 404


def test_organiser_sees_own_township_only(client, attended, organiser_user, county):
    client.force_login(organiser_user)
    assert client.get(f"/classes/people/{county['people']['east'][1].pk}/record/").status_code == 200
    assert client.get(f"/classes/people/{county['people']['west'][0].pk}/record/").status_code == 404


def test_record_page_query_count_fixed(client, attended, learner_user, django_assert_max_num_queries, county,
                                       staff_user):
    client.force_login(learner_user)
    client.get("/classes/record/")
    with django_assert_max_num_queries(20) as before:
        client.get("/classes/record/")
    for i in range(5):
        s = make_session(attended, start=(18, i * 10), end=(18, i * 10 + 9), hours="0.5", topic=f"加课{i}")
        attendance_mark(session=s, marks={learner_user.person.pk: "present"}, by=staff_user)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/classes/record/")


def test_shortfall_list(client, attended, staff_user, county):
    client.force_login(staff_user)
    body = client.get("/admin/training/shortfall/", {"year": attended.year}).content.decode()
    assert county["people"]["east"][0].name in body


def test_shortfall_lists_only_those_short_with_their_totals(client, attended, staff_user, county):
    RequirementSetting.objects.create(post=Post.objects.get(code="secretary"), year=attended.year,
                                      concentrated_hours=Decimal("0"), online_hours=Decimal("0"))
    client.force_login(staff_user)
    body = client.get("/admin/training/shortfall/", {"year": attended.year}).content.decode()
    secretaries = [p for p in county["people"]["east"] if p.posts.filter(code="secretary").exists()]
    assert secretaries and all(f"<td>{p.name}</td>" not in body for p in secretaries)
    assert f"<td>{county['people']['east'][1].name}</td>" in body


def test_shortfall_query_count_does_not_grow(client, attended, staff_user, county, monkeypatch,
                                             django_assert_max_num_queries):
    from lms.classes import records
    from tests.factories import PersonFactory

    # Only providers with a bulk function: the others' per-person queries are theirs to remove.
    monkeypatch.setattr(records, "RECORD_PROVIDERS", ["lms.classes.records.class_entries"])
    client.force_login(staff_user)
    client.get("/admin/training/shortfall/", {"year": attended.year})
    with django_assert_max_num_queries(20) as small:
        client.get("/admin/training/shortfall/", {"year": attended.year})
    people = [PersonFactory(village=county["villages"]["east"][0], posts=["director"]) for _ in range(15)]
    enrol(attended, people)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get("/admin/training/shortfall/", {"year": attended.year}).content.decode()
    assert all(p.name in body for p in people)
