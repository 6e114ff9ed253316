"""The health page reports the database, the broker and whether a worker answers."""

import pytest

from lms.core import health


@pytest.mark.django_db
def test_health_page_answers_without_signing_in(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "worker", "jobs"}
    assert body["checks"]["jobs"] == {"ok": True, "detail": "没有卡住的后台任务",
                                      "stuck": {"videos": 0, "certificate_batches": 0}}
    assert body["checks"]["database"]["ok"] is True


@pytest.fixture
def queued(settings):
    """Tasks go through the broker, as on a real site."""
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.mark.django_db
def test_no_worker_answering_is_reported_but_the_site_stays_up(client, queued, monkeypatch):
    monkeypatch.setattr(health.app.control, "ping", lambda timeout: [])
    response = client.get("/health/")
    assert response.status_code == 200
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False and worker["workers"] == []
    assert worker["detail"] == "没有工作进程响应"


@pytest.mark.django_db
def test_answering_workers_are_named(client, queued, monkeypatch):
    replies = [{"celery@web1": {"ok": "pong"}}, {"celery@web2": {"ok": "pong"}}]
    monkeypatch.setattr(health.app.control, "ping", lambda timeout: replies)
    worker = client.get("/health/").json()["checks"]["worker"]
    assert worker["ok"] is True
    assert worker["workers"] == ["celery@web1", "celery@web2"]


@pytest.mark.django_db
def test_unreachable_broker_makes_the_page_fail(client, queued, monkeypatch):
    def refuse():
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(health.app, "connection_for_write", refuse)
    monkeypatch.setattr(health.app.control, "ping", lambda timeout: [])
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["ok"] is False
    assert "connection refused" in body["checks"]["broker"]["detail"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_stuck_jobs_are_shown(client, settings):
    from django.utils import timezone

    from lms.videos.models import Video

    Video.objects.create(title="讲座", source="videos/sources/a.mp4", state=Video.State.PROCESSING,
                         heartbeat_at=timezone.now() - timezone.timedelta(hours=1))
    jobs = client.get("/health/").json()["checks"]["jobs"]
    assert jobs["ok"] is False and jobs["stuck"] == {"videos": 1, "certificate_batches": 0}
    assert "1" in jobs["detail"] and "卡住" in jobs["detail"]
