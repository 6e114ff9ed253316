"""The yearly budget report of a township or the county, as a PDF in Chinese."""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.people.models import County, Township
from lms.people.selectors import school_name

from . import selectors
from .views import _township_scope, _year

try:  # the certificates app owns the embedded CJK font
    from lms.certificates.fonts import CJK_FAMILY, pdf_resource_policy, register_cjk_font
except ImportError:  # pragma: no cover - without it there is no font to embed
    register_cjk_font = None


class ReportUnavailable(Exception):
    """No CJK font is installed, so no readable Chinese PDF can be made."""


def report_context(*, year: int, township_id: int | None) -> dict:
    """Everything the report shows, from the same selectors as the dashboard."""
    township = Township.objects.filter(pk=township_id).first() if township_id is not None else None
    near, _idle = selectors.secretaries_tables(year=year, township_id=township_id)
    county = County.objects.order_by("pk").values_list("name", flat=True).first()
    return {
        "year": year, "township": township, "county_name": county, "school_name": school_name(),
        "summary": selectors.summary_for_year(year=year, township_id=township_id),
        "tables": [
            selectors.spend_by_township_table(year=year, township_id=township_id),
            selectors.spend_by_mode_table(year=year, township_id=township_id),
            selectors.spend_by_cost_type_table(year=year, township_id=township_id),
            selectors.spend_by_trip_table(year=year, township_id=township_id),
            near,
        ],
        "generated_at": timezone.localtime(),
    }


def report_pdf(*, year: int, township_id: int | None) -> bytes:
    """Render the yearly report to PDF bytes with the embedded CJK font."""
    if register_cjk_font is None:
        raise ReportUnavailable(_("No Chinese font is installed, so the PDF report is unavailable."))
    register_cjk_font()
    html = render_to_string(
        "budget/report_pdf.html", report_context(year=year, township_id=township_id) | {"font": CJK_FAMILY}
    )
    out = io.BytesIO()
    status = pisa_create(html, out)
    data = out.getvalue()
    if status.err or not data.startswith(b"%PDF"):
        raise ReportUnavailable(_("The PDF report could not be produced."))
    return data


def pisa_create(html: str, out):
    from xhtml2pdf import pisa

    return pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=pdf_resource_policy())


@login_required
def yearly_report(request):
    """Download the yearly report (an organiser's own township, or the county or a township for officers)."""
    township_id = _township_scope(request)
    year = _year(request)
    try:
        data = report_pdf(year=year, township_id=township_id)
    except ReportUnavailable as missing:
        raise Http404(str(missing))
    response = HttpResponse(data, content_type="application/pdf")
    suffix = f"-{township_id}" if township_id is not None else ""
    response["Content-Disposition"] = f'attachment; filename="budget-report-{year}{suffix}.pdf"'
    return response
