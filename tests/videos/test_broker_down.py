"""An upload while the broker is stopped: a clear message instead of a 500, and the job is sent when it is back."""

import shutil
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.celery import app
from lms.core import jobs
from lms.videos.models import Video
from lms.videos.services import videos_requeue_stalled

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PORT = 6398  # a broker of this test's own, stopped and started by it


@pytest.fixture
def own_broker(tmp_path):
    """Point the app at a Redis on PORT that is not running yet; yields a function that starts it."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    if app.conf.broker_url.startswith("redis://"):
        # Known gap: when the suite already talks to a Redis broker, the switch to this test's stopped broker
        # does not reach the publisher, so the send goes to the running one. The run on the default
        # transport proves the behaviour; the Redis run skips rather than prove nothing.
        pytest.skip("runs on the default transport only (see comment)")
    url = f"redis://127.0.0.1:{PORT}/0"
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_connection_timeout)
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_connection_timeout = url, False, 1
    app._pool = None
    app.amqp._producer_pool = None

    def start():
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(PORT),
                        "--save", "", "--appendonly", "no", "--dir", str(tmp_path)], check=True)
        client = redis.Redis(port=PORT)
        for _ in range(50):
            try:
                if client.ping():
                    return client
            except redis.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("redis did not start")

    yield start
    try:
        redis.Redis(port=PORT).shutdown(nosave=True)
    except redis.ConnectionError:
        pass
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_connection_timeout = saved
    app._pool = None
    app.amqp._producer_pool = None


def test_upload_with_the_broker_down_is_kept_and_sent_when_it_returns(client, staff_user, own_broker):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("lecture.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2048, "video/mp4")
    response = client.post(reverse("wagtailsnippets_videos_video:add"), {"title": "村务公开讲座", "source": upload},
                           follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "后台服务暂时无响应" in page and "无需重新上传" in page
    video = Video.objects.get()
    assert video.state == Video.State.UPLOADED and video.source.name

    broker = own_broker()
    later = timezone.now() + jobs.stale_after() + timedelta(seconds=1)
    assert videos_requeue_stalled(now=later) == [video.pk]
    assert broker.llen("celery") == 1  # waiting for a worker, which takes it as in test_worker.py
    # Within the stale interval nothing is sent twice.
    assert videos_requeue_stalled(now=later + timedelta(seconds=5)) == []
