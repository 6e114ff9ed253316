import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.budget.models import Claim
from lms.budget.selectors import spend_by_township_table
from lms.people.models import County
from tests.budget.helpers import YEAR, submitted_claim
from tests.factories import PersonFactory, learner_for

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("budget:dashboard") + f"?year={YEAR}"


def _page_totals(html: str, key: str) -> list[Decimal]:
    """The total row as the page shows it (and checks the shown text equals the exact value)."""
    section = html.split(f'data-table="{key}"', 1)[1].split("</table>", 1)[0]
    pairs = re.findall(r'data-total="([-\d.]+)">([^<]*)<', section)
    for exact, shown in pairs:
        assert Decimal(shown.replace(",", "")) == Decimal(exact)
    return [Decimal(shown.replace(",", "")) for _exact, shown in pairs]


def _xlsx_totals(content: bytes) -> list[Decimal]:
    sheet = load_workbook(BytesIO(content)).active
    last = [cell.value for cell in sheet[sheet.max_row]]
    return [Decimal(str(v)).quantize(Decimal("0.01")) for v in last[1:] if isinstance(v, int | float)]


def test_dashboard_shows_the_year_and_every_table_exports_with_the_page_totals(client, budget_user, spending):
    client.force_login(budget_user)
    html = client.get(DASHBOARD).content.decode()
    assert "chart.umd.min.js" in html
    for key in ("township", "village", "mode", "class", "cost_type", "month", "claims_waiting"):
        page = _page_totals(html, key)
        response = client.get(reverse("budget:table_export", args=[key]) + f"?year={YEAR}")
        assert response.status_code == 200
        assert _xlsx_totals(response.content) == page, key
    # 4 secretaries × 200 from allowances; 2 × 333.33 from the fund.
    assert _page_totals(html, "cost_type") == [Decimal("1466.66")]
    assert _page_totals(html, "township") == [Decimal("4000.00"), Decimal("800.00"), Decimal("3200.00"),
                                               Decimal("666.66"), Decimal("1466.66")]


def test_claims_waiting_are_listed_oldest_first(client, budget_user, spending, county):
    other = county["people"]["west"][0]
    submitted_claim(person=other, user=learner_for(other), amount="10.00")
    client.force_login(budget_user)
    html = client.get(DASHBOARD).content.decode()
    section = html.split('data-table="claims_waiting"', 1)[1]
    assert section.index("123.45") < section.index("10.00")


def test_organiser_sees_only_their_township(client, organiser_user, spending, county):
    client.force_login(organiser_user)
    html = client.get(DASHBOARD + f"&township={county['west'].pk}").content.decode()
    assert _page_totals(html, "cost_type") == [Decimal("733.33")]  # east only, whatever they ask for
    assert county["west"].name not in html.split("<h1>", 1)[1].split('id="budget-charts"')[0]
    west_claim = submitted_claim(person=county["people"]["west"][0],
                                 user=learner_for(county["people"]["west"][0]))
    assert client.get(reverse("budget:claim_detail", args=[west_claim.pk])).status_code == 404
    assert client.get(reverse("budget:claim_detail", args=[spending["claim"].pk])).status_code == 200


def test_organiser_cannot_approve(client, organiser_user, spending):
    client.force_login(organiser_user)
    claim = spending["claim"]
    response = client.post(reverse("budget:claim_action", args=[claim.pk, "approve"]))
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_a_secretary_sees_only_their_own_money(client, learner_user, spending, county):
    client.force_login(learner_user)
    mine = client.get(reverse("budget:mine") + f"?year={YEAR}")
    assert 'data-left="800.00"' in mine.content.decode()
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(reverse("budget:audit")).status_code == 404
    assert client.get(reverse("budget:table_export", args=["township"])).status_code == 404
    other = county["people"]["east"][3]
    other_claim = submitted_claim(person=other, user=learner_for(other))
    assert client.get(reverse("budget:claim_detail", args=[other_claim.pk])).status_code == 404
    listing = client.get(reverse("budget:claims")).content.decode()
    assert "123.45" in listing and other_claim.description not in listing.replace(spending["claim"].description, "")


def test_officer_approves_from_the_claim_page(client, budget_user, spending):
    client.force_login(budget_user)
    claim = spending["claim"]
    response = client.post(reverse("budget:claim_action", args=[claim.pk, "approve"]), follow=True)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.state == Claim.State.APPROVED


def test_over_allowance_refusal_is_shown_to_the_officer(client, budget_user, learner_person, learner_user, spending):
    big = submitted_claim(person=learner_person, user=learner_user, amount="900.00")
    client.force_login(budget_user)
    html = client.post(reverse("budget:claim_action", args=[big.pk, "approve"]), follow=True).content.decode()
    assert "below zero" in html or "低于零" in html
    big.refresh_from_db()
    assert big.state == Claim.State.SUBMITTED


def test_a_cadre_files_a_claim_through_the_pages(client, learner_user):
    client.force_login(learner_user)
    response = client.post(reverse("budget:claim_new"), {
        "cost_type": "travel", "amount": "45.50", "description": "往返车费", "incurred_on": f"{YEAR}-05-01",
    })
    claim = Claim.objects.get()
    assert response.url == reverse("budget:claim_detail", args=[claim.pk])
    from tests.budget.helpers import receipt_file

    client.post(reverse("budget:claim_action", args=[claim.pk, "receipt"]), {"file": receipt_file()})
    client.post(reverse("budget:claim_action", args=[claim.pk, "submit"]))
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED
    receipt = claim.receipts.get()
    assert client.get(reverse("budget:receipt", args=[receipt.pk])).status_code == 200


def test_list_pages_run_a_fixed_number_of_queries(client, budget_user, spending, county,
                                                  django_assert_max_num_queries):
    client.force_login(budget_user)
    with django_assert_max_num_queries(30) as few:
        client.get(DASHBOARD)
    baseline = len(few.captured_queries)
    village = county["villages"]["east"][0]
    for _ in range(5):
        person = PersonFactory(village=village, posts=["secretary"])
        submitted_claim(person=person, user=learner_for(person), amount="5.00")
    with django_assert_max_num_queries(baseline):
        client.get(DASHBOARD)
    with django_assert_max_num_queries(12):
        client.get(reverse("budget:claims"))
    with django_assert_max_num_queries(12):
        client.get(reverse("budget:audit") + f"?year={YEAR}")


def test_audit_lists_and_exports_every_entry(client, budget_user, spending):
    client.force_login(budget_user)
    html = client.get(reverse("budget:audit") + f"?year={YEAR}&cost_type=materials").content.decode()
    assert html.count("333.33") == 2
    content = client.get(reverse("budget:audit") + f"?year={YEAR}&format=xlsx").content
    sheet = load_workbook(BytesIO(content)).active
    from lms.budget.models import LedgerEntry

    assert sheet.max_row == 2 + LedgerEntry.objects.filter(year=YEAR).count() + 1
    approvals = client.get(reverse("budget:audit") + "?what=approvals")
    assert approvals.status_code == 200


def test_yearly_report_pdf_is_in_chinese(client, budget_user, spending, county, tmp_path):
    client.force_login(budget_user)
    response = client.get(reverse("budget:report_pdf") + f"?year={YEAR}")
    if response.status_code == 404:
        pytest.skip("no CJK font on this machine")
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    county_name = County.objects.get().name
    assert f"{county_name} {YEAR}年培训经费报告" in text  # the county's own name, in extractable Chinese
    assert county["east"].name in text and county["west"].name in text
    total_spend = spend_by_township_table(year=YEAR).totals[5]
    assert total_spend > 0 and "合计" in text and str(total_spend) in text  # the dashboard's total, to the fen


def test_a_township_report_holds_only_that_township(client, organiser_user, spending, county, tmp_path):
    client.force_login(organiser_user)
    response = client.get(reverse("budget:report_pdf") + f"?year={YEAR}&township={county['west'].pk}")
    if response.status_code == 404 or shutil.which("pdftotext") is None:
        pytest.skip("no CJK font or no poppler on this machine")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert f"{county['east'].name} {YEAR}年培训经费报告" in text
    assert county["west"].name not in text


def _png(name="receipt.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.world import PNG

    # A real picture: receipts are checked by content, so a header alone is refused.
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_a_cadre_attaches_receipt_photos_in_the_claim_form_and_submits_at_once(client, learner_user):
    client.force_login(learner_user)
    form = client.get(reverse("budget:claim_new")).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="receipts"' in form and "multiple" in form
    response = client.post(reverse("budget:claim_new"), {
        "cost_type": "lodging", "amount": "180.00", "description": "住宿费", "incurred_on": f"{YEAR}-06-02",
        "receipts": [_png("a.png"), _png("b.jpg")], "submit": "",
    })
    claim = Claim.objects.get()
    assert response.url == reverse("budget:claim_detail", args=[claim.pk])
    assert claim.state == Claim.State.SUBMITTED and claim.receipts.count() == 2


def test_saving_without_submitting_keeps_a_draft(client, learner_user):
    client.force_login(learner_user)
    client.post(reverse("budget:claim_new"), {
        "cost_type": "travel", "amount": "30.00", "description": "车费", "incurred_on": f"{YEAR}-06-02",
        "receipts": [_png()], "save": "",
    })
    assert Claim.objects.get().state == Claim.State.DRAFT


def test_submitting_without_a_receipt_keeps_the_draft_and_says_why(client, learner_user):
    client.force_login(learner_user)
    response = client.post(reverse("budget:claim_new"), {
        "cost_type": "travel", "amount": "30.00", "description": "车费", "incurred_on": f"{YEAR}-06-02", "submit": "",
    }, follow=True)
    assert Claim.objects.get().state == Claim.State.DRAFT
    assert "票据" in response.content.decode() or "receipt" in response.content.decode()


def test_a_receipt_that_is_not_a_photo_or_pdf_saves_no_claim(client, learner_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(learner_user)
    response = client.post(reverse("budget:claim_new"), {
        "cost_type": "travel", "amount": "30.00", "description": "车费", "incurred_on": f"{YEAR}-06-02",
        "receipts": [_png(), SimpleUploadedFile("notes.txt", b"text")], "submit": "",
    })
    assert response.status_code == 200 and not Claim.objects.exists()
    assert 'class="errorlist' in response.content.decode()


def test_organisers_are_not_offered_county_pages(client, organiser_user, budget_user):
    client.force_login(organiser_user)
    html = client.get(DASHBOARD).content.decode()
    assert reverse("budget:audit") in html
    assert reverse("budget:policies") not in html and reverse("budget:class_fees") not in html
    assert client.get(reverse("budget:policies")).status_code == 404
    client.force_login(budget_user)
    html = client.get(DASHBOARD).content.decode()
    assert reverse("budget:policies") in html and reverse("budget:class_fees") in html


def test_the_organiser_sees_a_submitted_claim_without_decision_buttons(client, organiser_user, spending):
    client.force_login(organiser_user)
    html = client.get(reverse("budget:claim_detail", args=[spending["claim"].pk])).content.decode()
    assert "123.45" in html
    for step in ("approve", "refuse", "send_back", "paid"):
        assert reverse("budget:claim_action", args=[spending["claim"].pk, step]) not in html


@pytest.mark.parametrize("url", [reverse("budget:claims") + f"?year={YEAR}", reverse("budget:audit") + f"?year={YEAR}"])
def test_list_pages_show_the_total_their_excel_export_has(client, budget_user, spending, url):
    client.force_login(budget_user)
    html = client.get(url).content.decode()
    shown = re.findall(r'data-total="([-\d.]+)">([^<]*)<', html.split("<tfoot>", 1)[1])
    assert len(shown) == 1 and Decimal(shown[0][0]) == Decimal(shown[0][1].replace(",", ""))
    exported = _xlsx_totals(client.get(url + "&format=xlsx").content)
    assert exported == [Decimal(shown[0][0])]


def test_a_cadre_reads_their_claims_as_cards_and_an_officer_as_a_table(client, learner_user, budget_user, spending):
    client.force_login(learner_user)
    html = client.get(reverse("budget:claims")).content.decode()
    assert 'class="card claim-row"' in html and '<table class="data">' not in html
    assert reverse("budget:claim_detail", args=[spending["claim"].pk]) in html and 'data-total="123.45"' in html
    client.force_login(budget_user)
    html = client.get(reverse("budget:claims")).content.decode()
    assert '<table class="data">' in html and 'class="card claim-row"' not in html
