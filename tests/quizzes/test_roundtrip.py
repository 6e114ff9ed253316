"""Export then import gives back the same questions (GIFT and Moodle XML), and no file crashes an import:
property-based, on SQLite and, with DATABASE_URL, on PostgreSQL."""

from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.quizzes import exporters, gift_export, services, xml_export
from lms.quizzes.importers import gift, moodle_xml, read_file
from lms.quizzes.importers.grades import ALLOWED_PERCENTAGES
from lms.quizzes.models import Question
from lms.quizzes.questiondata import ChoiceData, ImportFailed, QuestionData

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
WORDS = "村务公开三议一表决党章党员义务廉政AbcXyz0123456789.,;!?()—{}=~#:%\\-$/*[]"
# Plain text as users type it: no surrounding spaces, single spaces, no tags.
plain = st.text(alphabet=WORDS + " ", min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(bool)
answer_text = plain.filter(lambda t: "*" not in t)
names = st.text(alphabet="党章规廉政组织考核村务", min_size=1, max_size=8)
percent = st.sampled_from([p for p in ALLOWED_PERCENTAGES if 0 < p < 100])
any_percent = st.sampled_from([p for p in ALLOWED_PERCENTAGES if p < 100])
number = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False).map(
    lambda d: f"{d.normalize():f}")
tolerance = st.decimals(min_value=0, max_value=10, places=2).map(lambda d: f"{d.normalize():f}")


def _pct(p) -> str:
    return f"{Decimal(p).normalize():f}" if p != p.to_integral() else str(p.quantize(Decimal(1)))


@st.composite
def questions(draw, *, xml: bool):
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "fill_blank", "numerical", "matching",
                                 "essay", "description"]))
    data = QuestionData(kind=kind, text=draw(plain), title=draw(st.one_of(st.just(""), plain)),
                        explanation=draw(st.one_of(st.just(""), plain)),
                        difficulty=draw(st.integers(1, 5)),
                        score=Decimal(draw(st.integers(0, 999))) / 10,
                        category_path="/".join(draw(st.lists(names, min_size=1, max_size=3))),
                        tags=draw(st.lists(names, max_size=2, unique_by=str.casefold)))
    if kind == "description":
        data.score = Decimal(0)
        if not xml:
            data.explanation = ""  # a GIFT description has no answer block to hold general feedback
    if kind == "single":
        texts = draw(st.lists(plain, min_size=2, max_size=5))
        right = draw(st.integers(0, len(texts) - 1))
        weighted = draw(st.booleans())
        data.choices = [ChoiceData(t, is_correct=i == right, feedback=draw(st.one_of(st.just(""), plain)))
                        for i, t in enumerate(texts)]
        if weighted:
            for i, c in enumerate(data.choices):
                c.weight = Decimal(100) if i == right else draw(any_percent)
            if all(c.weight in (0, 100) for c in data.choices):
                data.choices[(right + 1) % len(texts)].weight = Decimal(50)
    elif kind == "multiple":
        texts = draw(st.lists(plain, min_size=2, max_size=5))
        data.multiple_scoring = draw(st.sampled_from(["all", "half", "weighted"]))
        flags = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
        flags[0] = True
        data.choices = [ChoiceData(t, is_correct=f) for t, f in zip(texts, flags, strict=True)]
        if data.multiple_scoring == "weighted":
            for c in data.choices:
                c.weight = draw(percent) if c.is_correct else -draw(percent)
    elif kind == "true_false":
        data.true_false_answer = draw(st.booleans())
        if draw(st.booleans()):
            data.spec = {"feedback_true": draw(plain), "feedback_false": draw(st.one_of(st.just(""), plain))}
    elif kind == "fill_blank":
        accepted = draw(st.lists(answer_text, min_size=1, max_size=3, unique=True))
        data.blanks = [accepted]
        if draw(st.booleans()):
            graded = [{"text": a, "fraction": "100", "feedback": ""} for a in accepted]
            graded.append({"text": draw(answer_text) + "*", "fraction": _pct(draw(percent)),
                           "feedback": draw(st.one_of(st.just(""), plain))})
            data.spec = {"answers": graded}
            if xml:
                data.spec["case_sensitive"] = draw(st.booleans())
    elif kind == "numerical":
        answers = [{"value": draw(number), "tolerance": draw(tolerance), "fraction": "100",
                    "feedback": draw(st.one_of(st.just(""), plain))}]
        if draw(st.booleans()):
            answers.append({"value": draw(number), "tolerance": draw(tolerance), "fraction": _pct(draw(percent)),
                            "feedback": ""})
        if draw(st.booleans()):
            answers.append({"value": "*", "tolerance": "0", "fraction": "0", "feedback": draw(plain)})
        data.spec = {"answers": answers}
        if xml and draw(st.booleans()):
            data.spec["units"] = [{"unit": "m", "multiplier": "1"}, {"unit": "cm", "multiplier": "100"}]
    elif kind == "matching":
        pairs = [{"prompt": p, "answer": a} for p, a in draw(st.lists(st.tuples(plain, plain), min_size=2,
                                                                      max_size=4))]
        if draw(st.booleans()):
            pairs.append({"prompt": "", "answer": draw(plain)})
        data.spec = {"pairs": [p for p in pairs if "->" not in p["prompt"] + p["answer"]]}
        if len(data.spec["pairs"]) < 2:
            data.spec = {"pairs": [{"prompt": "北京", "answer": "中国"}, {"prompt": "东京", "answer": "日本"}]}
    elif kind == "essay" and xml:
        data.reference_answer = draw(st.one_of(st.just(""), plain))
    return data


def _spec(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if not (k == "case_sensitive" and v is False)}


def signature():
    return sorted(
        (q.kind, q.text, q.title, q.explanation, q.difficulty, q.score, q.category.path, q.true_false_answer,
         q.multiple_scoring if q.kind == "multiple" else "", q.reference_answer, repr(_spec(q.answer_spec)),
         tuple(sorted(t.name for t in q.tags.all())),
         tuple((c.text, c.is_correct, None if c.weight is None else c.weight.normalize(), c.feedback)
               for c in q.choices.order_by("sort_order")),
         tuple(tuple(b.answers()) for b in q.blanks.order_by("sort_order")))
        for q in Question.objects.select_related("category")
    )


def _round_trip(generated, export, parse):
    with transaction.atomic():
        services.bank_import(questions=generated, default_category="导入")
        before = signature()
        content = export(list(exporters.bank_questions()))
        Question.objects.all().delete()
        services.bank_import(questions=parse(content), default_category="导入")
        after = signature()
        transaction.set_rollback(True)
    assert after == before


@SETTINGS
@given(st.lists(questions(xml=False), min_size=1, max_size=4))
def test_gift_export_then_import_is_identity(db, generated):
    def export(qs):
        text, skipped = gift_export.gift_text(qs)
        assert skipped == []
        return text
    _round_trip(generated, export, gift.parse)


@SETTINGS
@given(st.lists(questions(xml=True), min_size=1, max_size=4))
def test_moodle_xml_export_then_import_is_identity(db, generated):
    def export(qs):
        content, skipped = xml_export.moodle_xml(qs)
        assert skipped == []
        return content
    _round_trip(generated, export, moodle_xml.parse)


XML_TYPES = st.sampled_from(["multichoice", "truefalse", "shortanswer", "numerical", "essay", "description",
                             "category", "cloze", "matching", "", "x"])
xml_text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co")), max_size=80).map(
    lambda t: t.replace("]]>", ""))


@st.composite
def xml_files(draw):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        answers = "".join(
            f'<answer fraction="{draw(st.one_of(st.sampled_from(["100", "50", "0", "-100", "NaN", "1e6"]), xml_text))}"'
            f' format="{draw(st.sampled_from(["html", "plain", "markdown", "moodle_auto_format"]))}">'
            f"<text><![CDATA[{draw(xml_text)}]]></text><tolerance>{draw(xml_text)}</tolerance></answer>"
            for _ in range(draw(st.integers(0, 3))))
        parts.append(
            f'<question type="{draw(XML_TYPES)}"><name><text><![CDATA[{draw(xml_text)}]]></text></name>'
            f"<category><text><![CDATA[{draw(xml_text)}]]></text></category>"
            f'<questiontext format="{draw(st.sampled_from(["html", "plain", "markdown"]))}"><text><![CDATA['
            f"{draw(xml_text)}]]></text></questiontext><defaultgrade><![CDATA[{draw(xml_text)}]]></defaultgrade>"
            f"<single>{draw(st.sampled_from(['true', 'false']))}</single>{answers}"
            f"<tags><tag><text><![CDATA[{draw(xml_text)}]]></text></tag></tags></question>")
    return ('<?xml version="1.0" encoding="UTF-8"?><quiz>' + "".join(parts) + "</quiz>").encode()


def _import_never_crashes(fmt: str, content: bytes) -> None:
    try:
        report = read_file(fmt=fmt, content=content)
    except ImportFailed as error:
        assert error.errors
        return
    if report.questions:
        with transaction.atomic():
            try:
                services.bank_import(questions=report.questions, default_category="导入")
            except ImportFailed as error:
                assert error.errors
            transaction.set_rollback(True)


@SETTINGS
@given(xml_files())
def test_moodle_xml_import_and_save_never_crash(db, content):
    _import_never_crashes("xml", content)


GIFT_PIECES = st.sampled_from(["{", "}", "=", "~", "#", "####", ":", "::", "%50%", "%33.33333%", "%-100%", "->",
                               "\\", "\n", "\n\n", "$CATEGORY: ", "$module$/top/", "//", "[html]", "[markdown]",
                               "<b>", "</b>", "T", "FALSE", "..", "3.14", "*", "党" * 61, "/", " ",
                               "// [tag:" + "标" * 101 + "]\n", "// [difficulty:9] [marks:1e9] [scoring:x]\n"])


@SETTINGS
@given(st.lists(st.one_of(GIFT_PIECES, st.text(max_size=10)), max_size=40).map("".join))
def test_gift_import_and_save_never_crash(db, text):
    _import_never_crashes("gift", text.encode("utf-8", "surrogatepass") if "\x00" not in text else b"x")
