"""Moodle GIFT, read as Moodle's own importer reads it: choice (a block without `=` is multiple-answer),
true/false with both feedbacks, short answer with partial credit and `*` wildcards, numerical (value:tolerance,
min..max, several graded answers), missing word, essay, description; titles, per-part [format] markers,
general feedback, $CATEGORY with Moodle contexts and `//` escapes, and `// [tag:…] [id:…]` comments.
Matching questions cannot be held by this bank and are refused by name; a refused question never stops the
others."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..questiondata import ChoiceData, ImportFailed, ImportReport, QuestionData, Refusal
from ..validation import question_data_errors
from .categories import moodle_path
from .grades import allowed_list, allowed_percentage
from .textformat import split_format, to_plain, to_stored

# Escaped characters are swapped for private-use code points while parsing, then restored.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003", "\\{": "\ue004",
            "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}
_RESTORE = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{", "\ue005": "}",
            "\ue006": ":", "\ue007": "\n"}
_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")
_WEIGHT = re.compile(r"^%([^%]*)%")
_TAG = re.compile(r"\[tag:([^\]]+)\]")
_IDNUMBER = re.compile(r"\[id:([^\]]+)\]")
# Written by our own export for what Moodle has no place for; Moodle ignores comments.
_HINT = re.compile(r"\[(difficulty|marks|scoring):([^\]]+)\]")
BLANK_MARK = "____"


class _GiftError(Exception):
    pass


def _escape(text: str) -> str:
    for raw, code in _ESCAPES.items():
        text = text.replace(raw, code)
    return text


def _restore(text: str) -> str:
    for code, char in _RESTORE.items():
        text = text.replace(code, char)
    return text


def _rich(text: str, fmt: str) -> str:
    """A text part (question, answer, feedback) with its own [format] marker or the question's."""
    fmt, body = split_format(_restore(text).strip(), fmt)
    return to_stored(body, fmt)


def _plain(text: str, fmt: str) -> str:
    fmt, body = split_format(_restore(text).strip(), fmt)
    return to_plain(body, fmt)


def _blocks(text: str):
    """Yield (first line number, block text, comment text) for each run of non-blank lines."""
    lines, comments, start = [], [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            comments.append(line)
            continue
        if line.strip():
            if start is None:
                start = number
            lines.append(line)
        elif lines or comments:
            if lines:
                yield start, "\n".join(lines), "\n".join(comments)
            lines, comments, start = [], [], None
    if lines:
        yield start, "\n".join(lines), "\n".join(comments)


def read(text: str) -> ImportReport:
    """Every question of a GIFT file, and each refused one with its line and reason."""
    report = ImportReport()
    category = ""
    for line, raw, comments in _blocks(text.replace("\r\n", "\n").replace("\r", "\n")):
        block = _escape(raw)
        while block.lstrip().startswith("$CATEGORY:"):
            first, _nl, rest = block.lstrip().partition("\n")
            category = moodle_path(_restore(first[len("$CATEGORY:"):]))
            block = rest
            line += 1
        if not block.strip():
            continue
        try:
            data = _question(block, line)
        except _GiftError as error:
            report.refusals.append(Refusal(line, _("Line %(line)s: %(msg)s") % {"line": line, "msg": error}))
            continue
        data.category_path = category
        data.tags = list(dict.fromkeys(t.strip() for t in _TAG.findall(comments) if t.strip()))
        _apply_hints(data, comments)
        idnumber = _IDNUMBER.search(comments)
        if idnumber:
            data.ignored.append(_("ID number “%(id)s”") % {"id": idnumber.group(1).strip()})
        problems = question_data_errors(data)
        if problems:
            report.refusals += [Refusal(line, _("Line %(line)s: %(msg)s") % {"line": line, "msg": p})
                                for p in problems]
        else:
            report.questions.append(data)
    return report


def _apply_hints(data: QuestionData, comments: str) -> None:
    """Difficulty, marks and multiple-choice scoring from our own export's comments; bad hints are skipped."""
    for name, value in _HINT.findall(comments):
        value = value.strip()
        if name == "difficulty" and value in ("1", "2", "3", "4", "5"):
            data.difficulty = int(value)
        elif name == "marks":
            try:
                mark = Decimal(value)
            except InvalidOperation:
                continue
            if mark.is_finite() and Decimal(0) <= mark < Decimal(10000) and data.kind != "description":
                data.score = mark.quantize(Decimal("0.1"))
        elif name == "scoring" and data.kind == "multiple" and value in ("all", "half", "weighted"):
            data.multiple_scoring = value
            if value != "weighted":
                for choice in data.choices:
                    choice.weight = None


def parse(text: str) -> list[QuestionData]:
    """Every question of a GIFT file; raises ImportFailed naming the line of each problem."""
    report = read(text)
    if report.refusals:
        raise ImportFailed([r.reason for r in report.refusals])
    return report.questions


def _question(block: str, line: int) -> QuestionData:
    s = block.strip()
    title = ""
    if s.startswith("::"):
        end = s.find("::", 2)
        if end < 0:
            raise _GiftError(_("the title is not closed with ::."))
        title, s = _restore(s[2:end]).strip(), s[end + 2:].strip()
    fmt, s = split_format(s)
    opening = s.find("{")
    if opening < 0:
        if "}" in s:
            raise _GiftError(_("a closing brace } has no opening brace {."))
        return QuestionData(kind="description", text=_rich(s, fmt), title=title, line=line, score=Decimal(0))
    closing = s.find("}", opening)
    if closing < 0:
        raise _GiftError(_("the answer block is not closed with }."))
    if "{" in s[opening + 1:closing] or "{" in s[closing + 1:] or "}" in s[closing + 1:]:
        raise _GiftError(_("a question may hold only one answer block {…}."))
    before, body, after = s[:opening].strip(), s[opening + 1:closing].strip(), s[closing + 1:].strip()
    text = f"{before} {BLANK_MARK} {after}".strip() if after else before
    data = QuestionData(kind="essay", text=_rich(text, fmt), title=title, line=line)
    if "####" in body:
        body, _sep, general = body.rpartition("####")
        data.explanation = _rich(general, fmt)
    body = body.strip()
    answer_fmt, bare = split_format(body, fmt)
    if not bare.strip():
        return data  # {} is an essay
    if bare.startswith("#"):
        return _numerical(data, bare[1:])
    if "~" in bare:
        return _choice(data, bare, fmt)
    if "=" in bare and "->" in bare:
        return _matching(data, bare, fmt)
    tf_check = bare.split("#", 1)[0].strip()
    if tf_check in _TRUE_FALSE:
        return _true_false(data, bare, fmt)
    return _short_answer(data, bare, fmt)


def _weight(text: str) -> tuple[Decimal | None, str]:
    """A leading %n% weight as an allowed percentage, and the rest; refuses weights Moodle refuses."""
    match = _WEIGHT.match(text)
    if not match:
        return None, text
    weight = allowed_percentage(match.group(1))
    if weight is None:
        raise _GiftError(_("the grade %(w)s%% is not one Moodle allows; use one of %(list)s (or their negatives).")
                         % {"w": match.group(1), "list": allowed_list()})
    return weight, text[match.end():]


def _feedback_split(text: str) -> tuple[str, str]:
    answer, _hash, feedback = text.partition("#")
    return answer, feedback


def _choice(data: QuestionData, body: str, fmt: str) -> QuestionData:
    single = "=" in body
    parts = body.replace("=", "~=").split("~")
    if parts and not parts[0].strip():
        parts = parts[1:]
    answers = []
    for part in parts:
        part = part.strip()
        if part.startswith("="):
            weight, rest = Decimal(100), part[1:]
        else:
            weight, rest = _weight(part)
            weight = Decimal(0) if weight is None else weight
        text, feedback = _feedback_split(rest)
        answers.append(ChoiceData(text=_rich(text, fmt), weight=weight, feedback=_rich(feedback, fmt)))
    if not answers:
        raise _GiftError(_("the answer block holds no answer."))
    if single:
        data.kind = "single"
        for a in answers:
            a.is_correct = a.weight == 100
        if all(a.weight in (0, 100) for a in answers) and sum(a.is_correct for a in answers) == 1:
            for a in answers:
                a.weight = None
    else:
        data.kind, data.multiple_scoring = "multiple", "weighted"
        for a in answers:
            a.is_correct = a.weight > 0
    data.choices = answers
    return data


def _matching(data: QuestionData, body: str, fmt: str) -> QuestionData:
    parts = body.split("=")
    if not parts[0].strip():
        parts = parts[1:]
    pairs = []
    for part in parts:
        if "->" not in part:
            raise _GiftError(_("every matching answer must be written as item -> answer."))
        prompt, _arrow, answer = part.partition("->")
        pairs.append({"prompt": _rich(prompt, fmt), "answer": _plain(answer, "plain")})
    data.kind = "matching"
    data.spec = {"pairs": pairs}
    return data


def _true_false(data: QuestionData, body: str, fmt: str) -> QuestionData:
    word, *feedbacks = body.split("#")
    data.kind = "true_false"
    data.true_false_answer = word.strip().startswith("T")
    wrong = _rich(feedbacks[0], fmt) if feedbacks else ""
    right = _rich(feedbacks[1], fmt) if len(feedbacks) > 1 else ""
    if wrong or right:
        picked_true, picked_false = (right, wrong) if data.true_false_answer else (wrong, right)
        data.spec = {"feedback_true": picked_true, "feedback_false": picked_false}
    return data


def _short_answer(data: QuestionData, body: str, fmt: str) -> QuestionData:
    parts = body.split("=")
    if not parts[0].strip():
        parts = parts[1:]  # as in Moodle, a first answer without = counts as a full-marks answer
    answers = []
    for part in parts:
        weight, rest = _weight(part.strip())
        text, feedback = _feedback_split(rest)
        answers.append({"text": _plain(text, fmt), "fraction": str(Decimal(100) if weight is None else weight),
                        "feedback": _rich(feedback, fmt)})
    answers = [a for a in answers if a["text"]]
    if not answers:
        raise _GiftError(_("the answer block holds no answer."))
    data.kind = "fill_blank"
    data.blanks = [[a["text"] for a in answers if Decimal(a["fraction"]) == 100]]
    if any(Decimal(a["fraction"]) != 100 or a["feedback"] for a in answers):
        data.spec = {"answers": answers}
    return data


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise _GiftError(_("the numerical answer “%(v)s” is not a number.") % {"v": text.strip()}) from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise _GiftError(_("the numerical answer “%(v)s” is not a number.") % {"v": text.strip()})
    return value


def _numerical(data: QuestionData, body: str) -> QuestionData:
    body, tilde, wrong = body.strip().partition("~")
    body = body.strip()
    pieces = [p.strip() for p in body.split("=")]
    if not pieces[0]:
        pieces = pieces[1:]
    if not pieces:
        raise _GiftError(_("the answer block holds no answer."))
    answers = []
    for piece in pieces:
        weight, rest = _weight(piece)
        value_text, feedback = _feedback_split(rest)
        value_text = value_text.strip()
        if ".." in value_text:
            low, _dots, high = value_text.partition("..")
            low, high = _number(low), _number(high)
            value, tolerance = (low + high) / 2, abs(high - low) / 2
        elif ":" in _restore(value_text):
            number, _colon, tol = _restore(value_text).partition(":")
            value, tolerance = _number(number), abs(_number(tol))
        else:
            value, tolerance = _number(value_text), Decimal(0)
        answers.append({"value": f"{value.normalize():f}", "tolerance": f"{tolerance.normalize():f}",
                        "fraction": str(Decimal(100) if weight is None else weight),
                        "feedback": _rich(feedback, "moodle")})
    if tilde:
        answers.append({"value": "*", "tolerance": "0", "fraction": "0",
                        "feedback": _rich(_feedback_split(wrong)[1], "moodle")})
    data.kind = "numerical"
    data.spec = {"answers": answers}
    return data
