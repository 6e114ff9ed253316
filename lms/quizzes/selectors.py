"""Reads: a learner's quizzes and attempts, what a result may show, staff queues."""

import random
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import expiry, services
from .models import Attempt, AttemptItem, Question, Quiz
from .presentation import decorate_item


def quizzes_for_page(*, page, user) -> list[Quiz]:
    """Published quizzes of a lesson or course page, each with the user's best percent and whether they passed."""
    qs = Quiz.objects.filter(is_published=True).filter(Q(lesson_id=page.pk) | Q(course_id=page.pk))
    if user.is_authenticated:
        mine = Attempt.objects.filter(quiz=OuterRef("pk"), user=user)
        qs = qs.annotate(
            best_percent=Subquery(
                mine.filter(status=Attempt.Status.GRADED).order_by("-percent").values("percent")[:1]
            ),
            has_passed=Subquery(mine.filter(passed=True).values("passed")[:1]),
            in_progress=Exists(mine.filter(status=Attempt.Status.IN_PROGRESS)),
            awaiting=Exists(mine.filter(status__in=[Attempt.Status.AWAITING_GRADING, Attempt.Status.SUBMITTING])),
            attempts_used=Count("attempts", filter=Q(attempts__user=user)),
        )
    return list(qs.order_by("pk"))


def _with_my_results(qs: QuerySet[Quiz], user, now) -> QuerySet[Quiz]:
    mine = Attempt.objects.filter(quiz=OuterRef("pk"), user=user)
    expired = expiry.attempts_expired(now=now).values("pk")
    running = mine.filter(status=Attempt.Status.IN_PROGRESS).exclude(pk__in=expired)
    return qs.annotate(
        best_percent=Subquery(mine.filter(status=Attempt.Status.GRADED).order_by("-percent").values("percent")[:1]),
        has_passed=Exists(mine.filter(passed=True)),
        in_progress=Exists(running),
        awaiting=Exists(mine.filter(status=Attempt.Status.AWAITING_GRADING)),
        attempts_used=Subquery(mine.order_by().values("user").annotate(n=Count("pk")).values("n")[:1]),
    )


def _with_expired_results(quizzes: list[Quiz], *, user, now) -> None:
    """Fold in attempts whose time ran out, graded in memory, as beat will grade them."""
    by_pk = {q.pk: q for q in quizzes}
    for attempt in expiry.expired_results(now=now, user=user, quiz_id__in=list(by_pk)):
        quiz = by_pk[attempt.quiz_id]
        quiz.has_passed = quiz.has_passed or bool(attempt.passed)
        quiz.awaiting = quiz.awaiting or attempt.status == Attempt.Status.AWAITING_GRADING
        graded = attempt.status == Attempt.Status.GRADED
        if graded and (quiz.best_percent is None or attempt.percent > quiz.best_percent):
            quiz.best_percent = attempt.percent


def _enrolled_class_names(person) -> dict[int, str]:
    """The person's training classes (not withdrawn) by id, when the classes app is installed."""
    try:
        from lms.classes.models import Enrolment
    except ImportError:
        return {}
    rows = Enrolment.objects.filter(person=person).exclude(status=Enrolment.Status.WITHDRAWN)
    return dict(rows.values_list("training_class_id", "training_class__name"))


def quizzes_for_learner(*, user) -> list[Quiz]:
    """Published quizzes of the learner's classes, of courses open to them and their lessons, or already taken."""
    from courses.models import LessonPage
    from courses.selectors import courses_open_to
    from lms.people.selectors import person_for_user

    person = person_for_user(user=user)
    post_ids = [p.pk for p in person.posts.all()] if person else []
    courses = list(courses_open_to(post_ids=post_ids).values_list("pk", "path"))
    classes = _enrolled_class_names(person) if person else {}
    scope = Q(attempts__user=user) | Q(course_id__in=[pk for pk, _path in courses]) | Q(class_id__in=list(classes))
    if courses:
        lessons = LessonPage.objects.live().filter(reduce(or_, [Q(path__startswith=path) for _pk, path in courses]))
        scope |= Q(lesson_id__in=lessons.values("pk"))
    pks = Quiz.objects.filter(is_published=True).filter(scope).values("pk")
    now = timezone.now()
    quizzes = list(_with_my_results(Quiz.objects.filter(pk__in=pks), user, now).select_related("course", "lesson"))
    _with_expired_results(quizzes, user=user, now=now)
    for quiz in quizzes:
        quiz.class_name = classes.get(quiz.class_id, "")
        quiz.open_now = quiz.is_open(now)
    # Open and not yet passed first, soonest closing first; then the rest.
    far = now.replace(year=now.year + 100)
    quizzes.sort(key=lambda q: (not q.open_now, q.has_passed, q.closes_at or far, q.pk))
    return quizzes


def quiz_for_learner(*, pk: int, user) -> Quiz:
    """A published quiz the user may take, or 404: a class's quiz is for its enrolled learners only."""
    quiz = get_object_or_404(Quiz.objects.select_related("lesson", "course"), pk=pk, is_published=True)
    if not quiz_open_to_user(quiz=quiz, user=user):
        raise Http404
    return quiz


def quiz_open_to_user(*, quiz: Quiz, user) -> bool:
    """Staff may open any quiz; a learner only one of their class, or of a course open to them."""
    from courses.selectors import course_open_to_user
    from lms.accounts.roles import is_learner_only
    from lms.classes.models import Enrolment

    if not is_learner_only(user):
        return True
    if quiz.class_id:
        return Enrolment.objects.filter(
            training_class_id=quiz.class_id, person__user=user, status=Enrolment.Status.ENROLLED
        ).exists()
    course = quiz.course or (quiz.lesson.get_parent().specific if quiz.lesson else None)
    return course is None or course_open_to_user(user=user, course=course)


def attempt_for_user(*, user, pk: int) -> Attempt:
    """The user's own attempt, or 404: nobody reads or answers another learner's attempt."""
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=pk, user=user)


def attempts_of_user(*, user, quiz: Quiz) -> QuerySet[Attempt]:
    """The user's attempts at a quiz, newest first."""
    return Attempt.objects.filter(user=user, quiz=quiz).order_by("-number")


def attempt_review_visible(*, attempt: Attempt, now=None) -> bool:
    """Whether the quiz's review policy lets the learner see the answers and explanations now."""
    quiz = attempt.quiz
    if not attempt.is_finished:
        return False
    if quiz.review_policy == Quiz.ReviewPolicy.AFTER_SUBMIT:
        return True
    if quiz.review_policy == Quiz.ReviewPolicy.AFTER_CLOSE:
        return quiz.has_closed(now or timezone.now())
    return False


def passed_quizzes_for_user(*, user) -> QuerySet[Quiz]:
    """Quizzes the user has passed, each with `credit_hours` and `passed_at` (first passing grade)."""
    passed = Attempt.objects.filter(quiz=OuterRef("pk"), user=user, passed=True).order_by("graded_at")
    return (
        Quiz.objects.filter(attempts__user=user, attempts__passed=True)
        .annotate(passed_at=Subquery(passed.values("graded_at")[:1]), best_percent=Max(
            "attempts__percent", filter=Q(attempts__user=user)))
        .select_related("course", "lesson")
        .order_by("passed_at")
        .distinct()
    )


def essay_queue(*, quiz: Quiz | None = None, now=None) -> QuerySet[AttemptItem]:
    """Essay answers waiting for staff, oldest first: submitted ones, and those of attempts whose time ran out."""
    expired = expiry.attempts_expired(now=now).values("pk")
    qs = AttemptItem.objects.filter(kind=Question.Kind.ESSAY, graded_at__isnull=True).filter(
        Q(attempt__status=Attempt.Status.AWAITING_GRADING) | Q(attempt_id__in=expired)
    ).select_related("attempt__quiz", "attempt__user__person")
    if quiz is not None:
        qs = qs.filter(attempt__quiz=quiz)
    return qs.order_by(Coalesce("attempt__submitted_at", "attempt__deadline"), "position")


def question_preview_item(question: Question) -> AttemptItem:
    """An unsaved attempt item for a question, saved or still in the editor, decorated as the take page shows it."""
    item = AttemptItem(
        position=0, kind=question.kind, text=question.text, explanation=question.explanation,
        max_score=question.score if question.is_scored else 0,
        payload=services.question_snapshot(question=question, shuffle_options=False, rng=random.Random()),
    )
    decorate_item(item)
    return item
