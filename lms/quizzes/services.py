"""Writes: starting, saving, submitting and grading attempts; essay grading; saving imported banks."""

import random
import re
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from lms.audit.api import bulk_update_audited
from lms.notifications import api as notifications_api

from . import expiry, grading
from .models import Attempt, AttemptItem, Blank, Choice, DrawRule, Question, QuestionCategory, Quiz
from .models.bank import PATH_SEPARATOR
from .numerical import numerical_display
from .questiondata import ImportFailed, QuestionData
from .validation import path_errors

MAX_TEXT_ANSWER = 10_000
MAX_BLANK_ANSWER = 200


class QuizError(Exception):
    """A quiz action the learner may not take now; the message says why."""


class AttemptClosed(QuizError):
    """The attempt no longer takes answers."""


grace = expiry.grace
attempt_cutoff = expiry.attempt_cutoff


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
        payload = {"answer": question.true_false_answer, **question.answer_spec}
    elif question.kind == Question.Kind.FILL_BLANK:
        payload = {"blanks": [b.answers() for b in blanks]}
        if question.answer_spec.get("answers"):
            payload.update(graded=question.answer_spec["answers"],
                           case_sensitive=bool(question.answer_spec.get("case_sensitive")))
    elif question.kind == Question.Kind.MATCHING:
        pairs = question.answer_spec.get("pairs") or []
        asked = [p for p in pairs if p["prompt"].strip()]
        menu = sorted({p["answer"] for p in pairs if p["answer"].strip()})
        if shuffle_options:
            rng.shuffle(asked)
        payload = {"blanks": [[p["answer"]] for p in asked], "prompts": [p["prompt"] for p in asked],
                   "menu": menu}
    elif question.kind == Question.Kind.NUMERICAL:
        payload = {"blanks": [numerical_display(question.answer_spec)], "numerical": question.answer_spec}
    elif question.kind == Question.Kind.ESSAY:
        payload = {"reference": question.reference_answer}
    return payload


# Attempts -------------------------------------------------------------------------------------


def attempts_close_expired(*, now=None, quiz: Quiz | None = None, user=None, user_ids=None) -> int:
    """Grade every in-progress attempt whose deadline and grace have passed, with what it saved in time.

    Celery beat runs this; pages compute the same state without saving (selectors.attempts_expired).
    An attempt left in "being graded" (a crash between claim and grade) is graded again here too.
    """
    now = now or timezone.now()
    qs = Attempt.objects.filter(
        Q(status=Attempt.Status.IN_PROGRESS, deadline__lt=now - grace()) | Q(status=Attempt.Status.SUBMITTING)
    )
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


def _lock_attempt(pk: int) -> Attempt:
    """The attempt row, locked until the transaction ends, so start, save and submit take turns."""
    return Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=pk)


def attempt_start(*, quiz: Quiz, user, now=None, rng: random.Random | None = None) -> Attempt:
    """Resume the learner's open attempt, or start a new one with freshly drawn questions."""
    now = now or timezone.now()
    rng = rng or random.Random()
    try:
        with transaction.atomic():
            # Parallel starts by one learner (double clicks, retried requests) wait here for each other, so
            # the second sees the attempt the first created; the database constraint is the last guard.
            get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).first()
            attempts_close_expired(now=now, quiz=quiz, user=user)
            current = Attempt.objects.filter(quiz=quiz, user=user, status=Attempt.Status.IN_PROGRESS).first()
            if current is not None:
                return current
            return _attempt_create(quiz=quiz, user=user, now=now, rng=rng)
    except IntegrityError:
        # Only where the row lock is not available (SQLite): another request created it first.
        return Attempt.objects.get(quiz=quiz, user=user, status=Attempt.Status.IN_PROGRESS)


def _attempt_create(*, quiz: Quiz, user, now, rng: random.Random) -> Attempt:
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
    if kind in (Question.Kind.FILL_BLANK, Question.Kind.NUMERICAL, Question.Kind.MATCHING):
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
    elif item.kind in (Question.Kind.FILL_BLANK, Question.Kind.NUMERICAL, Question.Kind.MATCHING):
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
    """Save answers by item position while the attempt is open and its deadline (with grace) not passed.

    The attempt row is locked first, so a save that arrives after (or during) the submit is refused
    instead of changing answers already graded.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_attempt(attempt.pk)
        if locked.status != Attempt.Status.IN_PROGRESS:
            raise AttemptClosed(_("This attempt has already been submitted: answers can no longer be changed."))
        cutoff = attempt_cutoff(attempt=locked)
        if cutoff is not None and now > cutoff:
            raise AttemptClosed(_("Time is up: answers can no longer be changed."))
        saved = 0
        for pos, response in answers.items():
            saved += AttemptItem.objects.filter(attempt_id=locked.pk, position=pos).update(
                response=response, saved_at=now)
        if position is not None:
            Attempt.objects.filter(pk=locked.pk).update(position=position)
    return saved


def attempt_submit(*, attempt: Attempt, now=None) -> Attempt:
    """Grade the attempt once; a second submit, or one after the deadline, changes nothing it should not."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_attempt(attempt.pk)
        if locked.status in (Attempt.Status.IN_PROGRESS, Attempt.Status.SUBMITTING):
            cutoff = attempt_cutoff(attempt=locked)
            late = cutoff is not None and now > cutoff
            locked.submitted_at = locked.deadline if late else now
            locked.timed_out = late
            items = list(AttemptItem.objects.filter(attempt_id=locked.pk))
            grading.items_grade(items=items, now=now)
            bulk_update_audited(AttemptItem, items, ["score", "is_correct", "graded_at"])
            grading.attempt_total(attempt=locked, items=items, now=now)
            locked.save(update_fields=["score", "percent", "status", "passed", "graded_at", "submitted_at",
                                       "timed_out"])
    attempt.refresh_from_db()
    return attempt


def _attempt_total(*, attempt: Attempt, items: list[AttemptItem], now) -> None:
    """Add up the items and save the attempt's totals."""
    grading.attempt_total(attempt=attempt, items=items, now=now)
    attempt.save(update_fields=["score", "percent", "status", "passed", "graded_at"])


@transaction.atomic
def essay_grade(*, item: AttemptItem, score: Decimal, comment: str, grader, now=None) -> AttemptItem:
    """Record staff's mark and rubric comment on an essay; the attempt is finished when none remain."""
    now = now or timezone.now()
    attempt = Attempt.objects.get(pk=item.attempt_id)
    if expiry.attempt_is_expired(attempt=attempt, now=now):
        attempt_submit(attempt=attempt, now=now)  # Its time ran out and beat has not graded it yet.
    _lock_attempt(item.attempt_id)
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
    notifications_api.essay_graded(attempt=attempt)
    return item


# Public service for credit hours and completion -------------------------------------------------


def quiz_passed(*, person_or_user, quiz: Quiz) -> bool:
    """Whether the learner (a Person or a User) has a passed attempt at the quiz."""
    from lms.people.models import Person

    user = person_or_user.user if isinstance(person_or_user, Person) else person_or_user
    if user is None or getattr(user, "pk", None) is None:
        return False
    if Attempt.objects.filter(quiz=quiz, user=user, passed=True).exists():
        return True
    return any(a.passed for a in expiry.expired_results(quiz=quiz, user=user))


# The bank ---------------------------------------------------------------------------------------


def category_for_path(*, path: str, cache: dict | None = None) -> QuestionCategory:
    """The category at a '/'-separated path, creating missing levels."""
    cache = cache if cache is not None else {}
    parts = [p.strip() for p in path.split(PATH_SEPARATOR) if p.strip()]
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
    """Save parsed questions in one transaction, creating their categories and images; all or nothing."""
    problems = path_errors(default_category)
    if problems:
        raise ImportFailed([_("Default category: %(msg)s") % {"msg": p} for p in problems])
    cache: dict = {}
    with transaction.atomic():
        image_urls = _store_images(questions)
        objs = []
        for data in questions:
            urls = image_urls.get(id(data), {})
            category = category_for_path(path=data.category_path or default_category, cache=cache)
            objs.append(Question(
                category=category, kind=data.kind, title=data.title[:200], text=_link_images(data.text, urls),
                explanation=_link_images(data.explanation, urls), difficulty=data.difficulty, score=data.score,
                multiple_scoring=data.multiple_scoring, true_false_answer=data.true_false_answer,
                reference_answer=data.reference_answer, answer_spec=data.spec,
            ))
        created = Question.objects.bulk_create(objs, batch_size=500)
        choices, blanks = [], []
        for q, data in zip(created, questions, strict=True):
            urls = image_urls.get(id(data), {})
            choices += [
                Choice(question=q, sort_order=i, text=_link_images(c.text, urls)[:1000], is_correct=c.is_correct,
                       weight=c.weight, feedback=_link_images(c.feedback, urls)[:500])
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


def _store_images(questions: list[QuestionData]) -> dict[int, dict[str, str]]:
    """Embedded images saved as Wagtail images; per question, each file name's new address."""
    image_model = get_image_model()
    urls: dict[int, dict[str, str]] = {}
    for data in questions:
        for name, content in data.images.items():
            image = image_model(title=name[:255], file=ContentFile(content, name=name))
            image.save()
            urls.setdefault(id(data), {})[name] = image.file.url
    return urls


_UNKEPT_FILE = re.compile(r"@@PLUGINFILE@@/[^\"'<>\s]*")


def _link_images(text: str, urls: dict[str, str]) -> str:
    """Point embedded-file references at the stored images; files not kept (named in the preview) lose theirs."""
    if "@@PLUGINFILE@@" not in text:
        return text
    for name, url in urls.items():
        text = text.replace(f"@@PLUGINFILE@@/{name}", url)
    return _UNKEPT_FILE.sub("", text)


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
