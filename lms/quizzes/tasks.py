"""Thin Celery tasks; each calls a service and is safe to run again."""

from celery import shared_task


@shared_task(name="quizzes.close_expired_attempts")
def close_expired_attempts() -> int:
    """Grade attempts whose time ran out while the learner was away (schedule it every few minutes)."""
    from .services import attempts_close_expired

    return attempts_close_expired()
