"""Benchmarks for `make bench`: imports from Excel and GIFT, and grading submitted attempts.

Each figure is compared, as a ratio, with bare inserts of the same rows measured in the same run,
so the limits hold on slow and fast machines alike. Everything runs in a transaction rolled back at the end.
"""

import random
import time
from decimal import Decimal

from django.db import transaction

QUESTIONS = 10_000
ATTEMPTS = 1_000
QUESTIONS_PER_ATTEMPT = 10
# Parsing and validating a row may cost this many times its bare insert.
IMPORT_LIMIT_RATIO = 8.0
# Saving parsed questions (categories, questions, options, tags, in one transaction) against bare inserts.
SAVE_LIMIT_RATIO = 1.5
# Grading an attempt may cost this many times inserting its rows bare: it needs a claiming UPDATE,
# a read of the items, a batched UPDATE of their scores and the attempt's total, against one INSERT.
GRADING_LIMIT_RATIO = 20.0
# Absolute ceilings (lower is better, as the harness reads every limit); the rate is printed in the name.
IMPORT_LIMIT_MS_PER_QUESTION = 5.0
GRADING_LIMIT_MS_PER_ATTEMPT = 100.0


class _Rollback(Exception):
    pass


def _sample_data(n: int):
    from .questiondata import ChoiceData, QuestionData

    data = []
    for i in range(n):
        if i % 3 == 0:
            data.append(QuestionData(kind="true_false", text=f"村务公开第{i}题", true_false_answer=bool(i % 2),
                                     category_path="基准/判断"))
        else:
            data.append(QuestionData(kind="single", text=f"三议一表决第{i}题", category_path="基准/单选",
                                     choices=[ChoiceData("提议", True), ChoiceData("商议"), ChoiceData("审议")]))
    return data


def _bare_question_inserts(n: int) -> float:
    from .models import Choice, Question, QuestionCategory

    category = QuestionCategory.objects.create(name="基准裸插入")
    start = time.perf_counter()
    questions = Question.objects.bulk_create(
        [Question(category=category, kind="single", text=f"q{i}") for i in range(n)], batch_size=500)
    Choice.objects.bulk_create([Choice(question=q, text=t, sort_order=j) for q in questions
                                for j, t in enumerate(("甲", "乙", "丙")) if q.pk % 3 or j == 0], batch_size=1000)
    return time.perf_counter() - start


def _time_import(fmt: str, content: bytes) -> float:
    from . import services
    from .importers import parse_file

    start = time.perf_counter()
    services.bank_import(questions=parse_file(fmt=fmt, content=content), default_category="基准")
    return time.perf_counter() - start


def _bench_imports(report, n: int) -> None:
    from . import exporters, gift_export, services
    from .models import Question

    with transaction.atomic():
        services.bank_import(questions=_sample_data(n), default_category="基准")
        questions = list(exporters.bank_questions())
        excel_bytes = exporters.template_workbook(questions)
        gift_bytes = gift_export.gift_text(questions)[0].encode("utf-8")
        Question.objects.all().delete()
        transaction.set_rollback(True)
    parsed = _sample_data(n)
    with transaction.atomic():
        bare_before = _bare_question_inserts(n)
        transaction.set_rollback(True)
    with transaction.atomic():
        start = time.perf_counter()
        services.bank_import(questions=parsed, default_category="基准")
        saving = time.perf_counter() - start
        transaction.set_rollback(True)
    with transaction.atomic():
        bare = min(bare_before, _bare_question_inserts(n))
        transaction.set_rollback(True)
    report(f"quizzes: save {n} parsed questions vs bare inserts (ratio)", saving / bare, SAVE_LIMIT_RATIO, "x")
    for fmt, content, label in (("excel", excel_bytes, "Excel"), ("gift", gift_bytes, "GIFT")):
        # Bare inserts are timed before and after the import and the faster kept, so warm-up favours neither.
        with transaction.atomic():
            bare_before = _bare_question_inserts(n)
            transaction.set_rollback(True)
        with transaction.atomic():
            took = _time_import(fmt, content)
            transaction.set_rollback(True)
        with transaction.atomic():
            bare = min(bare_before, _bare_question_inserts(n))
            transaction.set_rollback(True)
        report(f"quizzes: import {n} questions from {label} ({n / took:,.0f} questions/s)",
               took * 1000 / n, IMPORT_LIMIT_MS_PER_QUESTION, "ms/q")
        report(f"quizzes: import from {label} vs bare inserts (ratio)", took / bare, IMPORT_LIMIT_RATIO, "x")


def _bench_grading(report, n: int) -> None:
    from lms.accounts.models import User

    from . import services
    from .models import AttemptItem, DrawRule, Quiz

    with transaction.atomic():
        services.bank_import(questions=_sample_data(200), default_category="基准")
        quiz = Quiz.objects.create(title="基准测验", is_published=True, max_attempts=0)
        DrawRule.objects.create(quiz=quiz, count=QUESTIONS_PER_ATTEMPT)
        users = User.objects.bulk_create([User(username=f"bench-quiz-{i}") for i in range(n)])
        rng = random.Random(1)
        attempts = [services.attempt_start(quiz=quiz, user=u, rng=rng) for u in users]
        # Answers are written in bulk: only the grading below is measured.
        items = list(AttemptItem.objects.filter(attempt__in=attempts))
        for item in items:
            if item.kind == "single":
                item.response = {"choices": [rng.choice(item.payload["options"])["id"]]}
            else:
                item.response = {"value": rng.random() < 0.5}
        AttemptItem.objects.bulk_update(items, ["response"], batch_size=500)
        start = time.perf_counter()
        for attempt in attempts:
            services.attempt_submit(attempt=attempt)
        grading = time.perf_counter() - start
        # The bare cost: the rows grading writes (one per item plus the attempt), inserted plainly.
        template = list(AttemptItem.objects.filter(attempt=attempts[0]))
        start = time.perf_counter()
        for attempt in attempts:
            AttemptItem.objects.bulk_create([
                AttemptItem(attempt=attempt, position=100 + i.position, kind=i.kind, text=i.text,
                            max_score=i.max_score, payload=i.payload, score=Decimal(1)) for i in template
            ])
        bare = time.perf_counter() - start
        transaction.set_rollback(True)
    report(f"quizzes: grade {n} submitted attempts ({n / grading:,.1f} attempts/s)",
           grading * 1000 / n, GRADING_LIMIT_MS_PER_ATTEMPT, "ms/a")
    report("quizzes: grading vs bare inserts (ratio)", grading / bare, GRADING_LIMIT_RATIO, "x")


def run(report, scale: float = 1.0) -> None:
    """Record import and grading figures; `scale` shrinks or grows the data."""
    _bench_imports(report, max(int(QUESTIONS * scale), 30))
    _bench_grading(report, max(int(ATTEMPTS * scale), 10))
