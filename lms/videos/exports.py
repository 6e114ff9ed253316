"""Excel download of a lesson's watch report, the same rows as the page in the same order."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

GREEN = PatternFill("solid", fgColor="C6EFCE")
RED = PatternFill("solid", fgColor="FFC7CE")


def report_headers(report) -> list[str]:
    """Column titles of the lesson report, shared by the page and the workbook."""
    return [_("Learner"), _("Township"), _("Village"), _("Class"), *[v.title for v in report.videos],
            _("Percent watched"), _("Watched time"), _("Last watched"), _("Completed")]


def report_cells(row, report) -> list:
    """One learner's cells, as the page shows them."""
    last = timezone.localtime(row.last_watched).strftime("%Y-%m-%d %H:%M") if row.last_watched else ""
    return [row.name, row.township, row.village, "、".join(row.classes) or _("Not in a class"),
            *[f"{row.video_percent(v)}%" for v in report.videos],
            f"{row.percent}%", row.watched_display, last, _("Yes") if row.completed else ""]


def lesson_report_workbook(*, lesson, report) -> bytes:
    """The lesson's watch report as an .xlsx: a title, the filter in force, then a row per learner."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Video watching")[:30]
    ws.append([lesson.title, report.training_class.name if report.training_class else _("All classes")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    headers = report_headers(report)
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    done_column = len(headers)
    for row in report.rows:
        ws.append(report_cells(row, report))
        ws.cell(row=ws.max_row, column=done_column).fill = GREEN if row.completed else RED
    for column, width in zip("ABCD", (12, 12, 14, 30), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
