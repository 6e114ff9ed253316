"""Excel exports of dashboard and audit tables, with totals equal to the page's."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Table

MONEY_FORMAT = "#,##0.00"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_workbook(table: Table, *, subtitle: str = "") -> bytes:
    """The table as an .xlsx file: title, header, rows, and the same total row as the page."""
    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append([str(table.title) + (f" {subtitle}" if subtitle else "")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([str(c.label) for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
        for column, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
            if column.money:
                cell.number_format = MONEY_FORMAT
    totals = table.totals
    if totals is not None:
        totals = list(totals)
        totals[0] = _("Total")
        sheet.append(totals)
        for column, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
            cell.font = Font(bold=True)
            if column.money:
                cell.number_format = MONEY_FORMAT
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = 14 if column.money else 22
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment response for an .xlsx file."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
