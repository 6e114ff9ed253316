"""学时 by type with caps, and self-declaration: evidence checked by content, staff decide, the record counts it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lms.classes.declarations import declaration_decide, declaration_submit, evidence_check
from lms.classes.models import CreditDeclaration, CreditType
from lms.classes.records import record_for

TODAY = datetime.date(2026, 6, 1)


def png(name="evidence.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf")


def _type(code):
    return CreditType.objects.get(code=code)


def _declare(person, code, units="1", evidence=None, **kwargs):
    return declaration_submit(person=person, credit_type_id=str(_type(code).pk),
                              title=kwargs.pop("title", "县委党校专题培训"),
                              studied_on=kwargs.pop("studied_on", "2026-05-20"), units=units,
                              evidence=evidence or png(), today=TODAY)


def test_the_seeded_types_hold_the_schools_rules(db):
    assert _type("party-school-day").hours_for(Decimal("2")) == Decimal("12.0")
    assert _type("party-school-half-day").hours_for(Decimal("1")) == Decimal("3.0")
    assert _type("teaching").hours_for(Decimal("3")) == Decimal("6.0")  # taught hours count twice
    assert _type("paper-province").hours_for(Decimal("1")) > _type("paper-county").hours_for(Decimal("1"))
    assert _type("outside-training").yearly_cap == Decimal("24")
    assert not _type("paper-city").is_required


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("x.png", b"GIF89a not really", "image/png"), "JPEG or PNG"),
    (SimpleUploadedFile("x.pdf", b"MZ\x90\x00 an exe", "application/pdf"), "JPEG or PNG"),
    (SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n broken", "image/png"), "cannot be opened"),
    (None, "Attach a photo"),
])
def test_evidence_is_checked_by_its_content(upload, message):
    with pytest.raises(ValidationError, match=message):
        evidence_check(upload)


def test_evidence_over_10_mb_is_refused():
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        evidence_check(big)
    assert evidence_check(pdf()) == "pdf" and evidence_check(png()) == "png"


def test_bad_input_saves_nothing(learner_person):
    cases = [dict(units="abc"), dict(units="NaN"), dict(units="1e400"), dict(units="0"), dict(title="  "),
             dict(studied_on="2026-13-01"), dict(studied_on="2026-07-01"), dict(studied_on="2023-01-01")]
    for case in cases:
        with pytest.raises(ValidationError):
            _declare(learner_person, "outside-training", **case)
    with pytest.raises(ValidationError, match="Choose the type"):
        declaration_submit(person=learner_person, credit_type_id="x", title="t", studied_on="2026-05-01", units="1",
                           evidence=png(), today=TODAY)
    assert not CreditDeclaration.objects.exists()


def test_a_declaration_over_the_yearly_cap_is_refused(learner_person):
    _declare(learner_person, "outside-training", units="20")
    with pytest.raises(ValidationError, match="at most 24.0 credit hours a year; 4.0 are left"):
        _declare(learner_person, "outside-training", units="5")
    assert CreditDeclaration.objects.count() == 1
    _declare(learner_person, "outside-training", units="4")


def test_approve_adjust_refuse_and_the_record(learner_person, staff_user):
    day = _declare(learner_person, "party-school-day", units="2")
    paper = _declare(learner_person, "paper-county", title="论村级集体经济")
    talk = _declare(learner_person, "teaching", units="2")
    junk = _declare(learner_person, "outside-training", units="3")
    with pytest.raises(ValidationError, match="reason for adjusting"):
        declaration_decide(declaration=day, approve=True, by=staff_user, hours="6")
    declaration_decide(declaration=day, approve=True, by=staff_user, hours="6", reason="只参加了一天")
    declaration_decide(declaration=paper, approve=True, by=staff_user)
    declaration_decide(declaration=talk, approve=True, by=staff_user)
    with pytest.raises(ValidationError, match="reason for refusing"):
        declaration_decide(declaration=junk, approve=False, by=staff_user)
    declaration_decide(declaration=junk, approve=False, by=staff_user, reason="证明材料不清楚")
    with pytest.raises(ValidationError, match="already been decided"):
        declaration_decide(declaration=junk, approve=True, by=staff_user)
    record = record_for(person=learner_person, year=2026)
    declared = [e for e in record.entries if e.kind == "declaration"]
    assert sorted(e.credit_hours for e in declared) == [Decimal("4.0"), Decimal("4.0"), Decimal("6.0")]
    assert record.totals["elective"] == Decimal("4.0")  # the paper is elective
    assert record.totals["concentrated"] >= Decimal("10.0")


def test_learner_page_declares_and_shows_the_state(client, learner_user, learner_person, staff_user):
    client.force_login(learner_user)
    page = client.get("/classes/declarations/").content.decode()
    assert 'id="declare-form"' in page
    response = client.post("/classes/declarations/", {
        "credit_type": _type("central-group").pk, "title": "中心组专题学习", "studied_on": "2026-01-10", "units": "1",
        "evidence": pdf()})
    assert response.status_code == 302
    bad = client.post("/classes/declarations/", {
        "credit_type": _type("central-group").pk, "title": "x", "studied_on": "2026-01-10", "units": "1",
        "evidence": SimpleUploadedFile("a.png", b"not an image", "image/png")})
    assert bad.status_code == 400 and "declaration-error" in bad.content.decode()
    assert CreditDeclaration.objects.count() == 1
    client.force_login(staff_user)
    queue = client.get("/admin/training/declarations/").content.decode()
    assert "中心组专题学习" in queue
    declaration = CreditDeclaration.objects.get()
    assert client.get(f"/admin/training/declarations/{declaration.pk}/evidence/").status_code == 200
    client.post(f"/admin/training/declarations/{declaration.pk}/decide/", {"decision": "approve", "hours": ""})
    declaration.refresh_from_db()
    assert declaration.state == "approved" and declaration.hours_approved == Decimal("3.0")


def test_organiser_cannot_decide(client, learner_person, organiser_user):
    declaration = _declare(learner_person, "central-group")
    client.force_login(organiser_user)
    assert client.post(f"/admin/training/declarations/{declaration.pk}/decide/",
                       {"decision": "approve"}).status_code == 404
    declaration.refresh_from_db()
    assert declaration.state == "pending"
