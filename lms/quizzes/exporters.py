"""Write bank questions to the Excel template and to GIFT, so a bank round-trips through a file."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from .importers.excel import ALTERNATIVE_SEPARATOR, BLANK_SEPARATOR, HEADERS, KIND_LABELS, LETTERS
from .models import Question

INSTRUCTIONS = [
    ("题型", "单选、多选、判断、填空、简答、描述（描述不计分）"),
    ("题干", "题目内容；填空题的空位可写作 ____"),
    ("选项A…H", "单选、多选题的选项，至少两个"),
    ("答案", "单选填字母如 A；多选填 A,C；判断填 正确 或 错误；"
             "填空各空用 | 分隔，同一空的多个可接受答案用 ; 分隔；简答可填参考答案"),
    ("解析", "评分后向学员显示"),
    ("难度", "1（易）至 5（难），默认 3"),
    ("分值", "默认 1 分"),
    ("分类", "用 / 分隔层级，如 党章党规/党员义务；留空则用导入时选择的默认分类"),
]


def bank_questions(*, category=None):
    """Questions to export, with their options and blanks loaded in three queries."""
    qs = Question.objects.select_related("category").prefetch_related("choices", "blanks").order_by(
        "category__path", "pk"
    )
    if category is not None:
        from django.db.models import Q

        qs = qs.filter(Q(category=category) | Q(category__path__startswith=category.path + "/"))
    return qs


def _choices(question):
    return sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))


def _blanks(question):
    return sorted(question.blanks.all(), key=lambda b: (b.sort_order, b.pk))


def _excel_answer(question) -> str:
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return ",".join(LETTERS[i] for i, c in enumerate(_choices(question)[: len(LETTERS)]) if c.is_correct)
    if question.kind == Question.Kind.TRUE_FALSE:
        return "正确" if question.true_false_answer else "错误"
    if question.kind == Question.Kind.FILL_BLANK:
        return BLANK_SEPARATOR.join(ALTERNATIVE_SEPARATOR.join(b.answers()) for b in _blanks(question))
    if question.kind == Question.Kind.ESSAY:
        return question.reference_answer
    return ""


def template_workbook(questions=()) -> bytes:
    """The import template, holding the given questions (none for a blank template) and a help sheet."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "题库"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 50
    for q in questions:
        options = [c.text for c in _choices(q)][: len(LETTERS)]
        options += [""] * (len(LETTERS) - len(options))
        sheet.append([KIND_LABELS[q.kind], q.text, *options, _excel_answer(q), q.explanation, q.difficulty,
                      float(q.score) if q.score != q.score.to_integral() else int(q.score), q.category.path])
    help_sheet = workbook.create_sheet("填写说明")
    for row in INSTRUCTIONS:
        help_sheet.append(row)
    help_sheet.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_GIFT_SPECIAL = ["\\", "~", "=", "#", "{", "}", ":"]


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters and keep line breaks inside one question."""
    for char in _GIFT_SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _weight(value: Decimal) -> str:
    return f"%{value.normalize():f}%"


def _gift_answers(question) -> str | None:
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        parts = []
        choices = _choices(question)
        n_right = sum(1 for c in choices if c.is_correct) or 1
        for c in choices:
            feedback = f"#{gift_escape(c.feedback)}" if c.feedback else ""
            if kind == Question.Kind.SINGLE and c.is_correct and c.weight in (None, Decimal(100)):
                parts.append(f"={gift_escape(c.text)}{feedback}")
            elif kind == Question.Kind.SINGLE:
                weight = _weight(c.weight) if c.weight else ""
                parts.append(f"~{weight}{gift_escape(c.text)}{feedback}")
            else:
                weight = c.weight if c.weight is not None else (
                    Decimal(100) / n_right if c.is_correct else Decimal(-100) / n_right)
                parts.append(f"~{_weight(weight.quantize(Decimal('0.00001')))}{gift_escape(c.text)}{feedback}")
        return " ".join(parts)
    if kind == Question.Kind.TRUE_FALSE:
        return "T" if question.true_false_answer else "F"
    if kind == Question.Kind.FILL_BLANK:
        blanks = _blanks(question)
        if len(blanks) != 1:
            return None
        return " ".join(f"={gift_escape(a)}" for a in blanks[0].answers())
    if kind == Question.Kind.ESSAY:
        return ""
    return None


def gift_text(questions) -> tuple[str, list[Question]]:
    """The questions as GIFT, and those GIFT cannot hold (fill-ins with several blanks)."""
    lines, skipped, category = [], [], None
    for q in questions:
        if q.category.path != category:
            category = q.category.path
            lines.append(f"$CATEGORY: {category}\n")
        answers = _gift_answers(q)
        if answers is None and q.kind != Question.Kind.DESCRIPTION:
            skipped.append(q)
            continue
        title = f"::{gift_escape(q.title)}::" if q.title else ""
        text = gift_escape(q.text)
        if answers is None:
            lines.append(f"{title}[plain]{text}\n")
            continue
        general = f" ####{gift_escape(q.explanation)}" if q.explanation else ""
        lines.append(f"{title}[plain]{text} {{{answers}{general}}}\n")
    return "\n".join(lines), skipped
