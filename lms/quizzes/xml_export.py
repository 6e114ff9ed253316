"""Write bank questions as Moodle XML that Moodle's importer and ours read back to the same questions.

Settings Moodle has no place for travel in an <lms> element (difficulty, multiple-choice scoring), which
Moodle's importer ignores."""

import re
from decimal import Decimal

from lxml import etree

from .importers.textformat import html_to_text, looks_like_html
from .models import Question

_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NAME_LENGTH = 40


def default_name(text: str) -> str:
    """The name Moodle needs when a question has no title: the start of its text."""
    plain = html_to_text(text) if looks_like_html(text) else " ".join(text.split())
    return plain[:NAME_LENGTH] or "—"


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text or "")


def _text(parent, tag: str, value: str, *, rich: bool = True) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if rich:
        element.set("format", "html" if looks_like_html(value) else "plain")
    node = etree.SubElement(element, "text")
    value = _clean(value)
    node.text = etree.CDATA(value) if value and "]]>" not in value else value
    return element


def _sub(parent, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = value


def _answer(parent, fraction, text: str, feedback: str, *, rich: bool = True) -> etree._Element:
    answer = etree.SubElement(parent, "answer", fraction=f"{Decimal(fraction).normalize():f}")
    answer.set("format", "html" if rich and looks_like_html(text) else "plain")
    node = etree.SubElement(answer, "text")
    node.text = _clean(text)
    _text(answer, "feedback", feedback)
    return answer


def _choices(question):
    return sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))


def _blanks(question):
    return sorted(question.blanks.all(), key=lambda b: (b.sort_order, b.pk))


def _multichoice(element, question) -> None:
    single = question.kind == Question.Kind.SINGLE
    _sub(element, "single", "true" if single else "false")
    _sub(element, "shuffleanswers", "true")
    _sub(element, "answernumbering", "ABCD")
    choices = _choices(question)
    n_right = sum(1 for c in choices if c.is_correct) or 1
    for c in choices:
        if c.weight is not None:
            weight = c.weight
        elif single:
            weight = Decimal(100) if c.is_correct else Decimal(0)
        else:
            weight = (Decimal(100) if c.is_correct else Decimal(-100)) / n_right
        _answer(element, weight.quantize(Decimal("0.00001")), c.text, c.feedback)


def _fill_blank(element, question) -> bool:
    blanks = _blanks(question)
    if len(blanks) != 1:
        return False
    spec = question.answer_spec or {}
    _sub(element, "usecase", "1" if spec.get("case_sensitive") else "0")
    graded = spec.get("answers") or [{"text": a, "fraction": "100", "feedback": ""} for a in blanks[0].answers()]
    for a in graded:
        _answer(element, a["fraction"], a["text"], a.get("feedback", ""), rich=False)
    return True


def _numerical(element, question) -> None:
    spec = question.answer_spec or {}
    for a in spec.get("answers") or []:
        answer = _answer(element, a["fraction"], a["value"], a.get("feedback", ""), rich=False)
        _sub(answer, "tolerance", a.get("tolerance") or "0")
    units = spec.get("units") or []
    if units:
        holder = etree.SubElement(element, "units")
        for u in units:
            unit = etree.SubElement(holder, "unit")
            _sub(unit, "multiplier", u["multiplier"])
            _sub(unit, "unit_name", u["unit"])
    _sub(element, "unitgradingtype", "0")
    _sub(element, "showunits", "3")


def _true_false(element, question) -> None:
    spec = question.answer_spec or {}
    for word in ("true", "false"):
        right = question.true_false_answer is (word == "true")
        _answer(element, 100 if right else 0, word, spec.get(f"feedback_{word}", ""), rich=False)


MOODLE_TYPES = {
    Question.Kind.SINGLE: "multichoice", Question.Kind.MULTIPLE: "multichoice",
    Question.Kind.TRUE_FALSE: "truefalse", Question.Kind.FILL_BLANK: "shortanswer",
    Question.Kind.NUMERICAL: "numerical", Question.Kind.MATCHING: "matching", Question.Kind.ESSAY: "essay",
    Question.Kind.DESCRIPTION: "description",
}


def _question(root, question) -> bool:
    element = etree.SubElement(root, "question", type=MOODLE_TYPES[question.kind])
    _text(element, "name", question.title or default_name(question.text), rich=False)
    _text(element, "questiontext", question.text)
    _text(element, "generalfeedback", question.explanation)
    _sub(element, "defaultgrade", f"{question.score.normalize():f}")
    _sub(element, "penalty", "0.3333333")
    _sub(element, "hidden", "0" if question.is_active else "1")
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        _multichoice(element, question)
    elif kind == Question.Kind.TRUE_FALSE:
        _true_false(element, question)
    elif kind == Question.Kind.FILL_BLANK:
        if not _fill_blank(element, question):
            root.remove(element)
            return False
    elif kind == Question.Kind.NUMERICAL:
        _numerical(element, question)
    elif kind == Question.Kind.MATCHING:
        _sub(element, "shuffleanswers", "true")
        for pair in (question.answer_spec or {}).get("pairs") or []:
            sub = _text(element, "subquestion", pair["prompt"])
            _text(sub, "answer", pair["answer"], rich=False)
    elif kind == Question.Kind.ESSAY:
        _sub(element, "responseformat", "editor")
        _text(element, "graderinfo", question.reference_answer)
    tags = list(question.tags.all())
    if tags:
        holder = etree.SubElement(element, "tags")
        for tag in tags:
            _text(holder, "tag", tag.name, rich=False)
    etree.SubElement(element, "lms", difficulty=str(question.difficulty), scoring=question.multiple_scoring,
                     named="1" if question.title else "0")
    return True


def moodle_xml(questions) -> tuple[bytes, list[Question]]:
    """The questions as a Moodle XML file, and those Moodle XML cannot hold (fill-ins with several blanks)."""
    root = etree.Element("quiz")
    skipped, category = [], None
    for q in questions:
        if q.category.path != category:
            category = q.category.path
            holder = etree.SubElement(root, "question", type="category")
            _text(holder, "category", f"$course$/top/{category}", rich=False)
        if not _question(root, q):
            skipped.append(q)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True), skipped
