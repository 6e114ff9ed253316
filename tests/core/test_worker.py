"""A real Celery worker (Redis in CI, the in-memory transport otherwise) runs a job end to end."""

import pytest

from lms.core.tasks import echo

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_queued_task_comes_back_from_the_worker(celery_worker_real):
    result = echo.delay("四落实")
    assert result.get(timeout=30) == "四落实"
