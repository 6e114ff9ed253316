"""Writes: starting, saving, submitting and grading attempts; essay grading; saving imported banks."""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.api import bulk_update_audited

from . import grading
from .models import Attempt, AttemptItem, Blank, Choice, DrawRule, Question, QuestionCategory, Quiz
from .models.bank import PATH_SEPARATOR
from .questiondata import QuestionData

DEFAULT_GRACE_SECONDS = 30
MAX_TEXT_ANSWER = 10_000
MAX_BLANK_ANSWER = 200


class QuizError(Exception):
    """A quiz action the learner may not take now; the message says why."""


class AttemptClosed(QuizError):
    """The attempt no longer takes answers."""


def grace() -> timedelta:
    """The small allowance after a deadline for answers already on their way."""
    return timedelta(seconds=getattr(settings, "QUIZZES_DEADLINE_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))


def attempt_cutoff(*, attempt: Attempt):
    """The last moment an answer is accepted, or None when there is no deadline."""
    return attempt.deadline + grace() if attempt.deadline else None


# Drawing questions ----------------------------------------------------------------------------


def draw_pool(*, rule: DrawRule) -> QuerySet[Question]:
    """Every active question a draw rule may pick from."""
    qs = Question.objects.filter(is_active=True, difficulty__gte=rule.difficulty_min,
                                 difficulty__lte=rule.difficulty_max)
    if rule.category_id:
        if rule.include_subcategories:
            path = rule.category.path
            qs = qs.filter(Q(category_id=rule.category_id) | Q(category__path__startswith=path + PATH_SEPARATOR))
        else:
            qs = qs.filter(category_id=rule.category_id)
    if rule.kind:
        qs = qs.filter(kind=rule.kind)
    if rule.tag:
        qs = qs.filter(tags__name=rule.tag)
    return qs.distinct()


def quiz_plan(*, quiz: Quiz, rng: random.Random) -> list[tuple[Question, Decimal]]:
    """The questions and marks of a new attempt: fixed ones plus random draws, in order or shuffled."""
    fixed = list(quiz.fixed_questions.order_by("sort_order").values_list("question_id", "score"))
    chosen = [(qid, score) for qid, score in fixed]
    taken = {qid for qid, _score in fixed}
    for rule in quiz.draw_rules.select_related("category").order_by("sort_order"):
        ids = sorted(set(draw_pool(rule=rule).exclude(pk__in=taken).values_list("pk", flat=True)))
        if len(ids) < rule.count:
            raise QuizError(
                _("This quiz cannot be started: a random draw needs %(need)s questions but the bank has %(have)s.")
                % {"need": rule.count, "have": len(ids)}
            )
        for qid in rng.sample(ids, rule.count):
            chosen.append((qid, rule.score))
            taken.add(qid)
    questions = Question.objects.in_bulk([qid for qid, _s in chosen])
    _prefetch_keys(list(questions.values()))
    plan = [(questions[qid], score if score is not None else questions[qid].score) for qid, score in chosen]
    if quiz.shuffle_questions:
        rng.shuffle(plan)
    return plan


def _prefetch_keys(questions: list[Question]) -> None:
    choices, blanks = {}, {}
    for c in Choice.objects.filter(question__in=questions).order_by("sort_order", "pk"):
        choices.setdefault(c.question_id, []).append(c)
    for b in Blank.objects.filter(question__in=questions).order_by("sort_order", "pk"):
        blanks.setdefault(b.question_id, []).append(b)
    for q in questions:
        q._choice_list = choices.get(q.pk, [])
        q._blank_list = blanks.get(q.pk, [])


def question_snapshot(*, question: Question, shuffle_options: bool, rng: random.Random) -> dict:
    """The frozen key of a question as one attempt shows it."""
    choices = getattr(question, "_choice_list", None)
    if choices is None:
        choices = list(question.choices.all())
    blanks = getattr(question, "_blank_list", None)
    if blanks is None:
        blanks = list(question.blanks.all())
    payload: dict = {}
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        options = [
            {"id": c.pk, "text": c.text, "correct": c.is_correct,
             "weight": None if c.weight is None else str(c.weight), "feedback": c.feedback}
            for c in choices
        ]
        if shuffle_options:
            rng.shuffle(options)
        payload = {"options": options, "scoring": question.multiple_scoring}
    elif question.kind == Question.Kind.TRUE_FALSE:
        payload = {"answer": question.true_false_answer}
    elif question.kind == Question.Kind.FILL_BLANK:
        payload = {"blanks": [b.answers() for b in blanks]}
    elif question.kind == Question.Kind.ESSAY:
        payload = {"reference": question.reference_answer}
    return payload


# Attempts -------------------------------------------------------------------------------------


def attempts_close_expired(*, now=None, quiz: Quiz | None = None, user=None, user_ids=None) -> int:
    """Grade every in-progress attempt whose deadline and grace have passed, with what it saved in time."""
    now = now or timezone.now()
    qs = Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=now - grace())
    if quiz is not None:
        qs = qs.filter(quiz=quiz)
    if user is not None:
        qs = qs.filter(user=user)
    if user_ids is not None:
        qs = qs.filter(user_id__in=user_ids)
    closed = 0
    for attempt in qs.select_related("quiz"):
        attempt_submit(attempt=attempt, now=now)
        closed += 1
    return closed


def attempt_start(*, quiz: Quiz, user, now=None, rng: random.Random | None = None) -> Attempt:
    """Resume the learner's open attempt, or start a new one with freshly drawn questions."""
    now = now or timezone.now()
    rng = rng or random.Random()
    attempts_close_expired(now=now, quiz=quiz, user=user)
    current = Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.Status.IN_PROGRESS).first()
    if current is not None:
        return current
    if not quiz.is_open(now):
        raise QuizError(_("This quiz is not open now."))
    used = Attempt.objects.filter(quiz=quiz, user=user).count()
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise QuizError(_("You have used all your attempts at this quiz."))
    plan = quiz_plan(quiz=quiz, rng=rng)
    if not plan:
        raise QuizError(_("This quiz has no questions yet."))
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    if quiz.closes_at and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz, user=user, number=used + 1, started_at=now, deadline=deadline,
                max_score=sum((s for q, s in plan if q.is_scored), Decimal(0)),
            )
            AttemptItem.objects.bulk_create(
                AttemptItem(
                    attempt=attempt, position=i, question=q, kind=q.kind, text=q.text,
                    explanation=q.explanation, max_score=score if q.is_scored else Decimal(0),
                    payload=question_snapshot(question=q, shuffle_options=quiz.shuffle_options, rng=rng),
                )
                for i, (q, score) in enumerate(plan)
            )
    except IntegrityError:
        # A second tab started the same attempt at the same moment: use that one.
        return Attempt.objects.get(quiz=quiz, user=user, status=Attempt.Status.IN_PROGRESS)
    return attempt


def response_clean(*, item: AttemptItem, raw: dict) -> dict | None:
    """Bring a posted answer into its stored shape, dropping options that are not in the snapshot."""
    kind = item.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        valid = {o["id"] for o in item.payload.get("options", [])}
        picked = []
        for value in raw.get("choices") or []:
            try:
                number = int(value)
            except (TypeError, ValueError):
                continue
            if number in valid and number not in picked:
                picked.append(number)
        if kind == Question.Kind.SINGLE:
            picked = picked[:1]
        return {"choices": sorted(picked)}
    if kind == Question.Kind.TRUE_FALSE:
        value = raw.get("value")
        mapping = {"true": True, "false": False, True: True, False: False}
        return {"value": mapping.get(value if isinstance(value, bool) else str(value).lower())}
    if kind == Question.Kind.FILL_BLANK:
        n = len(item.payload.get("blanks") or [])
        given = [str(v)[:MAX_BLANK_ANSWER] for v in (raw.get("blanks") or [])][:n]
        return {"blanks": given + [""] * (n - len(given))}
    if kind == Question.Kind.ESSAY:
        return {"text": str(raw.get("text") or "")[:MAX_TEXT_ANSWER]}
    return None


def response_from_post(*, item: AttemptItem, data) -> dict | None:
    """Read one item's answer from form fields named q<position>, q<position>_b<blank>."""
    name = f"q{item.position}"
    if item.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        raw = {"choices": data.getlist(name)}
    elif item.kind == Question.Kind.TRUE_FALSE:
        raw = {"value": data.get(name)}
    elif item.kind == Question.Kind.FILL_BLANK:
        n = len(item.payload.get("blanks") or [])
        raw = {"blanks": [data.get(f"{name}_b{i}", "") for i in range(n)]}
    elif item.kind == Question.Kind.ESSAY:
        raw = {"text": data.get(name, "")}
    else:
        return None
    return response_clean(item=item, raw=raw)


def item_posted(*, item: AttemptItem, data) -> bool:
    """Whether the form carried this item's fields (a one-question screen posts only its own)."""
    name = f"q{item.position}"
    return f"{name}_present" in data


def attempt_save_answers(*, attempt: Attempt, answers: dict[int, dict | None], now=None,
                         position: int | None = None) -> int:
    """Save answers by item position while the attempt is open and its deadline (with grace) not passed."""
    now = now or timezone.now()
    cutoff = attempt_cutoff(attempt=attempt)
    if cutoff is not None and now > cutoff:
        raise AttemptClosed(_("Time is up: answers can no longer be changed."))
    saved = 0
    for pos, response in answers.items():
        # The status condition makes a save that races a submit change nothing.
        saved += AttemptItem.objects.filter(
            attempt_id=attempt.pk, position=pos, attempt__status=Attempt.Status.IN_PROGRESS
        ).update(response=response, saved_at=now)
    if answers and not saved:
        raise AttemptClosed(_("This attempt has already been submitted."))
    if position is not None:
        Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(position=position)
    return saved


def attempt_submit(*, attempt: Attempt, now=None) -> Attempt:
    """Grade the attempt once; a second submit, or one after the deadline, changes nothing it should not."""
    now = now or timezone.now()
    cutoff = attempt_cutoff(attempt=attempt)
    late = cutoff is not None and now > cutoff
    submitted_at = attempt.deadline if late else now
    with transaction.atomic():
        claimed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTING, submitted_at=submitted_at, timed_out=late
        )
        if not claimed:
            attempt.refresh_from_db()
            return attempt
        items = list(AttemptItem.objects.filter(attempt_id=attempt.pk))
        for item in items:
            item.score, item.is_correct = grading.grade(
                kind=item.kind, payload=item.payload, response=item.response, max_score=item.max_score
            )
            if grading.is_objective(item.kind) or item.kind == Question.Kind.DESCRIPTION:
                item.graded_at = now
        bulk_update_audited(AttemptItem, items, ["score", "is_correct", "graded_at"])
        attempt.refresh_from_db()
        _attempt_total(attempt=attempt, items=items, now=now)
    return attempt


def _attempt_total(*, attempt: Attempt, items: list[AttemptItem], now) -> None:
    """Add up the items; the attempt is graded once no essay waits for staff."""
    attempt.score = sum((i.score or Decimal(0) for i in items), Decimal(0))
    waiting = any(i.kind == Question.Kind.ESSAY and i.graded_at is None for i in items)
    if attempt.max_score:
        attempt.percent = (attempt.score * 100 / attempt.max_score).quantize(grading.CENT)
    else:
        attempt.percent = Decimal(100)
    if waiting:
        attempt.status, attempt.passed = Attempt.Status.AWAITING_GRADING, None
    else:
        attempt.status, attempt.graded_at = Attempt.Status.GRADED, now
        attempt.passed = attempt.percent >= attempt.quiz.pass_mark
    attempt.save(update_fields=["score", "percent", "status", "passed", "graded_at"])


@transaction.atomic
def essay_grade(*, item: AttemptItem, score: Decimal, comment: str, grader, now=None) -> AttemptItem:
    """Record staff's mark and rubric comment on an essay; the attempt is finished when none remain."""
    now = now or timezone.now()
    item = AttemptItem.objects.select_for_update().select_related("attempt__quiz").get(pk=item.pk)
    if item.kind != Question.Kind.ESSAY:
        raise QuizError(_("Only essays are graded by hand."))
    if item.attempt.status not in (Attempt.Status.AWAITING_GRADING, Attempt.Status.GRADED):
        raise QuizError(_("This attempt has not been submitted yet."))
    score = Decimal(score)
    if score < 0 or score > item.max_score:
        raise QuizError(_("The score must be between 0 and %(max)s.") % {"max": item.max_score})
    item.score, item.comment, item.graded_by, item.graded_at = score, comment, grader, now
    item.is_correct = score == item.max_score
    item.save(update_fields=["score", "comment", "graded_by", "graded_at", "is_correct"])
    attempt = item.attempt
    _attempt_total(attempt=attempt, items=list(attempt.items.all()), now=now)
    return item


# Public service for credit hours and completion -------------------------------------------------


def quiz_passed(*, person_or_user, quiz: Quiz) -> bool:
    """Whether the learner (a Person or a User) has a passed attempt at the quiz."""
    from lms.people.models import Person

    user = person_or_user.user if isinstance(person_or_user, Person) else person_or_user
    if user is None or getattr(user, "pk", None) is None:
        return False
    attempts_close_expired(quiz=quiz, user=user)
    return Attempt.objects.filter(quiz=quiz, user=user, passed=True).exists()


# The bank ---------------------------------------------------------------------------------------


def category_for_path(*, path: str, cache: dict | None = None) -> QuestionCategory:
    """The category at a '/'-separated path, creating missing levels."""
    cache = cache if cache is not None else {}
    parts = [p.strip() for p in path.replace("／", PATH_SEPARATOR).split(PATH_SEPARATOR) if p.strip()]
    parent = None
    so_far = ""
    for part in parts:
        so_far = f"{so_far}{PATH_SEPARATOR}{part}" if so_far else part
        node = cache.get(so_far)
        if node is None:
            node = QuestionCategory.objects.filter(path=so_far).first()
            if node is None:
                node = QuestionCategory.objects.create(name=part, parent=parent)
            cache[so_far] = node
        parent = node
    if parent is None:
        raise QuizError(_("A category name is needed."))
    return parent


def bank_import(*, questions: list[QuestionData], default_category: str) -> list[Question]:
    """Save parsed questions in one transaction, creating their categories; all or nothing."""
    cache: dict = {}
    with transaction.atomic():
        objs = []
        for data in questions:
            category = category_for_path(path=data.category_path or default_category, cache=cache)
            objs.append(Question(
                category=category, kind=data.kind, title=data.title[:200], text=data.text,
                explanation=data.explanation, difficulty=data.difficulty, score=data.score,
                multiple_scoring=data.multiple_scoring, true_false_answer=data.true_false_answer,
                reference_answer=data.reference_answer,
            ))
        created = Question.objects.bulk_create(objs, batch_size=500)
        choices, blanks = [], []
        for q, data in zip(created, questions, strict=True):
            choices += [
                Choice(question=q, sort_order=i, text=c.text[:1000], is_correct=c.is_correct,
                       weight=c.weight, feedback=c.feedback[:500])
                for i, c in enumerate(data.choices)
            ]
            blanks += [
                Blank(question=q, sort_order=i, accepted_answers="\n".join(answers))
                for i, answers in enumerate(data.blanks)
            ]
        Choice.objects.bulk_create(choices, batch_size=1000)
        Blank.objects.bulk_create(blanks, batch_size=1000)
        tagged = [(q, data.tags) for q, data in zip(created, questions, strict=True) if data.tags]
        if tagged:
            _tag_questions(tagged)
    return created


def _tag_questions(tagged: list[tuple[Question, list[str]]]) -> None:
    from taggit.models import Tag

    from .models import QuestionTag

    names = {name for _q, tags in tagged for name in tags}
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    for name in names - set(existing):
        existing[name] = Tag.objects.create(name=name)
    QuestionTag.objects.bulk_create(
        [QuestionTag(content_object=q, tag=existing[name]) for q, tags in tagged for name in dict.fromkeys(tags)]
    )
