"""Attempts: snapshots, random draws, the server-side deadline, resume, double submit, essays, pass service."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.quizzes import services
from lms.quizzes.models import Attempt, DrawRule, Question, QuestionCategory, Quiz, QuizQuestion
from lms.quizzes.selectors import passed_quizzes_for_user

from .conftest import make_question


def _answer_all_right(attempt):
    answers = {}
    for item in attempt.items.all():
        if item.kind in ("single", "multiple"):
            answers[item.position] = {"choices": sorted(o["id"] for o in item.payload["options"] if o["correct"])}
        elif item.kind == "true_false":
            answers[item.position] = {"value": item.payload["answer"]}
        elif item.kind == "fill_blank":
            answers[item.position] = {"blanks": [b[0] for b in item.payload["blanks"]]}
    services.attempt_save_answers(attempt=attempt, answers=answers)


def test_attempt_snapshot_survives_later_edits_to_the_bank(quiz, bank, learner_user):
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    _answer_all_right(attempt)
    services.attempt_submit(attempt=attempt)
    single = bank["single"]
    single.text = "改过的题干"
    single.save()
    single.choices.update(is_correct=False)
    item = attempt.items.get(question=single)
    assert item.text == "党的最高理想和最终目标是？"
    assert [o["text"] for o in item.payload["options"]] == ["实现共产主义", "全面小康", "乡村振兴"]
    attempt.refresh_from_db()
    assert attempt.score == Decimal("6.00") and attempt.passed


def test_random_draws_honour_category_type_difficulty_and_count(category, learner_user):
    other = QuestionCategory.objects.create(name="廉政建设")
    sub = QuestionCategory.objects.create(name="八项规定", parent=other)
    good = [make_question(sub, "single", f"题{i}", choices=[("对", True), ("错", False)], difficulty=2 + i % 2)
            for i in range(8)]
    make_question(sub, "single", "太难", choices=[("对", True), ("错", False)], difficulty=5)
    make_question(sub, "true_false", "类型不符", tf=True, difficulty=2)
    make_question(category, "single", "别的分类", choices=[("对", True), ("错", False)], difficulty=2)
    quiz = Quiz.objects.create(title="抽题", is_published=True, max_attempts=0)
    DrawRule.objects.create(quiz=quiz, count=5, category=other, kind="single", difficulty_min=2, difficulty_max=3)
    good_ids = {q.pk for q in good}
    seen = set()
    for seed in range(6):
        attempt = services.attempt_start(quiz=quiz, user=learner_user, rng=random.Random(seed))
        drawn = [i.question_id for i in attempt.items.all()]
        assert len(drawn) == 5 and len(set(drawn)) == 5
        assert set(drawn) <= good_ids
        seen |= set(drawn)
        services.attempt_submit(attempt=attempt)
    assert len(seen) > 5  # different learners and attempts get different draws


def test_a_draw_the_bank_cannot_fill_refuses_to_start(category, learner_user):
    quiz = Quiz.objects.create(title="抽题", is_published=True)
    DrawRule.objects.create(quiz=quiz, count=3, category=category)
    with pytest.raises(services.QuizError, match="3"):
        services.attempt_start(quiz=quiz, user=learner_user)
    assert not Attempt.objects.exists()


def test_fixed_questions_are_not_drawn_twice(category, learner_user):
    qs = [make_question(category, "true_false", f"题{i}", tf=True) for i in range(3)]
    quiz = Quiz.objects.create(title="混合", is_published=True)
    QuizQuestion.objects.create(quiz=quiz, question=qs[0])
    DrawRule.objects.create(quiz=quiz, count=2, category=category, score=Decimal("3"))
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    assert sorted(i.question_id for i in attempt.items.all()) == sorted(q.pk for q in qs)
    assert attempt.max_score == Decimal("7")


def test_shuffle_keeps_the_key_with_each_option(quiz, learner_user):
    quiz.shuffle_options = quiz.shuffle_questions = True
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner_user, rng=random.Random(3))
    item = attempt.items.get(kind="single")
    assert {o["text"]: o["correct"] for o in item.payload["options"]}["实现共产主义"] is True


def test_deadline_is_enforced_by_the_server(quiz, learner_user):
    quiz.time_limit_minutes = 10
    quiz.save()
    start = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=learner_user, now=start)
    single = attempt.items.get(kind="single")
    right = [o["id"] for o in single.payload["options"] if o["correct"]]
    services.attempt_save_answers(attempt=attempt, answers={single.position: {"choices": right}},
                                  now=start + timedelta(minutes=10, seconds=10))  # within the grace
    tf = attempt.items.get(kind="true_false")
    with pytest.raises(services.AttemptClosed):
        services.attempt_save_answers(attempt=attempt, answers={tf.position: {"value": True}},
                                      now=start + timedelta(minutes=12))
    attempt = services.attempt_submit(attempt=attempt, now=start + timedelta(minutes=30))
    assert attempt.timed_out
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == Decimal("1.00")  # only the answer saved in time counts


def test_an_abandoned_attempt_is_graded_when_its_time_is_up(quiz, learner_user):
    quiz.time_limit_minutes = 5
    quiz.save()
    start = timezone.now() - timedelta(hours=1)
    attempt = services.attempt_start(quiz=quiz, user=learner_user, now=start)
    assert services.attempts_close_expired() == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.passed is False


def test_the_close_time_caps_the_deadline(quiz, learner_user):
    now = timezone.now()
    quiz.time_limit_minutes = 60
    quiz.closes_at = now + timedelta(minutes=5)
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner_user, now=now)
    assert attempt.deadline == quiz.closes_at


def test_resume_returns_the_same_attempt_with_its_saved_answers(quiz, learner_user):
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    tf = attempt.items.get(kind="true_false")
    services.attempt_save_answers(attempt=attempt, answers={tf.position: {"value": True}}, position=tf.position)
    again = services.attempt_start(quiz=quiz, user=learner_user)
    assert again.pk == attempt.pk and again.position == tf.position
    assert again.items.get(kind="true_false").response == {"value": True}


def test_double_submit_grades_once(quiz, learner_user):
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    _answer_all_right(attempt)
    first = services.attempt_submit(attempt=attempt)
    graded_at = first.graded_at
    second = services.attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))
    assert second.graded_at == graded_at and second.score == first.score
    with pytest.raises(services.AttemptClosed):
        services.attempt_save_answers(attempt=second, answers={0: {"choices": []}})
    assert Attempt.objects.filter(user=learner_user).count() == 1


def test_attempt_limit_and_closed_quiz(quiz, learner_user):
    for _ in range(2):
        services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=learner_user))
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=quiz, user=learner_user)
    closed = Quiz.objects.create(title="已结束", is_published=True, closes_at=timezone.now() - timedelta(days=1))
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=closed, user=learner_user)


def test_essays_wait_for_staff_then_the_attempt_is_graded(quiz, bank, learner_user, staff_user):
    QuizQuestion.objects.create(quiz=quiz, question=bank["essay"], sort_order=9)
    QuizQuestion.objects.create(quiz=quiz, question=bank["description"], sort_order=10)
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    _answer_all_right(attempt)
    essay = attempt.items.get(kind="essay")
    services.attempt_save_answers(attempt=attempt, answers={essay.position: {"text": "壮大集体经济"}})
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.status == Attempt.Status.AWAITING_GRADING and attempt.passed is None
    assert attempt.max_score == Decimal("11")
    with pytest.raises(services.QuizError):
        services.essay_grade(item=essay, score=Decimal("6"), comment="", grader=staff_user)
    services.essay_grade(item=essay, score=Decimal("4"), comment="论述较完整", grader=staff_user)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == Decimal("10.00") and attempt.passed


def test_quiz_passed_accepts_a_person_or_a_user_and_lists_credit_hours(quiz, learner_user, learner_person):
    quiz.credit_hours = Decimal("2.0")
    quiz.save()
    assert not services.quiz_passed(person_or_user=learner_person, quiz=quiz)
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    _answer_all_right(attempt)
    services.attempt_submit(attempt=attempt)
    assert services.quiz_passed(person_or_user=learner_person, quiz=quiz)
    assert services.quiz_passed(person_or_user=learner_user, quiz=quiz)
    passed = list(passed_quizzes_for_user(user=learner_user))
    assert [(q.pk, q.credit_hours) for q in passed] == [(quiz.pk, Decimal("2.0"))]
    assert passed[0].passed_at is not None


def test_inactive_questions_are_never_drawn(category, learner_user):
    make_question(category, "true_false", "旧题", tf=True).__class__.objects.update(is_active=False)
    quiz = Quiz.objects.create(title="抽题", is_published=True)
    DrawRule.objects.create(quiz=quiz, count=1, category=category)
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=quiz, user=learner_user)
    assert Question.objects.filter(is_active=False).count() == 1


def test_draw_by_tag_and_the_expiry_task(category, learner_user):
    from lms.quizzes.models import QuestionTag
    from lms.quizzes.tasks import close_expired_attempts

    tagged = make_question(category, "true_false", "带标签", tf=True)
    make_question(category, "true_false", "无标签", tf=True)
    tagged.tags.add("村务公开")
    tagged.save()
    assert QuestionTag.objects.count() == 1
    quiz = Quiz.objects.create(title="按标签", is_published=True, time_limit_minutes=1)
    DrawRule.objects.create(quiz=quiz, count=1, tag="村务公开")
    attempt = services.attempt_start(quiz=quiz, user=learner_user, now=timezone.now() - timedelta(hours=1))
    assert [i.question_id for i in attempt.items.all()] == [tagged.pk]
    assert close_expired_attempts.delay().get() == 1
    assert close_expired_attempts.delay().get() == 0
