"""Excel export of 评教 results: per teacher, per topic, per class, and comments without names."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .models import INDICATORS
from .selectors import comments, results_by_class, results_by_teacher, results_by_topic

LOW_FILL = PatternFill("solid", fgColor="F8D7DA")


def _sheet(wb, title, first, rows):
    ws = wb.create_sheet(title)
    ws.append([first, _("Ratings")] + [str(label) for _c, label in INDICATORS] + [_("Overall"), _("Low score")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.label, row.responses] + [float(v) for v in row.indicator_values()]
                  + [float(row.overall), _("Yes") if row.flagged else ""])
        if row.flagged:
            for cell in ws[ws.max_row]:
                cell.fill = LOW_FILL
    ws.column_dimensions["A"].width = 30


def evaluations_workbook(*, evaluations) -> bytes:
    """The results as an .xlsx file."""
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, _("By teacher"), _("Teacher"), results_by_teacher(evaluations=evaluations))
    _sheet(wb, _("By topic"), _("Topic"), results_by_topic(evaluations=evaluations))
    _sheet(wb, _("By class"), _("Training class"), results_by_class(evaluations=evaluations))
    ws = wb.create_sheet(_("Comments"))
    ws.append([_("Training class"), _("Topic"), _("Teacher"), _("Comment"), _("Rated at")])
    for c in comments(evaluations=evaluations, limit=5000):
        ws.append([c["training_class__name"], c["session__topic"] or "", c["teacher__name"] or "", c["comment"],
                   c["created_at"].strftime("%Y-%m-%d")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
