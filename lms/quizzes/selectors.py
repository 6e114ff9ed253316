"""Reads: a learner's quizzes and attempts, what a result may show, staff queues."""

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Attempt, AttemptItem, Question, Quiz


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
            attempts_used=Count("attempts", filter=Q(attempts__user=user)),
        )
    return list(qs.order_by("pk"))


def quiz_for_learner(*, pk: int) -> Quiz:
    """A published quiz, or 404."""
    return get_object_or_404(Quiz.objects.select_related("lesson", "course"), pk=pk, is_published=True)


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


def essay_queue(*, quiz: Quiz | None = None) -> QuerySet[AttemptItem]:
    """Submitted essay answers still waiting for staff, oldest first."""
    qs = AttemptItem.objects.filter(
        kind=Question.Kind.ESSAY, graded_at__isnull=True, attempt__status=Attempt.Status.AWAITING_GRADING
    ).select_related("attempt__quiz", "attempt__user__person")
    if quiz is not None:
        qs = qs.filter(attempt__quiz=quiz)
    return qs.order_by("attempt__submitted_at", "position")
