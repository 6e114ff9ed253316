"""Certificate bundles: a class's certificates zipped by a real worker with an Excel manifest and progress;
learners' 我的证书 shows each certificate with its credit hours and a proof to download."""

import io
import re
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.certificates import services
from lms.certificates.bundles import certificate_bundle_build
from lms.certificates.models import CertificateBundle
from lms.classes.models import Attendance, Session
from tests.factories import UserFactory, learner_for


@pytest.fixture
def issued(closed_class, county, fake):
    people = county["people"]["east"][:3]
    fake.all_met(people)
    return [services.certificate_issue(training_class=closed_class, person=p)[0] for p in people]


def _wait(bundle, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        bundle.refresh_from_db()
        if bundle.state in (CertificateBundle.State.DONE, CertificateBundle.State.FAILED):
            return bundle
        time.sleep(0.3)
    raise AssertionError(f"the worker did not finish the bundle: {bundle.state}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_builds_the_zip_with_a_manifest(client, issued, closed_class, staff_user, county, celery_worker_real):
    client.force_login(staff_user)
    client.post(reverse("certificates_admin:bundle_start", kwargs={"class_id": closed_class.pk}))
    bundle = _wait(CertificateBundle.objects.get())
    assert (bundle.state, bundle.total, bundle.done) == ("done", 3, 3)
    status = client.get(reverse("certificates_admin:bundle_status", kwargs={"bundle_id": bundle.pk})).json()
    assert status["ready"] and status["percent"] == 100
    response = client.get(reverse("certificates_admin:bundle_download", kwargs={"bundle_id": bundle.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
    assert len(pdfs) == 3 and all(archive.read(n)[:4] == b"%PDF" for n in pdfs)
    sheet = load_workbook(io.BytesIO(archive.read("manifest.xlsx"))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [c.serial for c in sorted(issued, key=lambda c: c.number)]
    assert sorted(r[9] for r in rows) == pdfs and all("/certificates/verify/" in r[8] for r in rows)
    west = UserFactory(username="xihe", roles=["township_organiser"], township=county["west"])
    client.force_login(west)
    assert client.get(reverse("certificates_admin:bundle_download", kwargs={"bundle_id": bundle.pk})).status_code == 404


def test_building_again_is_safe_and_revoked_are_left_out(issued, closed_class, staff_user):
    services.certificate_revoke(certificate=issued[0], user=staff_user, reason="违规")
    bundle = CertificateBundle.objects.create(training_class=closed_class)
    certificate_bundle_build(bundle_id=bundle.pk)
    first = bundle.__class__.objects.get(pk=bundle.pk).file.name
    again = certificate_bundle_build(bundle_id=bundle.pk)
    assert again.file.name == first and again.total == 2
    with again.file.open("rb") as handle:
        names = zipfile.ZipFile(handle).namelist()
    assert issued[0].serial not in " ".join(names) and len(names) == 3


def test_learner_cannot_start_or_read_a_bundle(client, issued, closed_class):
    client.force_login(learner_for(issued[0].person))
    response = client.post(reverse("certificates_admin:bundle_start", kwargs={"class_id": closed_class.pk}))
    assert response.status_code in (302, 403, 404) and not CertificateBundle.objects.exists()


def test_my_certificates_show_hours_and_proof(client, issued, closed_class, staff_user):
    person = issued[0].person
    session = Session.objects.create(training_class=closed_class, date=closed_class.starts_on,
                                     starts_at="09:00", ends_at="12:00", half_day="am", topic="党章",
                                     credit_hours=3, state=Session.State.HELD)
    Attendance.objects.create(session=session, person=person, status="present")
    client.force_login(learner_for(person))
    body = client.get(reverse("certificates:mine")).content.decode()
    assert re.search(r"本班学时3(\.0)?<", body) or re.search(r"本班学时3(\.0)? ", body), body[-1500:]
    assert f"/classes/record/pdf/?year={closed_class.year}" in body
