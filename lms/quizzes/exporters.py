"""Write bank questions to the Excel template and to GIFT, so a bank round-trips through a file.
Moodle XML is written by xml_export."""

import io
from decimal import Decimal

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Font

from .importers.excel import ALTERNATIVE_SEPARATOR, BLANK_SEPARATOR, HEADERS, KIND_LABELS, LETTERS
from .models import Question
from .numerical import answer_display
from .services import draw_pool

INSTRUCTIONS = [
    ("题型", "单选、多选、判断、填空、计算、简答、描述（描述不计分）"),
    ("题干", "题目内容；填空题的空位可写作 ____"),
    ("选项A…H", "单选、多选题的选项，至少两个；配对题每格写一对，如 北京 -> 中国（-> 前留空为干扰项）"),
    ("答案", "单选填字母如 A；多选填 A,C；判断填 正确 或 错误；"
             "填空各空用 | 分隔，同一空的多个可接受答案用 ; 分隔；计算填数值，可带误差如 3.14±0.01；"
             "简答可填参考答案"),
    ("解析", "评分后向学员显示"),
    ("难度", "1（易）至 5（难），默认 3"),
    ("分值", "默认 1 分"),
    ("分类", "用 / 分隔层级，如 党章党规/党员义务；留空则用导入时选择的默认分类"),
]


def bank_questions(*, category=None, quiz=None):
    """Questions to export (a category with its subcategories, or a quiz's fixed and drawable questions),
    with their options, blanks and tags loaded in a few queries."""
    qs = Question.objects.select_related("category").prefetch_related("choices", "blanks", "tags").order_by(
        "category__path", "pk"
    )
    if category is not None:
        qs = qs.filter(Q(category=category) | Q(category__path__startswith=category.path + "/"))
    if quiz is not None:
        ids = set(quiz.fixed_questions.values_list("question_id", flat=True))
        for rule in quiz.draw_rules.select_related("category"):
            ids |= set(draw_pool(rule=rule).values_list("pk", flat=True))
        qs = qs.filter(pk__in=ids)
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
    if question.kind == Question.Kind.NUMERICAL:
        answers = [a for a in question.answer_spec.get("answers") or [] if Decimal(a["fraction"]) == 100]
        return answer_display(answers[0]).replace(" ", "") if answers else ""
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
        if q.kind == Question.Kind.MATCHING:
            options = [f"{p['prompt']} -> {p['answer']}" for p in (q.answer_spec or {}).get("pairs", [])][:8]
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


