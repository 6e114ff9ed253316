"""Staff admin: bank and quiz viewsets, question preview, imports/exports, essay queue, statistics."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lms.quizzes import services
from lms.quizzes.importers import excel, moodle_xml
from lms.quizzes.models import Attempt, Question, QuizQuestion

from .test_imports import GOOD_ROWS, xlsx


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def _answered_attempt(quiz, user, *, right: bool):
    attempt = services.attempt_start(quiz=quiz, user=user)
    answers = {}
    for item in attempt.items.all():
        if item.kind == "true_false":
            answers[item.position] = {"value": item.payload["answer"] if right else not item.payload["answer"]}
        elif item.kind == "single":
            picks = [o["id"] for o in item.payload["options"] if o["correct"] == right]
            answers[item.position] = {"choices": picks[:1]}
    services.attempt_save_answers(attempt=attempt, answers=answers)
    return services.attempt_submit(attempt=attempt)


def test_staff_see_the_bank_quizzes_and_categories(staff, quiz):
    for name in ("quiz_questions:index", "quizzes_quiz:index", "quiz_categories:index",
                 "quiz_questions:add", "quizzes_quiz:add"):
        assert staff.get(reverse(name)).status_code == 200, name
    assert staff.get(reverse("quizzes_quiz:edit", args=[quiz.pk])).status_code == 200


def test_learners_and_organisers_cannot_reach_quiz_admin(client, learner_user, organiser_user, quiz):
    for user in (learner_user, organiser_user):
        client.force_login(user)
        for url in (reverse("quiz_questions:index"), reverse("quizzes_admin:essays"),
                    reverse("quizzes_admin:import"), reverse("quizzes_admin:statistics", args=[quiz.pk])):
            assert client.get(url).status_code in (302, 403), (user, url)


def _question_post(kind, choices, **extra):
    return nested_form_data({
        "category": extra.pop("category"), "kind": kind, "difficulty": 3, "score": "1", "text": "新题",
        "multiple_scoring": "all", "true_false_answer": "", "reference_answer": "", "explanation": "",
        "title": "", "tags": "", "is_active": "on",
        "choices": inline_formset([{"text": t, "is_correct": "on" if ok else "", "weight": "", "feedback": ""}
                                   for t, ok in choices]),
        "blanks": inline_formset([]),
        **extra,
    })


def test_question_form_checks_options_against_the_type(staff, category):
    url = reverse("quiz_questions:add")
    bad = staff.post(url, _question_post("single", [("甲", True), ("乙", True)], category=category.pk))
    assert bad.status_code == 200 and Question.objects.count() == 0
    assert "单选题必须有且只有一个正确选项" in bad.content.decode()
    good = staff.post(url, _question_post("single", [("甲", True), ("乙", False)], category=category.pk))
    assert good.status_code == 302
    assert list(Question.objects.get().choices.values_list("text", "is_correct")) == [("甲", True), ("乙", False)]


def test_question_preview_shows_what_a_learner_sees(staff, bank):
    listing = staff.get(reverse("quiz_questions:index")).content.decode()
    assert reverse("quizzes_admin:question_preview", args=[bank["single"].pk]) in listing
    html = staff.get(reverse("quizzes_admin:question_preview", args=[bank["single"].pk])).content.decode()
    assert "党的最高理想和最终目标是？" in html and 'type="radio"' in html and "实现共产主义" in html


def _option_texts(html: str) -> list[str]:
    return re.findall(r'<span class="letter">[A-Z]</span><span>([^<]*)</span>', html)


def test_editor_live_preview_shows_unsaved_text_and_options_as_the_learner_sees_them(staff, bank):
    question = bank["single"]
    kept, dropped, renamed = question.choices.order_by("sort_order")
    edit = staff.get(reverse("quiz_questions:edit", args=[question.pk])).content.decode()
    preview_url = reverse("quiz_questions:preview_on_edit", args=[question.pk])
    assert f'data-w-preview-url-value="{preview_url}"' in edit
    data = _question_post("single", [], category=question.category_id, text="未保存的题干：党的根本宗旨是？")
    data.update(nested_form_data({"choices": inline_formset([
        {"id": kept.pk, "text": kept.text, "is_correct": "on", "weight": "", "feedback": ""},
        {"id": dropped.pk, "text": dropped.text, "is_correct": "", "weight": "", "feedback": "", "DELETE": "1"},
        {"id": renamed.pk, "text": "改过的选项", "is_correct": "", "weight": "", "feedback": ""},
        {"text": "新加的选项", "is_correct": "", "weight": "", "feedback": ""},
    ], initial=3)}))
    assert staff.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    html = staff.get(preview_url, {"in_preview_panel": "true"}).content.decode()
    assert "未保存的题干：党的根本宗旨是？" in html and 'type="radio"' in html
    assert _option_texts(html) == ["实现共产主义", "改过的选项", "新加的选项"]
    question.refresh_from_db()
    assert question.text == "党的最高理想和最终目标是？" and question.choices.count() == 3


def test_live_preview_of_a_new_question_shows_its_blanks(staff, category):
    preview_url = reverse("quiz_questions:preview_on_add")
    assert f'data-w-preview-url-value="{preview_url}"' in staff.get(reverse("quiz_questions:add")).content.decode()
    data = _question_post("fill_blank", [], category=category.pk, text="“四议两公开”中的两公开是____和____。")
    data.update(nested_form_data({"blanks": inline_formset([{"accepted_answers": "决议公开"},
                                                            {"accepted_answers": "结果公开"}])}))
    assert staff.post(preview_url, data).json()["is_valid"] is True
    html = staff.get(preview_url).content.decode()
    assert "“四议两公开”中的两公开是____和____。" in html
    assert html.count('type="text" name="q0_b') == 2
    assert Question.objects.count() == 0


def test_copying_a_question_previews_the_copy_as_a_new_question(staff, bank):
    copy = staff.get(reverse("quiz_questions:copy", args=[bank["single"].pk])).content.decode()
    assert f'data-w-preview-url-value="{reverse("quiz_questions:preview_on_add")}"' in copy


def test_learners_cannot_use_the_live_preview(client, learner_user, bank):
    client.force_login(learner_user)
    url = reverse("quiz_questions:preview_on_edit", args=[bank["single"].pk])
    response = client.post(url, _question_post("single", [("甲", True)], category=bank["single"].category_id))
    assert response.status_code in (302, 403)
    assert "党的最高理想" not in client.get(url).content.decode()


def test_import_view_previews_then_imports_only_on_confirm(staff, settings, tmp_path):
    settings.QUIZZES_IMPORT_STAGING_DIR = tmp_path
    url = reverse("quizzes_admin:import")
    good = io.BytesIO(xlsx(GOOD_ROWS))
    good.name = "bank.xlsx"
    preview = staff.post(url, {"format": "excel", "file": good, "category": "导入"})
    html = preview.content.decode()
    assert preview.status_code == 200 and "可导入 6 道试题" in html and "党章党规/总纲" in html
    assert Question.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = staff.post(url, {"action": "confirm", "token": token})
    assert response.status_code == 302 and Question.objects.count() == 6
    assert list(tmp_path.iterdir()) == []


def test_import_view_lists_refused_questions_and_imports_the_rest(staff, settings, tmp_path):
    settings.QUIZZES_IMPORT_STAGING_DIR = tmp_path
    url = reverse("quizzes_admin:import")
    bad = io.BytesIO("村务要公开吗{=要 ~不要}\n\n数值{#abc}\n".encode("gbk"))
    bad.name = "bank.gift"
    preview = staff.post(url, {"format": "gift", "file": bad, "category": "导入"})
    html = preview.content.decode()
    assert "第 3 行：数值答案“abc”不是数字" in html and "1 道试题不会导入" in html
    assert Question.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    staff.post(url, {"action": "confirm", "token": token})
    assert list(Question.objects.values_list("text", flat=True)) == ["村务要公开吗"]


def test_import_view_cancel_saves_nothing_and_others_cannot_confirm(staff, client, settings, tmp_path,
                                                                    learner_user):
    settings.QUIZZES_IMPORT_STAGING_DIR = tmp_path
    url = reverse("quizzes_admin:import")
    good = io.BytesIO(xlsx(GOOD_ROWS))
    good.name = "bank.xlsx"
    html = staff.post(url, {"format": "excel", "file": good, "category": "导入"}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = staff.post(url, {"action": "cancel", "token": token}, follow=True)
    assert "已取消导入" in response.content.decode() and Question.objects.count() == 0
    expired = staff.post(url, {"action": "confirm", "token": token}, follow=True)
    assert "上传的文件已失效" in expired.content.decode() and Question.objects.count() == 0


def test_unreadable_file_is_refused_whole(staff, settings, tmp_path):
    settings.QUIZZES_IMPORT_STAGING_DIR = tmp_path
    broken = io.BytesIO(xlsx(GOOD_ROWS)[:900])
    broken.name = "bank.xlsx"
    html = staff.post(reverse("quizzes_admin:import"), {"format": "excel", "file": broken,
                                                        "category": "导入"}).content.decode()
    assert "未导入" in html and 'name="token"' not in html and Question.objects.count() == 0


def test_template_and_exports_download(staff, bank):
    template = staff.get(reverse("quizzes_admin:import_template"))
    assert [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]] == excel.HEADERS
    exported = staff.get(reverse("quizzes_admin:export"), {"format": "excel"})
    assert len(excel.parse(exported.content)) == 6
    gift = staff.get(reverse("quizzes_admin:export"), {"format": "gift"}).content.decode()
    assert "$CATEGORY: $course$/top/党章党规/党员义务" in gift and "{T" in gift
    xml = staff.get(reverse("quizzes_admin:export"), {"format": "xml"}).content
    assert len(moodle_xml.parse(xml)) == 5 and b"<!-- 1 " in xml


def test_essay_queue_and_grading(staff, quiz, bank, learner_user):
    QuizQuestion.objects.create(quiz=quiz, question=bank["essay"], sort_order=9)
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    essay = attempt.items.get(kind="essay")
    services.attempt_save_answers(attempt=attempt, answers={essay.position: {"text": "发展特色产业"}})
    services.attempt_submit(attempt=attempt)
    queue = staff.get(reverse("quizzes_admin:essays")).content.decode()
    assert reverse("quizzes_admin:essay_grade", args=[essay.pk]) in queue
    page = staff.get(reverse("quizzes_admin:essay_grade", args=[essay.pk])).content.decode()
    assert "发展特色产业" in page
    too_much = staff.post(reverse("quizzes_admin:essay_grade", args=[essay.pk]), {"score": "9", "comment": ""})
    assert too_much.status_code == 200
    staff.post(reverse("quizzes_admin:essay_grade", args=[essay.pk]), {"score": "3.5", "comment": "观点明确"})
    essay.refresh_from_db()
    assert essay.score == Decimal("3.50") and essay.comment == "观点明确"
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.GRADED
    assert "暂无待评分的简答题" in staff.get(reverse("quizzes_admin:essays")).content.decode()


def test_statistics_page_and_export(staff, quiz, county, django_assert_max_num_queries):
    from tests.factories import learner_for

    people = county["people"]["east"] + county["people"]["west"]
    for i, person in enumerate(people[:9]):
        _answered_attempt(quiz, learner_for(person), right=i < 5)
    with django_assert_max_num_queries(20):
        response = staff.get(reverse("quizzes_admin:statistics", args=[quiz.pk]))
    html = response.content.decode()
    assert "9 learners" in html or "9" in html
    from lms.quizzes.statistics import question_statistics, quiz_statistics

    stats = quiz_statistics(quiz=quiz)
    assert stats["attempts"] == 9 and stats["distribution"][0]["count"] == 4
    tf = next(q for q in question_statistics(quiz=quiz) if q["kind"] == "true_false")
    assert tf["facility"] == round(5 / 9, 2) and tf["discrimination"] == 1.0
    assert sum(p["count"] for p in tf["picks"]) == 9
    assert [p["count"] for p in tf["picks"] if p["correct"]] == [5]
    single = next(q for q in question_statistics(quiz=quiz) if q["kind"] == "single")
    assert [p["count"] for p in single["picks"] if p["correct"]] == [5]
    export = staff.get(reverse("quizzes_admin:statistics_export", args=[quiz.pk]))
    workbook = load_workbook(io.BytesIO(export.content))
    assert workbook.worksheets[2].max_row == 10


def _quiz_post(**overrides):
    data = {
        "title": "村务公开测验", "description": "", "course": "", "lesson": "", "class_id": "",
        "display_mode": "one", "shuffle_questions": "on", "shuffle_options": "on", "time_limit_minutes": "15",
        "max_attempts": "2", "opens_at": "", "closes_at": "", "pass_mark": "60", "credit_hours": "0.5",
        "review_policy": "after_submit", "is_published": "on",
        "fixed_questions": inline_formset([]),
        "draw_rules": inline_formset([{"count": "2", "kind": "true_false", "score": "", "category": "",
                                       "include_subcategories": "on", "difficulty_min": "1",
                                       "difficulty_max": "5", "tag": ""}]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_staff_build_a_quiz_with_a_draw_rule(staff, bank):
    from lms.quizzes.models import Quiz

    refused = staff.post(reverse("quizzes_quiz:add"), _quiz_post(review_policy="after_close"))
    assert refused.status_code == 200 and not Quiz.objects.exists()
    response = staff.post(reverse("quizzes_quiz:add"), _quiz_post())
    assert response.status_code == 302
    quiz = Quiz.objects.get()
    rule = quiz.draw_rules.get()
    assert (rule.count, rule.kind, quiz.time_limit_minutes) == (2, "true_false", 15)


def test_statistics_count_attempts_whose_time_ran_out_while_the_learner_was_away(staff, quiz, learner_user):
    from datetime import timedelta

    from django.utils import timezone

    quiz.time_limit_minutes = 5
    quiz.save()
    services.attempt_start(quiz=quiz, user=learner_user, now=timezone.now() - timedelta(hours=2))
    html = staff.get(reverse("quizzes_admin:statistics", args=[quiz.pk])).content.decode()
    assert 'id="quiz-summary"' in html and "0.0%" in html
    # The page counted it without writing: grading it is Celery beat's job.
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS
    services.attempts_close_expired()
    attempt = Attempt.objects.get()
    assert attempt.status == Attempt.Status.GRADED and attempt.timed_out
    assert staff.get(reverse("quizzes_admin:statistics", args=[quiz.pk])).content.decode().count("0.0%") == \
        html.count("0.0%")
