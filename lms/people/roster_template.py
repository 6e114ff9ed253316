"""Excel workbooks around the roster import: the blank template and the sheet of new accounts."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .models import Post, Village
from .posts import DIRECTOR, SECRETARY
from .roster_import import (
    COL_BIRTH_YEAR,
    COL_EDUCATION,
    COL_ETHNICITY,
    COL_GENDER,
    COL_NAME,
    COL_PARTY_DATE,
    COL_PHONE,
    COL_POSTS,
    COL_TOWNSHIP,
    COL_VILLAGE,
    COLUMNS,
    DEFAULT_ETHNICITY,
    EDUCATION_CHOICES,
    GENDER_LABELS,
    MAX_BIRTH_YEAR,
    MAX_DATA_ROWS,
    MIN_BIRTH_YEAR,
    NewAccount,
)

ROSTER_SHEET = "花名册"
HELP_SHEET = "填写说明"
PLACES_SHEET = "乡镇村名单"
ACCOUNTS_SHEET = "学员账号"
EXAMPLE_PHONE = "13800000000"

_HEADING_FONT = Font(bold=True, color="FFFFFF")
_HEADING_FILL = PatternFill("solid", fgColor="B22222")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_WIDTHS = {COL_NAME: 14, COL_PHONE: 15, COL_TOWNSHIP: 12, COL_VILLAGE: 14, COL_POSTS: 28, COL_PARTY_DATE: 13}


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _heading_row(sheet, headings: Iterable[str]) -> None:
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = _HEADING_FONT
        cell.fill = _HEADING_FILL
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"


def roster_template_workbook() -> bytes:
    """The blank roster template: the roster sheet, instructions, and the county's places."""
    places = list(Village.objects.select_related("township").order_by("township__sort_order", "township__name", "name"))
    posts = list(Post.objects.order_by("sort_order", "name").values_list("name", flat=True))
    workbook = Workbook()
    roster = workbook.active
    roster.title = ROSTER_SHEET
    _roster_sheet(roster, places=places, posts=posts)
    _help_sheet(workbook.create_sheet(HELP_SHEET), posts=posts)
    _places_sheet(workbook.create_sheet(PLACES_SHEET), places=places)
    township_count = len({v.township.name for v in places})
    if township_count:
        _add_list_validation(
            roster, COL_TOWNSHIP, f"'{PLACES_SHEET}'!$D$2:$D${township_count + 1}",
            _("Choose a township from the list."),
        )
    return _to_bytes(workbook)


def _roster_sheet(sheet, *, places: list[Village], posts: list[str]) -> None:
    _heading_row(sheet, COLUMNS)
    village = places[0] if places else None
    # A secretary who also directs the village committee (一肩挑) shows how to list several posts.
    example_posts = list(
        Post.objects.filter(code__in=[SECRETARY, DIRECTOR]).order_by("sort_order").values_list("name", flat=True)
    ) or posts[:2]
    example = {
        COL_NAME: "（示例）张三",
        COL_GENDER: "男",
        COL_ETHNICITY: DEFAULT_ETHNICITY,
        COL_BIRTH_YEAR: 1975,
        COL_EDUCATION: "高中/中专",
        COL_PHONE: EXAMPLE_PHONE,
        COL_TOWNSHIP: village.township.name if village else "",
        COL_VILLAGE: village.name if village else "",
        COL_POSTS: "、".join(example_posts),
        COL_PARTY_DATE: "2001-07-01",
    }
    sheet.append([example[col] for col in COLUMNS])
    for cell in sheet[2]:
        cell.font = _EXAMPLE_FONT
    for index, col in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(col, 10)
        if col in (COL_PHONE, COL_PARTY_DATE):
            # Text cells keep an 11-digit number from turning into 1.38E+10 and a date from being re-read.
            for row in range(2, MAX_DATA_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    _add_list_validation(sheet, COL_GENDER, '"{}"'.format(",".join(GENDER_LABELS)), _("Choose 男 or 女."))
    _add_list_validation(
        sheet, COL_EDUCATION, '"{}"'.format(",".join(EDUCATION_CHOICES)), _("Choose an education level from the list.")
    )


def _add_list_validation(sheet, column: str, formula: str, prompt: str) -> None:
    letter = get_column_letter(COLUMNS.index(column) + 1)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    validation.error = prompt
    validation.errorTitle = column
    validation.prompt = prompt
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{MAX_DATA_ROWS + 1}")


def _help_sheet(sheet, *, posts: list[str]) -> None:
    required, optional = _("Required"), _("Optional")
    notes = [
        _("Fill in one cadre per row on the sheet “%(sheet)s”, from row 2 on. Keep the headings in row 1.")
        % {"sheet": ROSTER_SHEET},
        _("Rows whose name starts with （示例） are examples and are never imported; you may delete or keep them."),
        _(
            "The mobile number identifies a cadre: a row with a known number updates that cadre, "
            "and importing the same file again changes nothing."
        ),
        _("A file with any wrong row is refused as a whole and nothing is saved; the page lists every wrong row."),
        _(
            "Each new cadre gets a learner account whose sign-in name is the mobile number. The initial passwords "
            "can be downloaded once, right after the import; existing passwords are never changed."
        ),
        _("At most %(rows)d cadres and 5 MB per file.") % {"rows": MAX_DATA_ROWS},
    ]
    for note in notes:
        sheet.append([note])
    sheet.append([])
    start = sheet.max_row + 1
    _heading_row(sheet, [_("Column"), _("Required or optional"), _("How to fill in"), _("Allowed values")])
    sheet.freeze_panes = None
    rows = [
        (COL_NAME, required, _("The cadre's full name."), ""),
        (COL_GENDER, required, _("Choose from the list."), "、".join(GENDER_LABELS)),
        (COL_ETHNICITY, optional, _("Left empty, it is taken as %(default)s.") % {"default": DEFAULT_ETHNICITY}, ""),
        (
            COL_BIRTH_YEAR, required, _("Four digits, e.g. 1975."),
            f"{MIN_BIRTH_YEAR}–{MAX_BIRTH_YEAR}",
        ),
        (COL_EDUCATION, required, _("Choose from the list."), "、".join(EDUCATION_CHOICES)),
        (
            COL_PHONE, required,
            _("11-digit mobile number starting with 1. It becomes the learner's sign-in name."), "",
        ),
        (
            COL_TOWNSHIP, required,
            _("The township or town, exactly as on the sheet “%(sheet)s”.") % {"sheet": PLACES_SHEET}, "",
        ),
        (
            COL_VILLAGE, required,
            _("The village or community, which must belong to the township; see the sheet “%(sheet)s”.")
            % {"sheet": PLACES_SHEET},
            "",
        ),
        (
            COL_POSTS, optional,
            _(
                "One or more posts, separated by 、 or a comma (, or ，), e.g. 村党支部书记、村委会主任. "
                "An existing cadre's posts are replaced by the ones listed; left empty, the cadre holds no post."
            ),
            "、".join(posts),
        ),
        (
            COL_PARTY_DATE, optional,
            _("The date of joining the Party, written as YYYY-MM-DD (e.g. 2001-07-01) or entered as an Excel date."),
            "",
        ),
    ]
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=start + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (12, 10, 60, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _places_sheet(sheet, *, places: list[Village]) -> None:
    _heading_row(sheet, [COL_TOWNSHIP, COL_VILLAGE, "", COL_TOWNSHIP])
    townships = list(dict.fromkeys(v.township.name for v in places))
    for index in range(max(len(places), len(townships))):
        village = places[index] if index < len(places) else None
        sheet.append(
            [
                village.township.name if village else None,
                village.name if village else None,
                None,
                townships[index] if index < len(townships) else None,
            ]
        )
    for letter, width in zip("ABCD", (14, 16, 4, 14), strict=True):
        sheet.column_dimensions[letter].width = width


def new_accounts_workbook(*, accounts: Iterable[NewAccount]) -> bytes:
    """A sheet of new learner accounts (姓名/手机号/初始密码) for staff to hand out."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ACCOUNTS_SHEET
    _heading_row(sheet, ["姓名", "手机号", "初始密码"])
    for account in accounts:
        sheet.append([account.name, account.phone, account.password])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    for letter, width in zip("ABC", (14, 16, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    return _to_bytes(workbook)
