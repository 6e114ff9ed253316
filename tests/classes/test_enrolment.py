"""Enrolment in bulk, from Excel, by self-choice; capacity and the waiting list; withdrawal keeps history."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from lms.classes.enrolment import enrol_from_excel, enrol_matching, enrol_self, enrolment_withdraw
from lms.classes.models import Enrolment, TrainingClass
from lms.people.models import Post

from .conftest import make_class

State = TrainingClass.State


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["手机号"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_bulk_by_post_and_township(county, staff_user):
    tc = make_class(state=State.ENROLLING)
    result = enrol_matching(training_class=tc, by=staff_user, township=county["east"],
                            post=Post.objects.get(code="secretary"))
    assert {p.pk for p in result.enrolled} == {county["people"]["east"][0].pk, county["people"]["east"][3].pk}
    again = enrol_matching(training_class=tc, by=staff_user, township=county["east"],
                           post=Post.objects.get(code="secretary"))
    assert len(again.already) == 2 and not again.enrolled


def test_capacity_then_waiting_list_promoted_in_order(county, staff_user):
    tc = make_class(state=State.ENROLLING, capacity=2)
    result = enrol_matching(training_class=tc, by=staff_user, village=county["villages"]["east"][0])
    assert len(result.enrolled) == 2 and len(result.waitlisted) == 1
    first_in = Enrolment.objects.get(training_class=tc, person=result.enrolled[0])
    waiting = Enrolment.objects.get(training_class=tc, person=result.waitlisted[0])
    promoted = enrolment_withdraw(enrolment=first_in, reason="工作调动", by=staff_user)
    assert promoted.pk == waiting.pk
    first_in.refresh_from_db()
    assert first_in.status == "withdrawn" and first_in.withdraw_reason == "工作调动" and first_in.withdrawn_at
    assert Enrolment.objects.filter(training_class=tc, status="enrolled").count() == 2


def test_excel_list_enrols(county, staff_user):
    tc = make_class(state=State.ENROLLING)
    people = county["people"]["west"][:2]
    result = enrol_from_excel(training_class=tc, data=_xlsx([[p.phone] for p in people]), by=staff_user)
    assert {p.pk for p in result.enrolled} == {p.pk for p in people}


def test_excel_bad_rows_each_named_nothing_saved(county, staff_user):
    tc = make_class(state=State.ENROLLING)
    good = county["people"]["west"][0].phone
    data = _xlsx([[good], ["12345"], [good], ["13999999999"], [None, "备注"]])
    with pytest.raises(ValidationError) as info:
        enrol_from_excel(training_class=tc, data=data, by=staff_user)
    messages = info.value.messages
    assert any(m.startswith("Row 3") and "11-digit" in m for m in messages)
    assert any(m.startswith("Row 4") and "row 2" in m for m in messages)
    assert any(m.startswith("Row 5") and "no cadre" in m for m in messages)
    assert any(m.startswith("Row 6") and "missing" in m for m in messages)
    assert not Enrolment.objects.filter(training_class=tc).exists()


def test_not_excel_refused(county, staff_user):
    tc = make_class(state=State.ENROLLING)
    with pytest.raises(ValidationError, match="not an Excel"):
        enrol_from_excel(training_class=tc, data=b"name,phone\n", by=staff_user)


def test_enrolment_refused_for_draft_class(county, staff_user):
    tc = make_class()
    with pytest.raises(ValidationError, match="only once the plan is approved"):
        enrol_matching(training_class=tc, by=staff_user, township=county["east"])


def test_self_enrol_until_full_then_waitlist(county):
    tc = make_class(state=State.ENROLLING, is_elective=True, capacity=1)
    a, b = county["people"]["east"][:2]
    assert enrol_self(training_class=tc, person=a).status == "enrolled"
    row = enrol_self(training_class=tc, person=b)
    assert row.status == "waitlisted" and row.source == "self"


def test_self_enrol_only_elective(county):
    tc = make_class(state=State.ENROLLING)
    with pytest.raises(ValidationError, match="not open for self-enrolment"):
        enrol_self(training_class=tc, person=county["people"]["east"][0])


def test_catalogue_and_self_enrol_pages(client, county, learner_user, learner_person):
    tc = make_class(state=State.ENROLLING, is_elective=True, name="菜单式选修班")
    make_class(state=State.ENROLLING, name="必修班")
    client.force_login(learner_user)
    body = client.get("/classes/catalogue/").content.decode()
    assert "菜单式选修班" in body and "必修班" not in body
    client.post(f"/classes/{tc.pk}/enrol/")
    assert Enrolment.objects.get(training_class=tc, person=learner_person).source == "self"
    client.post(f"/classes/{tc.pk}/withdraw/", {"reason": "时间冲突"})
    assert Enrolment.objects.get(training_class=tc, person=learner_person).status == "withdrawn"


def test_admin_enrol_page_excel_errors_shown(client, county, staff_user):
    tc = make_class(state=State.ENROLLING)
    client.force_login(staff_user)
    upload = io.BytesIO(_xlsx([["123"]]))
    upload.name = "list.xlsx"
    response = client.post(f"/admin/training/class/{tc.pk}/enrol/", {"file": upload})
    assert "Row 2: “123” is not an 11-digit mobile number." in response.content.decode()
    assert not Enrolment.objects.filter(training_class=tc).exists()
