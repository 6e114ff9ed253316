"""The Excel import template: one row per question with 题型, 题干, 选项A…H, 答案, 解析, 难度, 分值, 分类."""

import io
import re
import unicodedata
import zipfile
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..questiondata import ChoiceData, ImportFailed, ImportReport, QuestionData, Refusal
from ..validation import question_data_errors

LETTERS = "ABCDEFGH"
OPTION_HEADERS = [f"选项{letter}" for letter in LETTERS]
HEADERS = ["题型", "题干", *OPTION_HEADERS, "答案", "解析", "难度", "分值", "分类"]
REQUIRED_HEADERS = ["题型", "题干", "答案"]
KIND_NAMES = {
    "单选": "single", "单选题": "single", "单项选择": "single", "单项选择题": "single",
    "多选": "multiple", "多选题": "multiple", "多项选择": "multiple", "多项选择题": "multiple",
    "判断": "true_false", "判断题": "true_false",
    "填空": "fill_blank", "填空题": "fill_blank",
    "配对": "matching", "配对题": "matching", "匹配": "matching", "匹配题": "matching",
    "计算": "numerical", "计算题": "numerical", "数值": "numerical", "数值题": "numerical",
    "简答": "essay", "简答题": "essay", "问答": "essay", "问答题": "essay", "论述": "essay", "论述题": "essay",
    "描述": "description", "说明": "description",
}
KIND_LABELS = {"single": "单选", "multiple": "多选", "true_false": "判断", "fill_blank": "填空",
               "numerical": "计算", "matching": "配对", "essay": "简答", "description": "描述"}
TRUE_WORDS = {"正确", "对", "是", "√", "✓", "T", "TRUE", "Y", "YES"}
FALSE_WORDS = {"错误", "错", "否", "×", "✗", "X", "F", "FALSE", "N", "NO"}
DIFFICULTY_WORDS = {"易": 1, "容易": 1, "较易": 2, "中": 3, "中等": 3, "一般": 3, "较难": 4, "难": 5, "困难": 5}
BLANK_SEPARATOR = "|"
ALTERNATIVE_SEPARATOR = ";"


def cell_text(value) -> str:
    """A cell as text: whole numbers without '.0', everything stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def open_sheet(content: bytes):
    """The first worksheet of an .xlsx file, or a clear refusal."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise ImportFailed([
            _("This is not an Excel .xlsx workbook. Download the template, fill it in and save it as .xlsx.")
        ]) from None
    return workbook.worksheets[0]


def read(content: bytes) -> ImportReport:
    """Every question row of the template, and each refused row with its number and reason."""
    try:
        return _read(content)
    except ImportFailed:
        raise
    except Exception:  # noqa: BLE001
        # openpyxl reads a read-only sheet lazily, so a cut or garbled sheet XML fails while the rows are
        # iterated, with whatever error its XML, zip or cell parsers raise: all mean the same to the user.
        raise ImportFailed([
            _("The workbook is damaged and cannot be read (it may have been cut short). Open it in Excel or "
              "WPS, save it again as .xlsx and retry.")
        ]) from None


def parse(content: bytes) -> list[QuestionData]:
    """Every question row of the template; raises ImportFailed naming each bad row."""
    report = read(content)
    if report.refusals:
        raise ImportFailed([r.reason for r in report.refusals])
    return report.questions


def _read(content: bytes) -> ImportReport:
    sheet = open_sheet(content)
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportFailed([_("The sheet is empty.")])
    columns = {cell_text(name): i for i, name in enumerate(header) if cell_text(name)}
    missing = [h for h in REQUIRED_HEADERS if h not in columns]
    if missing:
        raise ImportFailed([
            _("Row 1: missing column(s) %(cols)s. Use the downloadable template.") % {"cols": "、".join(missing)}
        ])
    report = ImportReport()
    for number, row in enumerate(rows, start=2):
        values = {name: cell_text(row[i]) if i < len(row) else "" for name, i in columns.items()}
        if not any(values.values()):
            continue
        data, row_errors = _row_question(values, number)
        if row_errors:
            report.refusals += [Refusal(number, _("Row %(row)s: %(msg)s") % {"row": number, "msg": e})
                                for e in row_errors]
        else:
            report.questions.append(data)
    return report


def _row_question(values: dict[str, str], number: int) -> tuple[QuestionData | None, list[str]]:
    kind_name = values.get("题型", "")
    kind = KIND_NAMES.get(kind_name)
    if kind is None:
        return None, [_("unknown question type “%(kind)s”; use 单选, 多选, 判断, 填空, 计算, 配对, 简答 or 描述.")
                      % {"kind": kind_name}]
    errors: list[str] = []
    data = QuestionData(kind=kind, text=values.get("题干", ""), line=number,
                        explanation=values.get("解析", ""),
                        category_path=values.get("分类", "").replace("／", "/"))
    data.difficulty = _difficulty(values.get("难度", ""), errors)
    data.score = _score(values.get("分值", ""), kind, errors)
    answer = unicodedata.normalize("NFKC", values.get("答案", "")).strip()
    if kind in ("single", "multiple"):
        options = [(letter, values.get(h, "")) for letter, h in zip(LETTERS, OPTION_HEADERS, strict=True)]
        letters = [c for c in re.sub(r"[\s,，、;；]", "", answer).upper()]
        bad = [c for c in letters if c not in LETTERS or not dict(options)[c]]
        if bad:
            errors.append(_("the answer “%(answer)s” names an option that is empty or does not exist.")
                          % {"answer": answer})
        data.choices = [ChoiceData(text=text, is_correct=letter in letters) for letter, text in options if text]
    elif kind == "true_false":
        word = answer.upper()
        data.true_false_answer = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        if data.true_false_answer is None:
            errors.append(_("the answer of a true-or-false question must be 正确 or 错误."))
            return data, errors
    elif kind == "fill_blank":
        raw = values.get("答案", "").replace("｜", BLANK_SEPARATOR)
        data.blanks = [
            [a.strip() for a in blank.replace("；", ALTERNATIVE_SEPARATOR).split(ALTERNATIVE_SEPARATOR) if a.strip()]
            for blank in raw.split(BLANK_SEPARATOR)
        ] if raw.strip() else []
    elif kind == "numerical":
        data.spec = _numerical_answer(answer, errors)
    elif kind == "matching":
        pairs = []
        for header in OPTION_HEADERS:
            cell = values.get(header, "")
            if cell:
                prompt, arrow, right = cell.replace("→", "->").partition("->")
                if not arrow:
                    errors.append(_("a matching option must be written as item -> answer, such as 北京 -> 中国."))
                    break
                pairs.append({"prompt": prompt.strip(), "answer": right.strip()})
        data.spec = {"pairs": pairs}
    elif kind == "essay":
        data.reference_answer = values.get("答案", "")
    errors += question_data_errors(data)
    return data, errors


NUMERICAL_ANSWER = re.compile(r"^\s*(-?[\d.]+(?:[eE][-+]?\d+)?)\s*(?:(?:±|\+-|:)\s*([\d.]+(?:[eE][-+]?\d+)?))?\s*$")


def _numerical_answer(answer: str, errors: list[str]) -> dict:
    """A numerical answer written as 3.14, 3.14±0.01 or 3.14:0.01."""
    match = NUMERICAL_ANSWER.match(answer.replace("＋", "+"))
    try:
        value = Decimal(match.group(1)) if match else None
        tolerance = Decimal(match.group(2) or "0") if match else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal("1e15") or not tolerance.is_finite():
        errors.append(_("the answer of a numerical question must be a number, such as 3.14 or 3.14±0.01."))
        return {}
    return {"answers": [{"value": f"{value.normalize():f}", "tolerance": f"{tolerance.normalize():f}",
                         "fraction": "100", "feedback": ""}]}


def _difficulty(text: str, errors: list[str]) -> int:
    if not text:
        return 3
    if text in DIFFICULTY_WORDS:
        return DIFFICULTY_WORDS[text]
    try:
        value = int(unicodedata.normalize("NFKC", text))
    except ValueError:
        errors.append(_("difficulty “%(value)s” must be a number from 1 to 5.") % {"value": text})
        return 3
    return value


def _score(text: str, kind: str, errors: list[str]) -> Decimal:
    if not text:
        return Decimal(0) if kind == "description" else Decimal(1)
    try:
        value = Decimal(unicodedata.normalize("NFKC", text))
    except InvalidOperation:
        errors.append(_("marks “%(value)s” must be a number.") % {"value": text})
        return Decimal(1)
    if not value.is_finite() or not Decimal(0) <= value < Decimal(10000):
        errors.append(_("marks “%(value)s” must be a number from 0 to 9999.") % {"value": text})
        return Decimal(1)
    return value.quantize(Decimal("0.1"))
