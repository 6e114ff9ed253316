"""A real Celery worker (Redis in CI, the in-memory transport otherwise) runs a job end to end."""

import pytest

from lms.core.tasks import echo


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_task_comes_back_from_the_worker(celery_worker_real):
    result = echo.delay("四落实")
    assert result.get(timeout=30) == "四落实"


def test_every_periodic_job_names_a_registered_task():
    from django.conf import settings

    from lms.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "quizzes.close_expired_attempts" in scheduled
    assert scheduled <= set(app.tasks)
