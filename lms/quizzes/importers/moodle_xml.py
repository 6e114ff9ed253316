"""Moodle XML, read as Moodle's importer reads it: multichoice, truefalse, shortanswer (partial credit,
wildcards, case), numerical (tolerance, units), essay and description questions, with category paths, tags,
sanitised rich text in every part, per-answer feedback, and embedded base64 images. Types the bank cannot
hold (matching, cloze, calculated, drag and drop…) are refused by name; a refused question never stops the
others."""

import base64
import binascii
import io
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from PIL import Image, UnidentifiedImageError

from ..questiondata import ChoiceData, ImportFailed, ImportReport, QuestionData, Refusal
from ..validation import question_data_errors
from .categories import moodle_path
from .grades import allowed_list, allowed_percentage
from .textformat import to_plain, to_stored

UNSUPPORTED = {
    "calculated": gettext_lazy("calculated"),
    "calculatedsimple": gettext_lazy("calculated"),
    "calculatedmulti": gettext_lazy("calculated"),
    "ddwtos": gettext_lazy("drag and drop"),
    "ddimageortext": gettext_lazy("drag and drop"),
    "ddmarker": gettext_lazy("drag and drop"),
    "gapselect": gettext_lazy("select missing words"),
    "multianswer": gettext_lazy("embedded answers (cloze)"),
    "cloze": gettext_lazy("embedded answers (cloze)"),
    "randomsamatch": gettext_lazy("random short-answer matching"),
    "ordering": gettext_lazy("ordering"),
    "random": gettext_lazy("random"),
}
IMAGE_TYPES = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
PLUGINFILE = "@@PLUGINFILE@@/"
# Elements Moodle writes that the bank has no place for, named in the preview unless they hold the default.
IGNORED = {
    "penalty": (gettext_lazy("penalty per try"), ("", "0", "0.0000000", "0.3333333", "0.1000000")),
    "hint": (gettext_lazy("hints"), ("",)),
    "answernumbering": (gettext_lazy("answer numbering"), ("", "abc", "none")),
    "shuffleanswers": (gettext_lazy("shuffle setting (the quiz decides)"), ("", "1", "true")),
    "idnumber": (gettext_lazy("ID number"), ("",)),
}
_PLUGIN_REF = re.compile(r"@@PLUGINFILE@@/([^\"'<>\s?#]+)")


class _XmlError(Exception):
    pass


def read(content: bytes) -> ImportReport:
    """Every question of a Moodle XML export, and each refused one with its line and reason."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise ImportFailed([_("Line %(line)s: this is not well-formed XML (%(msg)s).")
                            % {"line": error.lineno or 1, "msg": error.msg}]) from None
    if root.tag != "quiz":
        raise ImportFailed([_("Line %(line)s: a Moodle XML file starts with <quiz>.") % {"line": root.sourceline}])
    report, category = ImportReport(), ""
    for element in root.iterfind("question"):
        line, qtype = element.sourceline or 0, element.get("type", "")
        if qtype == "category":
            category = moodle_path(_plain(element.find("category"), "plain"))
            continue
        if qtype in UNSUPPORTED:
            report.refusals.append(Refusal(line, _("Line %(line)s: %(kind)s questions are not supported.")
                                           % {"line": line, "kind": UNSUPPORTED[qtype]}))
            continue
        try:
            data = _question(element, qtype, line)
        except _XmlError as error:
            report.refusals.append(Refusal(line, _("Line %(line)s: %(msg)s") % {"line": line, "msg": error}))
            continue
        data.category_path = category
        problems = question_data_errors(data)
        if problems:
            report.refusals += [Refusal(line, _("Line %(line)s: %(msg)s") % {"line": line, "msg": p})
                                for p in problems]
        else:
            report.questions.append(data)
    return report


def parse(content: bytes) -> list[QuestionData]:
    """Every supported question of a Moodle XML export; raises ImportFailed naming each problem's line."""
    report = read(content)
    if report.refusals:
        raise ImportFailed([r.reason for r in report.refusals])
    return report.questions


def _raw(element, default: str = "html") -> tuple[str, str]:
    if element is None:
        return "", "plain"
    node = element.find("text")
    return (node.text or "") if node is not None else "", element.get("format", default)


def _rich(element) -> str:
    text, fmt = _raw(element)
    return to_stored(text, fmt)


def _plain(element, default: str = "html") -> str:
    text, fmt = _raw(element, default)
    return to_plain(text, fmt)


def _fraction(answer) -> Decimal:
    raw = answer.get("fraction", "0")
    weight = allowed_percentage(raw)
    if weight is None:
        raise _XmlError(_("the grade %(w)s%% is not one Moodle allows; use one of %(list)s (or their negatives).")
                        % {"w": raw[:20], "list": allowed_list()})
    return weight


def _number(text: str | None, what: str) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise _XmlError(_("%(what)s “%(v)s” is not a number.") % {"what": what, "v": (text or "").strip()[:30]})
    return value


def _files(element, data: QuestionData) -> None:
    """Keep embedded images for the bank to store; name every other embedded or missing file."""
    for node in element.iter("file"):
        name = (node.get("name") or "").strip()
        try:
            content = base64.b64decode((node.text or "").strip(), validate=False)
            with Image.open(io.BytesIO(content)) as picture:
                kind = IMAGE_TYPES.get(picture.format or "")
                picture.verify()
        except (binascii.Error, ValueError, UnidentifiedImageError, OSError, SyntaxError):
            kind = None
        if kind and name:
            data.images[name] = content
        else:
            data.ignored.append(_("embedded file “%(name)s” (only images are kept)") % {"name": name[:60]})
    texts = [data.text, data.explanation, *[c.text for c in data.choices], *[c.feedback for c in data.choices],
             *[p["prompt"] for p in data.spec.get("pairs", [])]]
    for name in {m for t in texts for m in _PLUGIN_REF.findall(t)}:
        if name not in data.images and not any(name in note for note in data.ignored):
            data.ignored.append(_("embedded file “%(name)s” is referred to but not in the file") % {"name": name})


def _question(element, qtype: str, line: int) -> QuestionData:
    data = QuestionData(kind="essay", line=line, title=_plain(element.find("name"), "plain"),
                        text=_rich(element.find("questiontext")),
                        explanation=_rich(element.find("generalfeedback")))
    grade = (element.findtext("defaultgrade") or "1").strip()
    try:
        mark = Decimal(grade)
        data.score = mark.quantize(Decimal("0.1")) if Decimal(0) <= mark < Decimal(10000) else None
    except InvalidOperation:
        data.score = None
    if data.score is None:
        raise _XmlError(_("the default mark “%(v)s” must be a number from 0 to 9999.") % {"v": grade[:20]})
    data.tags = list(dict.fromkeys(
        t.strip() for t in (_plain(tag, "plain") for tag in element.iterfind("tags/tag")) if t.strip()))
    for tag, (label, defaults) in IGNORED.items():
        found = element.find(tag)
        if found is not None and ("".join(found.itertext()).strip() not in defaults):
            data.ignored.append(str(label))
    answers = element.findall("answer")
    if qtype == "multichoice":
        _multichoice(element, answers, data)
    elif qtype == "truefalse":
        _true_false(answers, data)
    elif qtype == "shortanswer":
        _short_answer(element, answers, data)
    elif qtype == "numerical":
        _numerical(element, answers, data)
    elif qtype == "matching":
        data.kind = "matching"
        data.spec = {"pairs": [{"prompt": _rich(sub), "answer": _plain(sub.find("answer"), "plain")}
                               for sub in element.iterfind("subquestion")]}
    elif qtype == "essay":
        data.reference_answer = _plain(element.find("graderinfo"))
    elif qtype == "description":
        data.kind, data.score = "description", Decimal(0)
    else:
        raise _XmlError(_("unknown question type “%(kind)s”.") % {"kind": qtype[:40]})
    _files(element, data)
    _apply_hints(element, data)
    return data


def _apply_hints(element, data: QuestionData) -> None:
    """Difficulty, scoring and whether the name is a real title, from our own export's <lms> element."""
    hints = element.find("lms")
    if hints is None:
        return
    if hints.get("difficulty") in ("1", "2", "3", "4", "5"):
        data.difficulty = int(hints.get("difficulty"))
    if hints.get("named") == "0":
        data.title = ""
    if data.kind == "multiple" and hints.get("scoring") in ("all", "half", "weighted"):
        data.multiple_scoring = hints.get("scoring")
        if data.multiple_scoring != "weighted":
            for choice in data.choices:
                choice.weight = None


def _multichoice(element, answers, data: QuestionData) -> None:
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    fractions = [_fraction(a) for a in answers]
    data.choices = [
        ChoiceData(text=_rich(a), is_correct=(f == 100 if single else f > 0), weight=f,
                   feedback=_rich(a.find("feedback")))
        for a, f in zip(answers, fractions, strict=True)
    ]
    data.kind = "single" if single else "multiple"
    data.multiple_scoring = "weighted"
    if single and sorted(fractions) == [0] * (len(fractions) - 1) + [100]:
        for choice in data.choices:
            choice.weight = None


def _true_false(answers, data: QuestionData) -> None:
    data.kind = "true_false"
    feedback = {}
    for answer in answers:
        word = _plain(answer).lower()
        if word not in ("true", "false"):
            raise _XmlError(_("a true-or-false answer must be “true” or “false”."))
        fraction = _fraction(answer)
        if fraction == 100:
            data.true_false_answer = word == "true"
        feedback[f"feedback_{word}"] = _rich(answer.find("feedback"))
    if any(feedback.values()):
        data.spec = {"feedback_true": feedback.get("feedback_true", ""),
                     "feedback_false": feedback.get("feedback_false", "")}


def _short_answer(element, answers, data: QuestionData) -> None:
    data.kind = "fill_blank"
    graded = [{"text": _plain(a), "fraction": str(_fraction(a)), "feedback": _rich(a.find("feedback"))}
              for a in answers]
    graded = [g for g in graded if g["text"]]
    data.blanks = [[g["text"] for g in graded if Decimal(g["fraction"]) == 100]]
    case_sensitive = (element.findtext("usecase") or "0").strip() == "1"
    if case_sensitive or any(Decimal(g["fraction"]) != 100 or g["feedback"] for g in graded):
        data.spec = {"answers": graded, "case_sensitive": case_sensitive}


def _numerical(element, answers, data: QuestionData) -> None:
    data.kind = "numerical"
    graded = []
    for answer in answers:
        text = _plain(answer)
        value = "*" if text == "*" else f"{_number(text, _('the numerical answer')).normalize():f}"
        tolerance = abs(_number(answer.findtext("tolerance") or "0", _("the tolerance")))
        graded.append({"value": value, "tolerance": f"{tolerance.normalize():f}", "fraction": str(_fraction(answer)),
                       "feedback": _rich(answer.find("feedback"))})
    units = []
    for unit in element.iterfind("units/unit"):
        name = (unit.findtext("unit_name") or "").strip()
        if name:
            multiplier = _number(unit.findtext("multiplier") or "1", _("the unit multiplier"))
            if multiplier <= 0:
                raise _XmlError(_("a unit multiplier must be greater than zero."))
            units.append({"unit": name[:20], "multiplier": f"{multiplier.normalize():f}"})
    data.spec = {"answers": graded}
    if units:
        data.spec["units"] = units
