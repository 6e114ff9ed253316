"""Quiz fixtures: a small bank with every question type and a quiz built from it."""

from decimal import Decimal

import pytest

from lms.quizzes.models import Blank, Choice, Question, QuestionCategory, Quiz, QuizQuestion
from tests.factories import PersonFactory, learner_for


def make_question(category, kind, text="题目", *, choices=(), blanks=(), tf=None, score="1", difficulty=3,
                  scoring="all", explanation="解析"):
    q = Question.objects.create(
        category=category, kind=kind, text=text, score=Decimal(score), difficulty=difficulty,
        multiple_scoring=scoring, true_false_answer=tf, explanation=explanation,
    )
    for i, (ctext, correct) in enumerate(choices):
        Choice.objects.create(question=q, text=ctext, is_correct=correct, sort_order=i)
    for i, answers in enumerate(blanks):
        Blank.objects.create(question=q, accepted_answers="\n".join(answers), sort_order=i)
    return q


@pytest.fixture
def category(db):
    root = QuestionCategory.objects.create(name="党章党规")
    return QuestionCategory.objects.create(name="党员义务", parent=root)


@pytest.fixture
def bank(category):
    """One question of each kind."""
    return {
        "single": make_question(category, "single", "党的最高理想和最终目标是？",
                                choices=[("实现共产主义", True), ("全面小康", False), ("乡村振兴", False)]),
        "multiple": make_question(category, "multiple", "“四落实”包括哪些？", score="2", scoring="half",
                                  choices=[("时间", True), ("计划", True), ("人员", True), ("资金", False)]),
        "true_false": make_question(category, "true_false", "村务公开应当定期进行。", tf=True),
        "fill_blank": make_question(category, "fill_blank", "“三议一表决”中的表决由____和____作出。", score="2",
                                    blanks=[["党员大会"], ["村民代表会议", "村民会议"]]),
        "essay": make_question(category, "essay", "谈谈如何发展村级集体经济。", score="5"),
        "description": make_question(category, "description", "以下题目考查村务公开。", score="0"),
    }


@pytest.fixture
def quiz(bank):
    quiz = Quiz.objects.create(
        title="党章党规测验", is_published=True, shuffle_questions=False, shuffle_options=False,
        max_attempts=2, review_policy=Quiz.ReviewPolicy.AFTER_SUBMIT,
    )
    for i, key in enumerate(["single", "multiple", "true_false", "fill_blank"]):
        QuizQuestion.objects.create(quiz=quiz, question=bank[key], sort_order=i)
    return quiz


@pytest.fixture
def other_learner(county):
    return learner_for(PersonFactory(village=county["villages"]["west"][0], posts=["secretary"]))
