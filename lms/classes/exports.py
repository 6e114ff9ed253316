"""Excel and PDF downloads: a training record, and the four-implementations report."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .four_implementations import NOT_DUE
from .records import category_label

GREEN = PatternFill("solid", fgColor="C6EFCE")
RED = PatternFill("solid", fgColor="FFC7CE")
GREY = PatternFill("solid", fgColor="E7E6E6")


def check_status_label(check) -> str:
    """Done, Not done or Not yet due, as shown in the reports."""
    if check.status == NOT_DUE:
        return _("Not yet due")
    return pgettext("four implementations", "Done") if check.ok else _("Not done")


def record_kind_label(kind: str) -> str:
    """The Chinese name of a record entry's kind (its code is for programs, not readers)."""
    labels = {
        "class": _("Training class"), "session": pgettext("record kind", "Session"), "quiz": _("Quiz"),
        "video": _("Video lecture"), "trip": _("Field-study trip"), "certificate": _("Certificate"),
        "lesson": _("Lesson read"), "declared": _("Self-declared study"),
    }
    return str(labels.get(kind, _("Other")))


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def record_workbook(*, record) -> bytes:
    """The training record as an .xlsx: entries, then totals against the requirement."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(record.year)
    ws.append([_("Training record"), record.person.name, str(record.year)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append([_("Date"), _("Kind"), _("Title"), _("Category"), _("Credit hours"), _("Detail")])
    for entry in record.entries:
        ws.append([entry.date, record_kind_label(entry.kind), entry.title, category_label(entry.category),
                   float(entry.credit_hours), entry.detail])
    ws.append([])
    ws.append([_("Category"), _("Earned"), pgettext("credit hours", "Required"), _("Short by")])
    ws.append([category_label("concentrated"), float(record.totals["concentrated"]),
               float(record.requirement.concentrated_hours), float(record.concentrated_short)])
    ws.append([category_label("online"), float(record.totals["online"]),
               float(record.requirement.online_hours), float(record.online_short)])
    ws.append([_("Elective study (with surplus carried over)"), float(record.elective_hours)])
    for column, width in zip("ABCDEF", (12, 10, 40, 14, 10, 24), strict=True):
        ws.column_dimensions[column].width = width
    return _bytes(wb)


def four_implementations_workbook(*, results, participation=None, by_village: bool = False) -> bytes:
    """Every class's four checks (green, red or grey when not yet due) with the reasons; then figures by area."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Four implementations")[:30]
    ws.append([_("Class"), _("Year"), _("Mode"), _("Organiser"), _("Time"), _("Plan"), _("People"), _("Rules"),
               _("Attendance rate"), _("Person-times"), _("Credit hours"), _("Reasons")])
    for fi in results:
        tc = fi.training_class
        ws.append([tc.name, tc.year, tc.get_mode_display(),
                   tc.organiser_township.name if tc.organiser_township else _("County Party school"),
                   *[check_status_label(c) for c in fi.checks],
                   float(fi.attendance_rate), fi.person_times, float(fi.credit_hours),
                   "\n".join(f"{c.label}: {r}" for c in fi.checks for r in c.reasons)])
        row = ws.max_row
        for offset, check in enumerate(fi.checks):
            ws.cell(row=row, column=5 + offset).fill = GREY if check.status == NOT_DUE else GREEN if check.ok else RED
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["L"].width = 80
    if participation is not None:
        _participation_sheet(wb, participation, by_village)
    return _bytes(wb)


def _participation_sheet(wb: Workbook, rows, by_village: bool) -> None:
    ws = wb.create_sheet((_("Participation by village") if by_village else _("Participation by township"))[:30])
    ws.append([_("Village or community") if by_village else _("Township or town"), _("Mode"), _("Classes"),
               _("Person-times"), _("Credit hours")])
    for r in rows:
        ws.append([r.area, str(r.mode_label), r.classes, r.person_times, float(r.credit_hours)])
    ws.column_dimensions["A"].width = 20


def pdf_available() -> bool:
    """Whether the embedded CJK font (from the certificates app) can be found."""
    try:
        from lms.certificates.fonts import cjk_font_path

        cjk_font_path()
    except Exception:  # noqa: BLE001 - no app, no font: PDF downloads are simply not offered
        return False
    return True


def render_pdf(*, template: str, context: dict) -> bytes:
    """Render a template to PDF with the embedded CJK font."""
    from xhtml2pdf import pisa

    from lms.certificates.fonts import pdf_resource_policy, register_cjk_font

    family = register_cjk_font()
    html = render_to_string(template, {**context, "font_family": family})
    out = io.BytesIO()
    status = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=pdf_resource_policy())
    if status.err:
        raise RuntimeError("PDF rendering failed")
    return out.getvalue()
