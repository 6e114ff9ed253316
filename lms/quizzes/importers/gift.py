"""Moodle GIFT: multiple choice (with ~%50% weights), true/false, short answer, missing word, essay,
description, titles, feedback, comments, $CATEGORY, escapes and [html]/[markdown]/[plain] formats.
Matching and numerical questions cannot be held by this bank and are reported by name and line."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..questiondata import ChoiceData, ImportFailed, QuestionData
from ..validation import question_data_errors
from .textformat import html_to_text

# Escaped characters are swapped for private-use code points while parsing, then restored.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003", "\\{": "\ue004",
            "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}
_RESTORE = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{", "\ue005": "}",
            "\ue006": ":", "\ue007": "\n"}
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)(?=\s*(#|$))", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
BLANK_MARK = "____"


def _escape(text: str) -> str:
    for raw, code in _ESCAPES.items():
        text = text.replace(raw, code)
    return text


def _restore(text: str) -> str:
    for code, char in _RESTORE.items():
        text = text.replace(code, char)
    return text


def _clean(text: str, fmt: str) -> str:
    text = _restore(text).strip()
    return html_to_text(text) if fmt == "html" else text


def _category_path(raw: str) -> str:
    parts = [p.strip() for p in _restore(raw).split("/") if p.strip()]
    if parts and parts[0] == "$course$":
        parts = parts[1:]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return "/".join(parts)


def _blocks(text: str):
    """Yield (first line number, block text) for runs of non-blank lines, dropping // comment lines."""
    lines, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if line.strip():
            if start is None:
                start = number
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines)
            lines, start = [], None
    if lines:
        yield start, "\n".join(lines)


def parse(text: str) -> list[QuestionData]:
    """Every question of a GIFT file; raises ImportFailed naming the line of each problem."""
    questions, errors = [], []
    category = ""
    for line, raw in _blocks(text.replace("\r\n", "\n").replace("\r", "\n")):
        block = _escape(raw)
        while block.lstrip().startswith("$CATEGORY:"):
            first, _nl, rest = block.lstrip().partition("\n")
            category = _category_path(first[len("$CATEGORY:"):])
            block = rest
            line += 1
        if not block.strip():
            continue
        try:
            data = _question(block, line)
        except _GiftError as error:
            errors.append(_("Line %(line)s: %(msg)s") % {"line": line, "msg": error})
            continue
        data.category_path = data.category_path or category
        problems = question_data_errors(data)
        errors += [_("Line %(line)s: %(msg)s") % {"line": line, "msg": p} for p in problems]
        if not problems:
            questions.append(data)
    if errors:
        raise ImportFailed(errors)
    return questions


class _GiftError(Exception):
    pass


def _question(block: str, line: int) -> QuestionData:
    s = block.strip()
    title = ""
    if s.startswith("::"):
        end = s.find("::", 2)
        if end < 0:
            raise _GiftError(_("the title is not closed with ::."))
        title, s = _restore(s[2:end]).strip(), s[end + 2:].strip()
    fmt = "moodle"
    match = _FORMAT.match(s)
    if match:
        fmt, s = match.group(1).lower(), s[match.end():]
    opening = s.find("{")
    if opening < 0:
        if "}" in s:
            raise _GiftError(_("a closing brace } has no opening brace {."))
        return QuestionData(kind="description", text=_clean(s, fmt), title=title, line=line, score=Decimal(0))
    closing = s.find("}", opening)
    if closing < 0:
        raise _GiftError(_("the answer block is not closed with }."))
    if "{" in s[opening + 1:closing] or "{" in s[closing + 1:] or "}" in s[closing + 1:]:
        raise _GiftError(_("a question may hold only one answer block {…}."))
    before, body, after = s[:opening].strip(), s[opening + 1:closing].strip(), s[closing + 1:].strip()
    text = f"{before} {BLANK_MARK} {after}".strip() if after else before
    data = QuestionData(kind="essay", text=_clean(text, fmt), title=title, line=line)
    body_match = _FORMAT.match(body)
    if body_match:
        body = body[body_match.end():].strip()
    body, general = _split_general_feedback(body)
    data.explanation = _clean(general, fmt)
    if not body:
        return data  # {} is an essay
    if body.startswith("#"):
        raise _GiftError(_("numerical questions are not supported; change them to fill-in questions."))
    tf = _TRUE_FALSE.match(body)
    if tf:
        data.kind = "true_false"
        data.true_false_answer = tf.group(1).upper().startswith("T")
        feedback = [f for f in body[tf.end():].split("#") if f.strip()]
        if feedback and not data.explanation:
            data.explanation = _clean(feedback[0], fmt)
        return data
    answers = _answers(body, fmt)
    if any("->" in a["text"] for a in answers) and all(a["mark"] == "=" for a in answers):
        raise _GiftError(_("matching questions are not supported; change them to choice questions."))
    if all(a["mark"] == "=" for a in answers):
        return _short_answer(data, answers)
    return _choice(data, answers)


def _split_general_feedback(body: str) -> tuple[str, str]:
    if "####" in body:
        body, _sep, general = body.partition("####")
        return body.strip(), general
    return body, ""


def _answers(body: str, fmt: str) -> list[dict]:
    parts = re.split(r"(?=[=~])", body)
    if parts and parts[0].strip():
        raise _GiftError(_("every answer must start with = (right) or ~ (wrong)."))
    answers = []
    for part in parts[1:]:
        mark, rest = part[0], part[1:].strip()
        weight = None
        match = _WEIGHT.match(rest)
        if match:
            try:
                weight = Decimal(match.group(1))
            except InvalidOperation:
                raise _GiftError(_("a weight such as %50% must be a number.")) from None
            if not Decimal(-100) <= weight <= Decimal(100):
                raise _GiftError(_("a weight must be between -100% and 100%."))
            rest = rest[match.end():].strip()
        text, _hash, feedback = rest.partition("#")
        answers.append({"mark": mark, "weight": weight, "text": _clean(text, fmt),
                        "feedback": _clean(feedback, fmt)})
    if not answers:
        raise _GiftError(_("the answer block holds no answer."))
    return answers


def _short_answer(data: QuestionData, answers: list[dict]) -> QuestionData:
    partial = [a for a in answers if a["weight"] is not None and a["weight"] != 100]
    if partial:
        raise _GiftError(_("short answers with partial credit (such as =%50%) are not supported."))
    data.kind = "fill_blank"
    data.blanks = [[a["text"] for a in answers if a["text"]]]
    return data


def _choice(data: QuestionData, answers: list[dict]) -> QuestionData:
    weights = [(Decimal(100) if a["mark"] == "=" and a["weight"] is None else a["weight"]) for a in answers]
    weighted = any(a["weight"] is not None for a in answers)
    n_right = sum(1 for a in answers if a["mark"] == "=")
    n_full = sum(1 for w in weights if w is not None and w == 100)
    single = n_right == 1 or (n_right == 0 and n_full == 1)
    if single:
        correct = [a["mark"] == "=" or w == 100 for a, w in zip(answers, weights, strict=True)]
        data.kind = "single"
    else:
        correct = [a["mark"] == "=" or (w is not None and w > 0) for a, w in zip(answers, weights, strict=True)]
        data.kind, data.multiple_scoring = "multiple", ("weighted" if weighted else "all")
    data.choices = [
        ChoiceData(text=a["text"], is_correct=ok, weight=w if weighted else None, feedback=a["feedback"])
        for a, ok, w in zip(answers, correct, weights, strict=True)
    ]
    return data
