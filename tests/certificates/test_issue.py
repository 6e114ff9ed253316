"""Batch issue through the Celery job, re-runs without duplicates, by hand, revoke, bad input."""

import pytest
from django.core.exceptions import ValidationError

from lms.certificates import services
from lms.certificates.models import Certificate, CertificateSettings, IssueBatch
from lms.certificates.tasks import issue_class_certificates
from lms.classes.models import TrainingClass
from tests.certificates.conftest import FakeStats, enrol, make_class


def _run_batch(training_class, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.certificate_batch_start(training_class=training_class, user=user)
    batch.refresh_from_db()
    return batch


def test_batch_issues_eligible_learners_with_sequential_serials(
    closed_class, county, fake, staff_user, django_capture_on_commit_callbacks
):
    people = county["people"]["east"]
    fake.all_met(people[:3])
    batch = _run_batch(closed_class, staff_user, django_capture_on_commit_callbacks)
    assert (batch.state, batch.total, batch.done) == (IssueBatch.State.DONE, 3, 3)
    certificates = list(Certificate.objects.order_by("number"))
    assert {c.person_id for c in certificates} == {p.pk for p in people[:3]}
    assert [c.serial for c in certificates] == [f"〔2026〕乡党校结字第00{n}号" for n in (1, 2, 3)]
    assert all(c.pdf and c.pdf.read(4) == b"%PDF" for c in certificates)

    # Re-run, with one more learner now eligible: no duplicate, no gap.
    fake.all_met(people[:4])
    batch = _run_batch(closed_class, staff_user, django_capture_on_commit_callbacks)
    assert (batch.total, batch.done) == (4, 4)
    assert Certificate.objects.count() == 4
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [1, 2, 3, 4]

    # Running the same finished job again changes nothing.
    issue_class_certificates.apply(args=[batch.pk])
    assert Certificate.objects.count() == 4


def test_batch_refuses_open_class(county, fake, staff_user):
    running = make_class(state=TrainingClass.State.RUNNING)
    with pytest.raises(ValidationError):
        services.certificate_batch_start(training_class=running, user=staff_user)


def test_serials_continue_across_classes_and_restart_per_year(county, fake, staff_user):
    person = county["people"]["west"][0]
    fake.all_met([person])
    first, second, next_year = make_class(name="一班"), make_class(name="二班"), make_class(name="三班", year=2027)
    for tc in (first, second, next_year):
        enrol(tc, [person])
    serials = [
        services.certificate_issue(training_class=tc, person=person)[0].serial for tc in (first, second, next_year)
    ]
    assert serials == ["〔2026〕乡党校结字第001号", "〔2026〕乡党校结字第002号", "〔2027〕乡党校结字第001号"]


def test_issue_by_hand_needs_a_reason_and_is_recorded(closed_class, county, fake, staff_user):
    person = county["people"]["east"][1]
    fake.stats[person.pk] = FakeStats(attended=1, attendance_rate=0)
    with pytest.raises(ValidationError):
        services.certificate_issue_by_hand(training_class=closed_class, person=person, user=staff_user, reason=" ")
    certificate = services.certificate_issue_by_hand(
        training_class=closed_class, person=person, user=staff_user, reason="因公出差补学合格"
    )
    assert certificate.manual_reason == "因公出差补学合格" and certificate.issued_by == staff_user
    with pytest.raises(ValidationError):
        services.certificate_issue_by_hand(training_class=closed_class, person=person, user=staff_user, reason="again")
    outsider = county["people"]["west"][0]
    with pytest.raises(ValidationError):
        services.certificate_issue_by_hand(training_class=closed_class, person=outsider, user=staff_user, reason="x")


def test_revoke_needs_a_reason_and_revoked_is_not_reissued(
    closed_class, county, fake, staff_user, django_capture_on_commit_callbacks
):
    person = county["people"]["east"][0]
    fake.all_met([person])
    certificate, _created = services.certificate_issue(training_class=closed_class, person=person)
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=certificate, user=staff_user, reason="")
    services.certificate_revoke(certificate=certificate, user=staff_user, reason="学习档案造假")
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoke_reason == "学习档案造假"
    _run_batch(closed_class, staff_user, django_capture_on_commit_callbacks)
    assert Certificate.objects.count() == 1


def test_unprintable_name_fails_clearly_without_a_gap(
    closed_class, county, fake, staff_user, django_capture_on_commit_callbacks
):
    people = county["people"]["east"][:3]
    people[1].name = "张\U000f0001"
    people[1].save(update_fields=["name"])
    fake.all_met(people)
    batch = _run_batch(closed_class, staff_user, django_capture_on_commit_callbacks)
    assert (batch.state, batch.total, batch.done) == (IssueBatch.State.DONE, 3, 2)
    assert "张\U000f0001" in batch.message and "证书字体无法打印" in batch.message
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [1, 2]
    with pytest.raises(ValidationError, match="证书字体无法打印"):
        services.certificate_issue_by_hand(training_class=closed_class, person=people[1], user=staff_user, reason="x")


def test_missing_seal_file_still_renders(closed_class, county, fake):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    seal = Image.objects.create(title="公章", file=get_test_image_file())
    seal.file.storage.delete(seal.file.name)
    school = CertificateSettings.load()
    school.seal = seal
    school.save()
    person = county["people"]["east"][0]
    certificate, created = services.certificate_issue(training_class=closed_class, person=person)
    assert created and certificate.pdf.read(4) == b"%PDF"


def test_unexpected_error_marks_the_run_failed(closed_class, county, fake, staff_user, monkeypatch):
    fake.all_met(county["people"]["east"][:1])
    batch = IssueBatch.objects.create(training_class=closed_class, started_by=staff_user)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "certificate_issue", broken)
    with pytest.raises(RuntimeError):
        services.certificate_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.state == IssueBatch.State.FAILED and "disk full" in batch.message
