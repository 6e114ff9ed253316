"""Small tasks used to check that a worker really runs jobs."""

from celery import shared_task


@shared_task
def echo(value: str) -> str:
    """Return the value; the health check and tests use it to prove a round trip."""
    return value
