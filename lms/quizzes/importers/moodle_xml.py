"""Moodle XML: multichoice, truefalse, shortanswer, essay, description and category elements with CDATA
HTML, fractions and feedback. Matching and numerical questions are reported by name and line."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from ..questiondata import ChoiceData, ImportFailed, QuestionData
from ..validation import question_data_errors
from .textformat import html_to_text

UNSUPPORTED = {
    "matching": gettext_lazy("matching"),
    "numerical": gettext_lazy("numerical"),
    "calculated": gettext_lazy("calculated"),
    "calculatedsimple": gettext_lazy("calculated"),
    "calculatedmulti": gettext_lazy("calculated"),
    "ddwtos": gettext_lazy("drag and drop"),
    "gapselect": gettext_lazy("select missing words"),
    "multianswer": gettext_lazy("embedded answers (cloze)"),
    "randomsamatch": gettext_lazy("random short-answer matching"),
}


def _text(element, path: str = "text") -> str:
    if element is None:
        return ""
    node = element.find(path)
    if node is None or node.text is None:
        return ""
    fmt = element.get("format", "html")
    return html_to_text(node.text) if fmt in ("html", "moodle_auto_format") else node.text.strip()


def _fraction(answer) -> Decimal:
    try:
        return Decimal(answer.get("fraction", "0"))
    except InvalidOperation:
        return Decimal(0)


def parse(content: bytes) -> list[QuestionData]:
    """Every supported question of a Moodle XML export; raises ImportFailed naming each problem's line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise ImportFailed([_("Line %(line)s: this is not well-formed XML (%(msg)s).")
                            % {"line": error.lineno or 1, "msg": error.msg}]) from None
    if root.tag != "quiz":
        raise ImportFailed([_("Line %(line)s: a Moodle XML file starts with <quiz>.") % {"line": root.sourceline}])
    questions, errors, category = [], [], ""
    for element in root.iterfind("question"):
        line, qtype = element.sourceline, element.get("type", "")
        if qtype == "category":
            raw = _text(element.find("category"))
            parts = [p for p in raw.split("/") if p and p != "$course$" and p.lower() != "top"]
            category = "/".join(parts)
            continue
        if qtype in UNSUPPORTED:
            errors.append(_("Line %(line)s: %(kind)s questions are not supported.")
                          % {"line": line, "kind": UNSUPPORTED[qtype]})
            continue
        data = _question(element, qtype, line)
        if data is None:
            errors.append(_("Line %(line)s: unknown question type “%(kind)s”.") % {"line": line, "kind": qtype})
            continue
        data.category_path = category
        problems = question_data_errors(data)
        errors += [_("Line %(line)s: %(msg)s") % {"line": line, "msg": p} for p in problems]
        if not problems:
            questions.append(data)
    if errors:
        raise ImportFailed(errors)
    return questions


def _question(element, qtype: str, line: int) -> QuestionData | None:
    data = QuestionData(kind="essay", line=line, title=_text(element.find("name")),
                        text=_text(element.find("questiontext")),
                        explanation=_text(element.find("generalfeedback")))
    try:
        mark = Decimal((element.findtext("defaultgrade") or "1").strip())
        data.score = mark.quantize(Decimal("0.1")) if Decimal(0) <= mark < Decimal(10000) else Decimal(1)
    except InvalidOperation:
        data.score = Decimal(1)
    answers = element.findall("answer")
    if qtype == "multichoice":
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        fractions = [_fraction(a) for a in answers]
        data.choices = [
            ChoiceData(text=_text(a), is_correct=(f >= 100 if single else f > 0), weight=f,
                       feedback=_text(a.find("feedback")))
            for a, f in zip(answers, fractions, strict=True)
        ]
        data.kind = "single" if single else "multiple"
        data.multiple_scoring = "weighted"
    elif qtype == "truefalse":
        data.kind = "true_false"
        right = next((a for a in answers if _fraction(a) >= 100), None)
        data.true_false_answer = None if right is None else _text(right).lower() in ("true", "正确", "对")
    elif qtype == "shortanswer":
        data.kind = "fill_blank"
        data.blanks = [[_text(a) for a in answers if _fraction(a) >= 100 and _text(a)]]
    elif qtype == "essay":
        data.reference_answer = _text(element.find("graderinfo"))
    elif qtype == "description":
        data.kind, data.score = "description", Decimal(0)
    else:
        return None
    return data
