"""Imports: Excel template, GIFT and Moodle XML with good and broken files; exports round-trip."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from lms.quizzes import exporters, gift_export, services
from lms.quizzes.importers import excel, gift, moodle_xml, parse_file
from lms.quizzes.models import Question
from lms.quizzes.questiondata import ImportFailed

FILES = Path(__file__).parent / "files"


def xlsx(rows, header=excel.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(kind, text, options=(), answer="", explanation="", difficulty="", score="", category=""):
    opts = list(options) + [""] * (8 - len(options))
    return [kind, text, *opts, answer, explanation, difficulty, score, category]


GOOD_ROWS = [
    row("单选", "党的最高理想是？", ["实现共产主义", "全面小康"], "A", "党章总纲", 2, 1, "党章党规/总纲"),
    row("多选题", "四落实包括？", ["时间", "计划", "人员", "资金"], "A，B、C", "", "较难", 2, "党章党规"),
    row("判断", "村务应当公开。", [], "正确"),
    row("填空", "表决由____作出。", [], "村民代表会议;村民会议|党员大会", "", "", 2),
    row("简答", "谈谈集体经济。", [], "要点：资源、资产、资金", "", 4, 5),
    row("描述", "以下考查村务公开。"),
]


# Excel -------------------------------------------------------------------------------------


def test_excel_good_file_parses_every_type():
    questions = excel.parse(xlsx(GOOD_ROWS))
    assert [q.kind for q in questions] == ["single", "multiple", "true_false", "fill_blank", "essay", "description"]
    single, multiple, tf, fill, essay, desc = questions
    assert [c.is_correct for c in single.choices] == [True, False] and single.category_path == "党章党规/总纲"
    assert [c.is_correct for c in multiple.choices] == [True, True, True, False] and multiple.difficulty == 4
    assert tf.true_false_answer is True
    assert fill.blanks == [["村民代表会议", "村民会议"], ["党员大会"]] and fill.score == Decimal("2")
    assert essay.reference_answer.startswith("要点") and desc.score == 0


def test_excel_bad_rows_are_all_named_and_nothing_is_saved(db):
    rows = GOOD_ROWS + [
        row("连线", "不支持的题型"),
        row("单选", "答案指向空选项", ["甲", "乙"], "C"),
        row("判断", "答案不是正确或错误", [], "可能"),
        row("单选", "", ["甲", "乙"], "A"),
        row("填空", "没有答案"),
        row("单选", "分值不对", ["甲", "乙"], "A", "", "", "很多"),
    ]
    with pytest.raises(ImportFailed) as info:
        parse_file(fmt="excel", content=xlsx(rows))
    text = "\n".join(info.value.errors)
    for number in range(8, 14):
        assert f"第 {number} 行：" in text
    assert "连线" in text
    assert Question.objects.count() == 0


def test_excel_missing_columns_empty_sheet_and_not_excel():
    with pytest.raises(ImportFailed, match="题型"):
        excel.parse(xlsx([["x"]], header=["题干", "答案"]))
    with pytest.raises(ImportFailed, match="文件中没有试题"):
        parse_file(fmt="excel", content=xlsx([]))
    with pytest.raises(ImportFailed, match="不是 Excel"):
        parse_file(fmt="excel", content="题型,题干\n单选,x".encode("gbk"))
    with pytest.raises(ImportFailed, match="文件为空"):
        parse_file(fmt="excel", content=b"")


def test_a_huge_file_is_refused_before_parsing(settings):
    settings.QUIZZES_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportFailed, match="文件过大"):
        parse_file(fmt="gift", content=b"x{T}\n\n" * 500)
    settings.QUIZZES_IMPORT_MAX_QUESTIONS = 3
    settings.QUIZZES_IMPORT_MAX_BYTES = 10**6
    with pytest.raises(ImportFailed, match="每次导入最多 3 道"):
        parse_file(fmt="gift", content=b"x{T}\n\n" * 4)


def test_excel_round_trip_keeps_the_bank(db):
    services.bank_import(questions=excel.parse(xlsx(GOOD_ROWS)), default_category="导入")
    before = _bank_signature()
    exported = exporters.template_workbook(exporters.bank_questions())
    Question.objects.all().delete()
    services.bank_import(questions=excel.parse(exported), default_category="导入")
    assert _bank_signature() == before


def _bank_signature():
    return sorted(
        (q.kind, q.text, q.category.path, q.difficulty, q.score, q.true_false_answer, q.explanation,
         tuple((c.text, c.is_correct) for c in q.choices.order_by("sort_order")),
         tuple(tuple(b.answers()) for b in q.blanks.order_by("sort_order")))
        for q in Question.objects.select_related("category")
    )


# GIFT --------------------------------------------------------------------------------------


def test_gift_good_file_reads_every_supported_form():
    questions = gift.parse((FILES / "good.gift").read_text(encoding="utf-8"))
    kinds = [q.kind for q in questions]
    assert kinds == ["single", "multiple", "true_false", "true_false", "fill_blank", "essay", "description",
                     "single", "single"]
    q1, q2, tf1, tf2, fill, essay, desc, escaped, partial = questions
    assert q1.text == "党的最高理想和最终目标是 ____ 。" and q1.title == "q1"
    assert q1.category_path == "党章党规/党员义务" and q1.choices[1].feedback == "不是最终目标"
    assert q2.multiple_scoring == "weighted" and [c.is_correct for c in q2.choices] == [True, True, True, False]
    assert q2.choices[3].weight == Decimal(-100) and "四落实" in q2.explanation
    assert tf1.true_false_answer is True and tf2.true_false_answer is False
    assert fill.blanks == [["村民代表会议", "村民会议"]]
    assert essay.text == "<p>谈谈你对<b>八项规定</b>的理解。</p>" and essay.category_path == "廉政建设"
    assert desc.text == "<p>以下题目考查<strong>村务公开</strong>。</p>"
    assert escaped.text.startswith("特殊字符 { } = ~ # :") and escaped.choices[0].text == "a=b"
    assert partial.choices[1].weight == Decimal(50) and not partial.choices[1].is_correct


@pytest.mark.parametrize("source, message", [
    ("::没有结束的标题{T}", "标题未以 :: 结束"),
    ("题干{=答案", "答案块未以 } 结束"),
    ("题干}", "没有对应的左花括号"),
    ("题干{=一}又{=二}", "只能包含一个答案块"),
    ("配对题{=北京 -> 中国 =东京}", "写成“题项 -> 答案”"),
    ("数值题{#3.14:abc}", "不是数字"),
    ("题干{~%500%错误权重 =对}", "不是 Moodle 允许的得分比例"),
    ("题干{~%33.33%三分之一 =对}", "不是 Moodle 允许的得分比例"),
    ("只有错项{~甲 ~乙}", "至少需要一个正确选项"),
])
def test_gift_broken_questions_are_named_by_line(source, message):
    text = f"// 注释\n正常题{{T}}\n\n{source}\n"
    with pytest.raises(ImportFailed) as info:
        gift.parse(text)
    assert len(info.value.errors) == 1
    assert info.value.errors[0].startswith("第 4 行：") and message in info.value.errors[0]


def test_gbk_gift_is_decoded_and_undecodable_bytes_are_refused():
    questions = parse_file(fmt="gift", content="村务公开应当定期进行。{T}".encode("gbk"))
    assert questions[0].text == "村务公开应当定期进行。"
    with pytest.raises(ImportFailed, match="无法识别文件的文本编码"):
        parse_file(fmt="gift", content=b"\x81\x30\xff\xff{T}")
    with pytest.raises(ImportFailed, match="不是文本文件"):
        parse_file(fmt="gift", content=b"PK\x03\x04\x00\x00")


def test_gift_round_trip_keeps_the_bank(db):
    services.bank_import(questions=gift.parse((FILES / "good.gift").read_text()), default_category="导入")
    before = _bank_signature()
    text, skipped = gift_export.gift_text(exporters.bank_questions())
    assert skipped == []
    Question.objects.all().delete()
    services.bank_import(questions=gift.parse(text), default_category="导入")
    assert _bank_signature() == before


def test_gift_export_reports_fill_ins_with_several_blanks(db):
    services.bank_import(questions=excel.parse(xlsx(GOOD_ROWS)), default_category="导入")
    _text, skipped = gift_export.gift_text(exporters.bank_questions())
    assert [q.text for q in skipped] == ["表决由____作出。"]


# Moodle XML --------------------------------------------------------------------------------

XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/基层治理</text></category></question>
  <question type="multichoice">
    <name><text>单选</text></name>
    <questiontext format="html"><text><![CDATA[<p>村民委员会每届任期<b>几</b>年？</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>五年</p>]]></text></generalfeedback>
    <defaultgrade>2</defaultgrade>
    <single>true</single>
    <answer fraction="100"><text>五年</text><feedback><text>对</text></feedback></answer>
    <answer fraction="0"><text>三年</text></answer>
  </question>
  <question type="multichoice">
    <name><text>多选</text></name>
    <questiontext format="plain"><text>四落实包括</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>时间</text></answer>
    <answer fraction="50"><text>计划</text></answer>
    <answer fraction="-100"><text>资金</text></answer>
  </question>
  <question type="truefalse">
    <name><text>判断</text></name><questiontext><text>村务要公开</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>填空</text></name><questiontext><text>表决由哪个会议作出？</text></questiontext>
    <answer fraction="100"><text>村民代表会议</text></answer><answer fraction="50"><text>会议</text></answer>
  </question>
  <question type="essay"><name><text>简答</text></name><questiontext><text>谈谈</text></questiontext>
    <graderinfo format="html"><text>要点</text></graderinfo></question>
  <question type="description"><name><text>说明</text></name><questiontext><text>以下</text></questiontext></question>
  __EXTRA__
</quiz>"""


def test_moodle_xml_good_file():
    questions = moodle_xml.parse(XML.replace("__EXTRA__", "").encode())
    assert [q.kind for q in questions] == ["single", "multiple", "true_false", "fill_blank", "essay", "description"]
    single, multiple, tf, fill, essay, _desc = questions
    assert single.text == "<p>村民委员会每届任期<b>几</b>年？</p>" and single.score == Decimal("2.0")
    assert single.category_path == "基层治理" and single.explanation == "<p>五年</p>"
    assert [c.is_correct for c in multiple.choices] == [True, True, False]
    assert tf.true_false_answer is True and fill.blanks == [["村民代表会议"]]
    assert essay.reference_answer == "要点"


def test_moodle_xml_unsupported_and_broken():
    extra = '<question type="ddwtos"><questiontext><text>拖放</text></questiontext></question>\n' \
            '  <question type="cloze"><questiontext><text>完形</text></questiontext></question>'
    with pytest.raises(ImportFailed) as info:
        moodle_xml.parse(XML.replace("__EXTRA__", extra).encode())
    assert info.value.errors == ["第 32 行：暂不支持拖放题。",
                                 "第 33 行：暂不支持嵌入式答案题（完形填空）。"]
    with pytest.raises(ImportFailed, match="第 2 行：XML 格式不正确"):
        moodle_xml.parse(b"<quiz>\n<question></quiz>")
    with pytest.raises(ImportFailed, match="<quiz>"):
        moodle_xml.parse(b"<html/>")


def test_moodle_xml_does_not_expand_entities():
    bomb = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa">]><quiz><question type="essay">' \
           b"<questiontext><text>x&a;</text></questiontext></question></quiz>"
    questions = moodle_xml.parse(bomb)
    assert "aaaaaaaaaa" not in questions[0].text


# Saving ------------------------------------------------------------------------------------


def test_bank_import_creates_category_tree_and_is_atomic(db, monkeypatch):
    questions = excel.parse(xlsx(GOOD_ROWS))
    services.bank_import(questions=questions, default_category="导入/未分类")
    assert Question.objects.count() == 6
    assert Question.objects.get(kind="single").category.parent.name == "党章党规"

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Blank.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        services.bank_import(questions=questions, default_category="导入")
    assert Question.objects.count() == 6


# Parsers never crash -----------------------------------------------------------------------

GIFT_ALPHABET = st.sampled_from(list("{}=~#:%->\\\n $CATEGORY[html]TF单选题0123456789.ab/"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.text(max_size=200), st.text(alphabet=GIFT_ALPHABET, max_size=200)))
def test_gift_parser_only_refuses_never_crashes(text):
    try:
        gift.parse(text)
    except ImportFailed as error:
        assert error.errors


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_file_readers_only_refuse_never_crash(content):
    for fmt in ("gift", "excel", "xml"):
        try:
            parse_file(fmt=fmt, content=content)
        except ImportFailed as error:
            assert error.errors


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), max_size=15),
                         min_size=11, max_size=17), max_size=4))
def test_excel_rows_only_refuse_never_crash(rows):
    try:
        excel.parse(xlsx(rows))
    except ImportFailed as error:
        assert error.errors
