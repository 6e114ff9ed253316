"""Public verification, learners' downloads, the home panel, and the staff pages."""

import io
import zipfile

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from lms.certificates import services
from lms.certificates.models import Certificate
from tests.factories import learner_for


@pytest.fixture
def issued(closed_class, county, fake):
    people = county["people"]["east"][:2]
    fake.all_met(people)
    return [services.certificate_issue(training_class=closed_class, person=p)[0] for p in people]


def test_verification_page_valid_revoked_and_forged(client, issued, staff_user):
    certificate = issued[0]
    response = client.get(reverse("certificates:verify", kwargs={"code": certificate.code}))
    body = response.content.decode()
    assert response.status_code == 200
    assert certificate.holder_name in body and certificate.class_name in body and "2026-03-02" in body
    assert "is-valid" in body

    services.certificate_revoke(certificate=certificate, user=staff_user, reason="违规")
    body = client.get(reverse("certificates:verify", kwargs={"code": certificate.code})).content.decode()
    assert "is-revoked" in body and "is-valid" not in body

    forged = certificate.code[:-2] + ("AA" if not certificate.code.endswith("AA") else "BB")
    response = client.get(reverse("certificates:verify", kwargs={"code": forged}))
    assert response.status_code == 404
    assert "没有与此编码对应的证书" in response.content.decode()


def test_codes_are_long_and_random(issued):
    codes = [c.code for c in issued]
    assert len(set(codes)) == 2 and all(len(code) >= 24 for code in codes)


def test_learner_downloads_own_but_not_anothers(client, issued):
    own, other = issued
    user = learner_for(own.person)
    client.force_login(user)
    response = client.get(reverse("certificates:download", kwargs={"pk": own.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("certificates:download", kwargs={"pk": other.pk})).status_code == 404


def test_anonymous_download_goes_to_sign_in(client, issued):
    response = client.get(reverse("certificates:download", kwargs={"pk": issued[0].pk}))
    assert response.status_code == 302


def test_my_certificates_page_and_query_count(client, issued, django_assert_max_num_queries):
    user = learner_for(issued[0].person)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("certificates:mine")).content.decode()
    assert issued[0].serial in body and issued[1].serial not in body


def test_home_panel_lists_own_certificates(issued, rf: RequestFactory):
    user = learner_for(issued[0].person)
    request = rf.get("/")
    request.user = user
    html = Template('{% include "certificates/includes/home_panel.html" %}').render(RequestContext(request, {}))
    assert issued[0].class_name in html and reverse("certificates:download", kwargs={"pk": issued[0].pk}) in html
    empty = Template('{% include "certificates/includes/home_panel.html" %}').render(Context({"user": None}))
    assert "暂无证书" in empty


def test_record_entries_skip_revoked(issued, staff_user):
    records = pytest.importorskip("lms.classes.records")
    from lms.certificates.records import entries

    person = issued[0].person
    assert [e.detail for e in entries(person=person, year=2026)] == [issued[0].serial]
    assert entries(person=person, year=2025) == []
    services.certificate_revoke(certificate=issued[0], user=staff_user, reason="x")
    assert entries(person=person, year=None) == []
    assert records is not None


def test_staff_class_page_shows_rules_and_zip(client, issued, closed_class, staff_user):
    client.force_login(staff_user)
    body = client.get(reverse("certificates_admin:class", kwargs={"class_id": closed_class.pk})).content.decode()
    assert "考勤" in body and issued[0].serial in body and "手动发证</button>" in body
    response = client.get(reverse("certificates_admin:zip", kwargs={"class_id": closed_class.pk}))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
    assert client.get(reverse("certificates_admin:index")).status_code == 200


def test_staff_issue_run_and_progress_json(client, closed_class, county, fake, staff_user,
                                           django_capture_on_commit_callbacks):
    fake.all_met(county["people"]["east"][:1])
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates_admin:batch_start", kwargs={"class_id": closed_class.pk}))
    batch = closed_class.certificate_batches.get()
    data = client.get(reverse("certificates_admin:batch_status", kwargs={"batch_id": batch.pk})).json()
    assert data["finished"] and data["percent"] == 100 and data["done"] == 1
    person = county["people"]["east"][3]
    url = reverse("certificates_admin:issue_by_hand", kwargs={"class_id": closed_class.pk, "person_id": person.pk})
    client.post(url, {"reason": "补考合格"})
    certificate = Certificate.objects.get(person=person)
    client.post(reverse("certificates_admin:revoke", kwargs={"pk": certificate.pk}), {"reason": "误发"})
    certificate.refresh_from_db()
    assert certificate.manual_reason == "补考合格" and certificate.revoke_reason == "误发"


def test_organiser_sees_only_own_township_and_cannot_issue(client, closed_class, county, organiser_user, fake):
    from tests.certificates.conftest import make_class

    other = make_class(name="西河镇培训班", township=county["west"])
    client.force_login(organiser_user)
    assert client.get(reverse("certificates_admin:class", kwargs={"class_id": closed_class.pk})).status_code == 200
    assert client.get(reverse("certificates_admin:class", kwargs={"class_id": other.pk})).status_code == 404
    response = client.post(reverse("certificates_admin:batch_start", kwargs={"class_id": closed_class.pk}))
    assert response.status_code in (302, 403) and not closed_class.certificate_batches.exists()


def test_learner_cannot_reach_staff_pages(client, issued, closed_class):
    client.force_login(learner_for(issued[0].person))
    response = client.get(reverse("certificates_admin:class", kwargs={"class_id": closed_class.pk}))
    assert response.status_code in (302, 403, 404)


def test_revoked_certificate_cannot_be_downloaded(client, issued, staff_user):
    own = issued[0]
    client.force_login(learner_for(own.person))
    services.certificate_revoke(certificate=own, user=staff_user, reason="误发")
    assert client.get(reverse("certificates:download", kwargs={"pk": own.pk})).status_code == 404
    assert "已撤销" in client.get(reverse("certificates:mine")).content.decode()


def test_staff_pages_run_a_fixed_number_of_queries(client, county, fake, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.certificates.conftest import enrol, make_class

    client.force_login(staff_user)
    small, large = make_class(name="小班"), make_class(name="大班")
    enrol(small, county["people"]["east"][:2])
    enrol(large, county["people"]["east"] + county["people"]["west"])
    fake.all_met(county["people"]["east"] + county["people"]["west"])
    counts = []
    for tc in (small, large):
        services.certificate_issue(training_class=tc, person=county["people"]["east"][0])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("certificates_admin:class", kwargs={"class_id": tc.pk})).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("certificates_admin:index"))
    for n in range(5):
        make_class(name=f"更多班{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("certificates_admin:index"))
    assert len(few) == len(many)


def test_staff_choose_a_design_for_a_class(client, closed_class, staff_user):
    from lms.certificates.models import ClassCertificateRules, Design

    client.force_login(staff_user)
    add = reverse("certificate_class_rules:add")
    form = client.get(f"{add}?training_class={closed_class.pk}").content.decode()
    assert f'value="{closed_class.pk}" selected' in form
    response = client.post(
        add, {"training_class": closed_class.pk, "design": Design.PORTRAIT, "require_trip_report": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ClassCertificateRules.objects.get(training_class=closed_class).design == Design.PORTRAIT
    page = client.get(reverse("certificates_admin:class", kwargs={"class_id": closed_class.pk})).content.decode()
    assert f"“{Design.PORTRAIT.label}”" in page and "出勤率不低于90%" in page
