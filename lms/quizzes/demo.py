"""Demo data: a Chinese question bank, quizzes on the demo courses and believable attempts. Idempotent."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .demo_bank import DESCRIPTIONS, ESSAYS, FILLS, MULTIPLES, NUMERICALS, SINGLES, TRUE_FALSE
from .models import Attempt, DrawRule, Question, Quiz, QuizQuestion
from .questiondata import ChoiceData, QuestionData

LEARNERS_PER_QUIZ = 36
SEED = 20261125


def bank_data() -> list[QuestionData]:
    """Every demo question as QuestionData."""
    rng = random.Random(SEED)
    questions = []
    for cat, text, right, wrong, expl, diff in SINGLES:
        options = [ChoiceData(text=right, is_correct=True)] + [ChoiceData(text=w) for w in wrong]
        rng.shuffle(options)
        questions.append(QuestionData(kind="single", text=text, choices=options, explanation=expl,
                                      difficulty=diff, category_path=cat))
    for cat, text, rights, wrongs, expl, diff in MULTIPLES:
        options = [ChoiceData(text=r, is_correct=True) for r in rights] + [ChoiceData(text=w) for w in wrongs]
        rng.shuffle(options)
        questions.append(QuestionData(kind="multiple", text=text, choices=options, explanation=expl,
                                      difficulty=diff, category_path=cat, score=Decimal(2),
                                      multiple_scoring="half"))
    for cat, text, answer, expl, diff in TRUE_FALSE:
        questions.append(QuestionData(kind="true_false", text=text, true_false_answer=answer, explanation=expl,
                                      difficulty=diff, category_path=cat))
    for cat, text, blanks, expl, diff in FILLS:
        questions.append(QuestionData(kind="fill_blank", text=text, blanks=blanks, explanation=expl,
                                      difficulty=diff, category_path=cat, score=Decimal(len(blanks))))
    for cat, text, answer, tolerance, expl, diff in NUMERICALS:
        questions.append(QuestionData(kind="numerical", text=text, explanation=expl, difficulty=diff,
                                      category_path=cat, score=Decimal(2), spec={"answers": [
                                          {"value": answer, "tolerance": tolerance, "fraction": "100",
                                           "feedback": ""}]}))
    for cat, text, reference, diff in ESSAYS:
        questions.append(QuestionData(kind="essay", text=text, reference_answer=reference, difficulty=diff,
                                      category_path=cat, score=Decimal(10)))
    for cat, text in DESCRIPTIONS:
        questions.append(QuestionData(kind="description", text=text, category_path=cat, score=Decimal(0)))
    return questions


def build(*, stdout) -> None:
    """Add the bank, a quiz per demo course and lesson quiz, and attempts by demo cadres."""
    with transaction.atomic():
        existing = set(Question.objects.values_list("text", flat=True))
        new = [q for q in bank_data() if q.text not in existing]
        if new:
            services.bank_import(questions=new, default_category="党章党规")
        stdout.write(f"quizzes: question bank holds {Question.objects.count()} questions ({len(new)} new)")
        quizzes = _quizzes(stdout)
    for quiz in quizzes:
        _attempts(quiz)
    _grade_some_essays()
    stdout.write(f"quizzes: {Quiz.objects.count()} quizzes, {Attempt.objects.count()} attempts")


def _quizzes(stdout) -> list[Quiz]:
    from courses.models import CoursePage, LessonPage

    courses = list(CoursePage.objects.live().order_by("path")[:8])
    if not courses:
        stdout.write("quizzes: no demo course found; quizzes skipped")
        return []
    quizzes = []
    for index, course in enumerate(courses):
        quiz, created = Quiz.objects.get_or_create(
            course=course, title=f"《{course.title}》结业测验",
            defaults={"description": "本测验从题库随机抽题，请在规定时间内独立完成。", "is_published": True,
                      "time_limit_minutes": 20, "max_attempts": 2, "pass_mark": Decimal(60),
                      "credit_hours": Decimal("0.5"), "closes_at": timezone.now() + timedelta(days=60),
                      "review_policy": Quiz.ReviewPolicy.AFTER_SUBMIT if index % 2 == 0
                      else Quiz.ReviewPolicy.AFTER_CLOSE},
        )
        if created:
            for order, (kind, count) in enumerate([("single", 6), ("multiple", 2), ("true_false", 4),
                                                    ("fill_blank", 2)]):
                DrawRule.objects.create(quiz=quiz, sort_order=order, kind=kind, count=count)
        quizzes.append(quiz)
    lesson = LessonPage.objects.live().child_of(courses[0]).order_by("path").first()
    if lesson is not None:
        quiz, created = Quiz.objects.get_or_create(
            lesson=lesson, title=f"{lesson.title}·随堂练习",
            defaults={"is_published": True, "max_attempts": 0, "display_mode": Quiz.DisplayMode.ALL_ON_ONE_PAGE,
                      "review_policy": Quiz.ReviewPolicy.AFTER_SUBMIT, "shuffle_questions": False},
        )
        if created:
            picks = list(Question.objects.filter(category__path__startswith="基层治理").exclude(
                kind="description").order_by("pk")[:5])
            picks += list(Question.objects.filter(kind="essay").order_by("pk")[:1])
            for order, question in enumerate(picks):
                QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
        quizzes.append(quiz)
    return quizzes


def _learners():
    from lms.accounts.models import User
    from lms.accounts.roles import LEARNER, role_group
    from lms.people.models import Person

    people = list(Person.objects.select_related("user").order_by("pk")[:LEARNERS_PER_QUIZ])
    group = role_group(LEARNER)
    users = []
    for person in people:
        if person.user is None:
            # A sign-in-less account only to carry demo quiz history; the roster sets real passwords.
            user, _created = User.objects.get_or_create(username=person.phone, defaults={"first_name": person.name})
            if not user.has_usable_password() or _created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.groups.add(group)
            person.user = user
            person.save(update_fields=["user"])
        users.append(person.user)
    return users


def _attempts(quiz: Quiz) -> None:
    """Attempts by cadres of mixed ability, so statistics look like a real class."""
    if quiz.attempts.exists():
        return
    rng = random.Random(SEED + quiz.pk)
    now = timezone.now()
    for user in _learners():
        if rng.random() < 0.25:
            continue
        ability = rng.uniform(0.35, 0.95)
        start = now - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
        try:
            attempt = services.attempt_start(quiz=quiz, user=user, now=start, rng=rng)
        except services.QuizError:
            return
        answers = {item.position: _answer(item, ability, rng) for item in attempt.items.all()}
        services.attempt_save_answers(attempt=attempt, answers=answers, now=start + timedelta(minutes=1))
        services.attempt_submit(attempt=attempt, now=start + timedelta(minutes=rng.randint(4, 18),
                                                                         seconds=rng.randint(0, 59)))


def _answer(item, ability: float, rng: random.Random) -> dict | None:
    right = rng.random() < ability - (item.question.difficulty - 3) * 0.08 if item.question else True
    payload = item.payload
    if item.kind in ("single", "multiple"):
        correct = [o["id"] for o in payload["options"] if o["correct"]]
        wrong = [o["id"] for o in payload["options"] if not o["correct"]]
        if right:
            return {"choices": sorted(correct)}
        if item.kind == "multiple" and len(correct) > 1 and rng.random() < 0.5:
            return {"choices": sorted(correct[:-1])}
        return {"choices": [rng.choice(wrong)] if wrong else []}
    if item.kind == "true_false":
        return {"value": payload["answer"] if right else not payload["answer"]}
    if item.kind == "fill_blank":
        return {"blanks": [b[0] if right else "不清楚" for b in payload["blanks"]]}
    if item.kind == "numerical":
        value = payload["numerical"]["answers"][0]["value"]
        return {"blanks": [value if right else "0"]}
    if item.kind == "essay":
        return {"text": "一是摸清家底，二是因地制宜发展产业，三是规范管理、公开透明。"}
    return None


def _grade_some_essays() -> None:
    """Staff have marked about half of the essays; the rest wait in the queue."""
    from lms.accounts.models import User

    from .selectors import essay_queue

    grader = User.objects.filter(username="jiaowu").first()
    if grader is None or Attempt.objects.filter(items__graded_by__isnull=False).exists():
        return
    rng = random.Random(SEED)
    waiting = list(essay_queue())
    for item in waiting[: len(waiting) // 2]:
        score = Decimal(rng.randint(5, 10)) * item.max_score / 10
        services.essay_grade(item=item, score=score.quantize(Decimal("0.1")), grader=grader,
                             comment="论点清楚，结合本村实际还可以更具体。")
