"""Sign-in sheets: an A4 PDF with the roster, 教案 title and QR code; the signed scan counts for 四落实."""

import datetime
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.classes.four_implementations import four_implementations_for_class
from lms.classes.models import Session, SignInSheetScan
from lms.classes.signin_sheets import signin_sheet_scan_upload
from tests.certificates.conftest import poppler

from .conftest import make_session

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


@pytest.fixture
def held(running_class):
    session = make_session(running_class, topic="村级财务管理", place="乡党校教室")
    Session.objects.filter(pk=session.pk).update(state=Session.State.HELD)
    session.refresh_from_db()
    return session


def test_sheet_pdf_has_roster_topic_and_chinese_text(client, held, staff_user, county, tmp_path):
    pdftotext, pdffonts = poppler("pdftotext"), poppler("pdffonts")
    client.force_login(staff_user)
    response = client.get(f"/classes/staff/sessions/{held.pk}/sign-in-sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run([pdftotext, "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "村级财务管理" in text and "乡党校教室" in text
    for person in county["people"]["east"]:
        assert person.name in text
    assert county["people"]["west"][0].name not in text
    fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True).stdout
    assert "yes" in fonts.split("\n", 2)[2]  # the CJK font is embedded


def test_sheet_pages_are_staff_only(client, held, learner_user):
    client.force_login(learner_user)
    assert client.get(f"/classes/staff/sessions/{held.pk}/sign-in-sheet.pdf").status_code == 404
    assert client.get(f"/classes/staff/sessions/{held.pk}/sign-in-sheet/").status_code == 404


def test_scan_counts_for_the_sign_in_rule(held, running_class, staff_user):
    def sign_in_reasons():
        rules = four_implementations_for_class(training_class=running_class).check("rules")
        return [r for r in rules.reasons if "sign-in" in r]

    assert sign_in_reasons()
    signin_sheet_scan_upload(session=held, upload=SimpleUploadedFile("scan.png", PNG), by=staff_user)
    assert not sign_in_reasons()


@pytest.mark.parametrize("name,data,message", [
    ("sheet.pdf", b"MZ\x90\x00 not a pdf", "must be a PDF, JPG or PNG"),
    ("sheet.jpg", b"GIF89a....", "must be a PDF, JPG or PNG"),
    ("big.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "at most 10 MB"),
])
def test_bad_scans_refused_with_a_message(client, held, staff_user, name, data, message):
    client.force_login(staff_user)
    response = client.post(f"/classes/staff/sessions/{held.pk}/sign-in-sheet/",
                           {"scan": SimpleUploadedFile(name, data)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not SignInSheetScan.objects.exists()


def test_scan_upload_and_private_download(client, held, staff_user, learner_user):
    client.force_login(staff_user)
    response = client.post(f"/classes/staff/sessions/{held.pk}/sign-in-sheet/",
                           {"scan": SimpleUploadedFile("x.exe", b"%PDF-1.4 signed")})
    assert response.status_code == 302
    scan = SignInSheetScan.objects.get()
    assert scan.content_type == "application/pdf" and scan.file.name.endswith(".pdf")
    assert client.get(f"/classes/staff/sign-in-sheets/{scan.pk}/").status_code == 200
    client.force_login(learner_user)
    assert client.get(f"/classes/staff/sign-in-sheets/{scan.pk}/").status_code == 404


def test_no_scan_before_the_session(running_class, staff_user):
    later = make_session(running_class, date=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(Exception, match="once the session has started"):
        signin_sheet_scan_upload(session=later, upload=SimpleUploadedFile("s.png", PNG), by=staff_user)
