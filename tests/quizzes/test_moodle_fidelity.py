"""GIFT and Moodle XML read as Moodle's importer reads them: the cases of Moodle's own importer unit tests
(qformat_gift, qformat_xml), the failures seen with real files, and files that must be refused whole."""

import base64
import io
import zipfile
from decimal import Decimal

import pytest
from PIL import Image
from wagtail.images import get_image_model

from lms.quizzes import grading, services
from lms.quizzes.importers import excel, gift, moodle_xml, read_file
from lms.quizzes.models import Question, QuestionCategory
from lms.quizzes.questiondata import ImportFailed

from .test_imports import GOOD_ROWS, row, xlsx


def one(text: str):
    report = gift.read(text)
    assert not report.refusals, report.refusals
    assert len(report.questions) == 1
    return report.questions[0]


def refused(text: str) -> str:
    report = gift.read(text)
    assert not report.questions
    return " ".join(r.reason for r in report.refusals)


# GIFT: Moodle's importer test cases ----------------------------------------------------------


def test_gift_essay():
    q = one("// essay\n::Q8:: How are you? {}")
    assert (q.kind, q.title, q.text) == ("essay", "Q8", "How are you?")


def test_gift_single_choice_with_feedback():
    q = one("// multiple choice with specified feedback for right and wrong answers\n"
            "::Q2:: What's between orange and green in the spectrum?\n"
            "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }")
    assert q.kind == "single"
    assert [(c.text, c.is_correct, c.feedback) for c in q.choices] == [
        ("yellow", True, "right; good!"), ("red", False, "wrong, it's yellow"), ("blue", False, "wrong, it's yellow")]


def test_gift_choice_without_equals_is_multiple_answer_with_formats_on_answers():
    q = one("::colours:: What's between orange and green in the spectrum?\n"
            "{\n~%50%yellow # right; good!\n~%-100%red # wrong\n~%50%off-beige # right; good!\n"
            "~%-100%[html]<b>blue</b> # wrong\n}")
    assert q.kind == "multiple" and q.multiple_scoring == "weighted"
    assert [c.weight for c in q.choices] == [50, -100, 50, -100]
    assert [c.is_correct for c in q.choices] == [True, False, True, False]
    assert q.choices[3].text == "<b>blue</b>" and "[html]" not in q.choices[3].text


def test_gift_one_full_weight_without_equals_is_still_multiple_answer():
    q = one("Pick {~%100%right ~wrong ~also wrong}")
    assert q.kind == "multiple" and [c.is_correct for c in q.choices] == [True, False, False]


def test_gift_numerical_with_wrong_answer_feedback():
    q = one("// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert q.kind == "numerical"
    assert q.spec["answers"] == [
        {"value": "3", "tolerance": "2", "fraction": "100", "feedback": ""},
        {"value": "*", "tolerance": "0", "fraction": "0", "feedback": "Completely wrong"},
    ]


def test_gift_numerical_range_and_several_graded_answers():
    assert one("Between {#1..5}").spec["answers"][0] == {"value": "3", "tolerance": "2", "fraction": "100",
                                                          "feedback": ""}
    q = one("When was Ulysses S. Grant born? {#=1822:0 =%50%1822:2}")
    assert [(a["value"], a["tolerance"], a["fraction"]) for a in q.spec["answers"]] == [
        ("1822", "0", "100"), ("1822", "2", "50")]


def test_gift_short_answer_with_partial_credit_wildcard_and_general_feedback():
    q = one("::Shortanswer::Which is the best animal?{=Frog#Good!=%50%Cat#What is it with Moodlers and cats?"
            "=%0%*#Completely wrong####Here is some general feedback!}")
    assert q.kind == "fill_blank" and q.blanks == [["Frog"]]
    assert [(a["text"], a["fraction"], a["feedback"]) for a in q.spec["answers"]] == [
        ("Frog", "100", "Good!"), ("Cat", "50", "What is it with Moodlers and cats?"),
        ("*", "0", "Completely wrong")]
    assert q.explanation == "Here is some general feedback!"


def test_gift_true_false_keeps_both_feedbacks():
    q = one("// true/false\n::Q1:: 42 is the Absolute Answer to everything.{FALSE#42 is the Ultimate Answer."
            "#You gave the right answer.}")
    assert q.kind == "true_false" and q.true_false_answer is False
    assert q.spec == {"feedback_true": "42 is the Ultimate Answer.", "feedback_false": "You gave the right answer."}
    assert one("// name 0-11\n::2-08 TSL::TSL is blablabla.{T}").true_false_answer is True


def test_gift_lowercase_true_and_unmarked_answers_are_short_answers_as_in_moodle():
    assert one("Is it? {true}").blanks == [["true"]]
    assert one("Who? {Frog =%50%Cat}").spec["answers"][:2] == [
        {"text": "Frog", "fraction": "100", "feedback": ""}, {"text": "Cat", "fraction": "50", "feedback": ""}]
    assert [a["value"] for a in one("Pi? {#3.14:0.005 =%50%3.1:0.05}").spec["answers"]] == ["3.14", "3.1"]


def test_gift_matching_with_a_distractor():
    q = one("::Moodle::Match{=Moodle -> cms =Joomla -> cms =[html]<b>Drupal</b> -> cms2 = -> 干扰}")
    assert q.kind == "matching" and q.spec["pairs"] == [
        {"prompt": "Moodle", "answer": "cms"}, {"prompt": "Joomla", "answer": "cms"},
        {"prompt": "<b>Drupal</b>", "answer": "cms2"}, {"prompt": "", "answer": "干扰"}]
    assert "写成“题项 -> 答案”" in refused("配对{=北京 -> 中国 =东京}")
    assert "至少需要两对" in refused("配对{=北京 -> 中国 = -> 日本}")


def test_matching_grading_counts_each_item():
    payload = {"blanks": [["中国"], ["日本"], ["法国"]], "prompts": ["北京", "东京", "巴黎"],
               "menu": ["中国", "日本", "法国", "英国"]}
    score, ok = grading.grade(kind="matching", payload=payload, response={"blanks": ["中国", "日本", "英国"]},
                              max_score=Decimal(3))
    assert (score, ok) == (Decimal("2.00"), False)


def test_gift_tags_and_idnumber_from_comments():
    q = one("// [id:myid] [tag:党章] [tag:廉政 建设]\n::Question name:: How are you? {}")
    assert q.tags == ["党章", "廉政 建设"] and any("myid" in note for note in q.ignored)


def test_gift_markdown_and_html_in_question_and_feedback_are_rendered_and_sanitised():
    q = one("[markdown]**粗体**和 *斜体*{=对#[html]<em>好</em><script>alert(1)</script> ~错 ####[plain]<b>字面</b>}")
    assert q.text == "<p><strong>粗体</strong>和 <em>斜体</em></p>"
    assert q.choices[0].feedback == "<em>好</em>" and "script" not in q.choices[0].feedback
    assert q.explanation == "<b>字面</b>"  # plain text is kept as typed and escaped when shown


def test_gift_category_contexts_and_escaped_slash():
    report = gift.read("$CATEGORY: $module$/top/党章//党规/义务\n\n题一{T}\n\n$CATEGORY: $system$/top\n\n题二{F}")
    assert [q.category_path for q in report.questions] == ["党章／党规/义务", ""]


@pytest.mark.parametrize("weight", ["33.33", "99", "1e6", "NaN", "200"])
def test_gift_weights_moodle_does_not_allow_are_refused(weight):
    assert "不是 Moodle 允许的得分比例" in refused(f"题{{~%{weight}%甲 ~%{weight}%乙 ~%-100%丙}}")


def test_gift_thirds_sum_to_full_marks():
    q = one("四落实{~%33.33333%时间 ~%33.333%计划 ~%33.3333%人员 ~%-100%资金}")
    assert sum(c.weight for c in q.choices if c.weight > 0) == Decimal("99.99999")
    payload = {"options": [{"id": i, "correct": c.is_correct, "weight": str(c.weight)}
                           for i, c in enumerate(q.choices)], "scoring": "weighted"}
    score, _ok = grading.grade(kind="multiple", payload=payload, response={"choices": [0, 1, 2]},
                               max_score=Decimal(100))
    assert score == Decimal("100.00")


def test_one_bad_question_does_not_stop_the_others():
    report = gift.read("好题{T}\n\n坏题{~%7%甲 =乙}\n\n又一好题{F}")
    assert [q.text for q in report.questions] == ["好题", "又一好题"]
    assert len(report.refusals) == 1 and report.refusals[0].line == 3


# Moodle XML ----------------------------------------------------------------------------------

PNG = io.BytesIO()
Image.new("RGB", (2, 2), "red").save(PNG, format="PNG")
PNG64 = base64.b64encode(PNG.getvalue()).decode()


def xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>'.encode()


def xml_one(body: str):
    report = moodle_xml.read(xml(body))
    assert not report.refusals, report.refusals
    return report.questions[0]


def test_xml_truefalse_and_shortanswer_keep_feedback_and_case():
    tf = xml_one('<question type="truefalse"><name><text>TF</text></name>'
                 '<questiontext format="html"><text>村务要公开</text></questiontext>'
                 '<answer fraction="100" format="moodle_auto_format"><text>true</text><feedback><text>对</text>'
                 '</feedback></answer><answer fraction="0"><text>false</text><feedback><text>错了</text></feedback>'
                 '</answer></question>')
    assert tf.true_false_answer is True and tf.spec == {"feedback_true": "对", "feedback_false": "错了"}
    sa = xml_one('<question type="shortanswer"><name><text>SA</text></name><questiontext><text>动物</text>'
                 '</questiontext><usecase>1</usecase><answer fraction="100"><text>Frog</text><feedback>'
                 '<text>好</text></feedback></answer><answer fraction="50"><text>C*t</text></answer></question>')
    assert sa.spec["case_sensitive"] is True and sa.spec["answers"][1] == {"text": "C*t", "fraction": "50",
                                                                          "feedback": ""}


def test_xml_numerical_with_units():
    q = xml_one('<question type="numerical"><name><text>N</text></name><questiontext><text>长度</text>'
                '</questiontext><answer fraction="100"><text>1.5</text><tolerance>0.01</tolerance></answer>'
                '<units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit>'
                '<unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit></units></question>')
    assert q.kind == "numerical" and q.spec["units"][1] == {"unit": "cm", "multiplier": "100"}
    spec = q.spec
    assert grading.numerical_answer(spec["answers"], "150 cm", spec["units"])["fraction"] == "100"
    assert grading.numerical_answer(spec["answers"], "1.6", spec["units"]) is None


@pytest.mark.parametrize("qtype, name", [("cloze", "嵌入式答案题"), ("multianswer", "嵌入式答案题"),
                                         ("calculated", "计算"), ("ddwtos", "拖放")])
def test_xml_types_the_bank_cannot_hold_are_refused_by_name(qtype, name):
    report = moodle_xml.read(xml(f'<question type="{qtype}"><questiontext><text>x</text></questiontext>'
                                 '</question><question type="truefalse"><questiontext><text>好</text>'
                                 '</questiontext><answer fraction="100"><text>true</text></answer>'
                                 '<answer fraction="0"><text>false</text></answer></question>'))
    assert name in report.refusals[0].reason and [q.text for q in report.questions] == ["好"]


@pytest.mark.parametrize("fraction", ["NaN", "1e6", "33.3", "abc", "-Infinity"])
def test_xml_fractions_moodle_does_not_allow_are_refused(fraction):
    report = moodle_xml.read(xml(f'<question type="multichoice"><questiontext><text>x</text></questiontext>'
                                 f'<single>false</single><answer fraction="{fraction}"><text>甲</text></answer>'
                                 '<answer fraction="100"><text>乙</text></answer></question>'))
    assert not report.questions and "不是 Moodle 允许的得分比例" in report.refusals[0].reason


def test_xml_tags_category_escape_rich_text_and_ignored_settings():
    q = xml_one('<question type="category"><category><text>$course$/top/党建//组织/考核</text></category>'
                '</question><question type="multichoice"><name><text>M</text></name>'
                '<questiontext format="html"><text><![CDATA[<ul><li>一</li></ul><pre>代码</pre>'
                '<a href="https://x.cn" onclick="evil()">链接</a><img src="javascript:alert(1)">]]></text>'
                '</questiontext><penalty>0.5</penalty><hint><text>想想</text></hint><idnumber>Q7</idnumber>'
                '<answer fraction="100"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer>'
                '<tags><tag><text>党章</text></tag><tag><text>考核</text></tag></tags></question>')
    assert q.category_path == "党建／组织/考核" and q.tags == ["党章", "考核"]
    assert "<ul><li>一</li></ul><pre>代码</pre>" in q.text and 'href="https://x.cn"' in q.text
    assert "onclick" not in q.text and "javascript" not in q.text
    assert {"每次重答的扣分", "提示", "ID 号"} <= set(q.ignored)


def test_xml_embedded_image_becomes_a_wagtail_image_and_other_files_are_named(db):
    q = xml_one('<question type="essay"><name><text>E</text></name><questiontext format="html"><text><![CDATA['
                '<p>看图<img src="@@PLUGINFILE@@/map.png" alt="地图"></p><a href="@@PLUGINFILE@@/a.pdf">附件</a>]]>'
                f'</text><file name="map.png" path="/" encoding="base64">{PNG64}</file>'
                '<file name="a.pdf" path="/" encoding="base64">JVBERi0xLjQ=</file></questiontext></question>')
    assert list(q.images) == ["map.png"] and any("a.pdf" in note for note in q.ignored)
    services.bank_import(questions=[q], default_category="导入")
    saved = Question.objects.get()
    image = get_image_model().objects.get(title="map.png")
    assert "@@PLUGINFILE@@" not in saved.text and f'src="{image.file.url}"' in saved.text


# Refused whole or per question, never a crash --------------------------------------------


def test_category_level_longer_than_its_column_is_refused_by_name(db):
    report = gift.read(f"$CATEGORY: {'党' * 61}/子类\n\n题{{T}}")
    assert not report.questions and "最多允许 60 个字" in report.refusals[0].reason
    report = gift.read("$CATEGORY: " + "/".join(["分类名称很长的一级"] * 45) + "\n\n题{T}")
    assert not report.questions and "分类路径长" in report.refusals[0].reason
    with pytest.raises(ImportFailed, match="默认分类"):
        services.bank_import(questions=gift.parse("题{T}"), default_category="长" * 61)
    assert QuestionCategory.objects.count() == 0


@pytest.mark.parametrize("damage", ["cut", "garbage"])
def test_damaged_xlsx_sheet_is_refused_with_a_clear_message(damage):
    good = xlsx(GOOD_ROWS)
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] if damage == "cut" else b"<worksheet>\x00\xff garbage <<"
            target.writestr(item, data)
    with pytest.raises(ImportFailed) as info:
        read_file(fmt="excel", content=out.getvalue())
    assert "工作簿已损坏" in info.value.errors[0] or "不是 Excel" in info.value.errors[0]


def test_xml_matching():
    q = xml_one('<question type="matching"><name><text>M</text></name><questiontext><text>配对</text>'
                '</questiontext><subquestion format="html"><text><![CDATA[<p>北京</p>]]></text><answer>'
                '<text>中国</text></answer></subquestion><subquestion format="html"><text>东京</text><answer>'
                '<text>日本</text></answer></subquestion><subquestion format="html"><text></text><answer>'
                '<text>法国</text></answer></subquestion></question>')
    assert q.kind == "matching" and q.spec["pairs"] == [
        {"prompt": "<p>北京</p>", "answer": "中国"}, {"prompt": "东京", "answer": "日本"},
        {"prompt": "", "answer": "法国"}]


def test_excel_matching_row():
    q = excel.parse(xlsx([row("配对", "连线", ["北京 -> 中国", "东京 → 日本", " -> 法国"])]))[0]
    assert q.kind == "matching" and q.spec["pairs"][1] == {"prompt": "东京", "answer": "日本"}


def test_excel_numerical_row():
    q = excel.parse(xlsx([row("计算", "圆周率约为？", [], "3.14±0.01")]))[0]
    assert q.kind == "numerical" and q.spec["answers"][0]["tolerance"] == "0.01"


# Grading the new kinds -----------------------------------------------------------------------


def test_short_answer_grading_takes_the_first_matching_answer_with_wildcards():
    payload = {"blanks": [["村民代表会议"]], "graded": [
        {"text": "村民代表会议", "fraction": "100"}, {"text": "*会议", "fraction": "50"},
        {"text": "*", "fraction": "0"}]}
    marks = [grading.grade(kind="fill_blank", payload=payload, response={"blanks": [given]}, max_score=Decimal(2))
             for given in ("村民代表会议", "党员大会议", "不知道", "")]
    assert marks == [(Decimal("2.00"), True), (Decimal("1.00"), False), (Decimal("0.00"), False),
                     (Decimal("0.00"), False)]


def test_numerical_grading_with_tolerance():
    payload = {"blanks": [["3.14 ± 0.01"]], "numerical": {"answers": [
        {"value": "3.14", "tolerance": "0.01", "fraction": "100"}, {"value": "3", "tolerance": "0.2",
                                                                  "fraction": "50"}]}}
    marks = [grading.grade(kind="numerical", payload=payload, response={"blanks": [given]}, max_score=Decimal(4))[0]
             for given in ("3.15", "３.１３", "3.1", "2.9", "abc")]
    assert marks == [Decimal("4.00"), Decimal("4.00"), Decimal("2.00"), Decimal("2.00"), Decimal("0.00")]
