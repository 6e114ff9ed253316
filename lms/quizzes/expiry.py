"""Reads: attempts whose time ran out, and the grade they get, computed without saving.

Celery beat saves that grade (services.attempts_close_expired); until it runs, pages show the same
result from here, so opening a page never writes.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from . import grading
from .models import Attempt, AttemptItem

DEFAULT_GRACE_SECONDS = 30


def grace() -> timedelta:
    """The small allowance after a deadline for answers already on their way."""
    return timedelta(seconds=getattr(settings, "QUIZZES_DEADLINE_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))


def attempt_cutoff(*, attempt: Attempt):
    """The last moment an answer is accepted, or None when there is no deadline."""
    return attempt.deadline + grace() if attempt.deadline else None


def attempt_is_expired(*, attempt: Attempt, now=None) -> bool:
    """Whether an in-progress attempt is past its deadline and grace (it only waits for beat to grade it)."""
    cutoff = attempt_cutoff(attempt=attempt)
    return attempt.is_in_progress and cutoff is not None and (now or timezone.now()) > cutoff


def attempts_expired(*, now=None) -> QuerySet[Attempt]:
    """In-progress attempts past their deadline and grace."""
    now = now or timezone.now()
    return Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=now - grace())


def attempts_as_graded(*, attempts: list[Attempt], now=None) -> list[Attempt]:
    """Grade expired attempts in memory (one query for all their items); each gets `graded_items`."""
    now = now or timezone.now()
    expired = [a for a in attempts if attempt_is_expired(attempt=a, now=now)]
    by_attempt: dict[int, list[AttemptItem]] = {a.pk: [] for a in expired}
    if expired:
        for item in AttemptItem.objects.filter(attempt_id__in=list(by_attempt)).order_by("attempt_id", "position"):
            by_attempt[item.attempt_id].append(item)
    for attempt in expired:
        items = by_attempt[attempt.pk]
        grading.items_grade(items=items, now=now)
        attempt.submitted_at, attempt.timed_out = attempt.deadline, True
        grading.attempt_total(attempt=attempt, items=items, now=now)
        attempt.graded_items = items
    return attempts


def expired_results(*, now=None, **filters) -> list[Attempt]:
    """The expired attempts matching `filters`, graded in memory."""
    now = now or timezone.now()
    attempts = list(attempts_expired(now=now).filter(**filters).select_related("quiz"))
    return attempts_as_graded(attempts=attempts, now=now)
