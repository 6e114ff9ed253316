"""A worker SIGKILLed mid-transcode: ffmpeg dies with it, the watchdog re-sends the job, it finishes once."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.db import connection
from django.utils import timezone

from lms.celery import app
from lms.core import jobs
from lms.videos.lecture_clip import make_lecture
from lms.videos.models import Rendition, Video
from lms.videos.services import WORK_PREFIX, video_create, video_folder, videos_requeue_stalled
from tests.worker_process import processes_matching, wait_for, worker_process

pytestmark = [pytest.mark.worker, pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _real_broker():
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("a separate worker process needs PostgreSQL and Redis")
    was = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = was


@pytest.fixture(scope="module")
def long_lecture(tmp_path_factory) -> Path:
    return make_lecture(tmp_path_factory.mktemp("lecture") / "lecture.mp4", seconds=90, size="1280x720")


def _folders(video) -> list[str]:
    root = Path(settings.MEDIA_ROOT) / video_folder(video.pk)
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_a_killed_transcode_is_sent_again_and_finishes_once(long_lecture, tmp_path):
    with worker_process(log=tmp_path / "worker1.log") as worker:
        with long_lecture.open("rb") as handle:
            video = video_create(title="乡村振兴专题讲座", source=File(handle, name="lecture.mp4"))
        source = Video.objects.get(pk=video.pk).source.path

        def transcoding():
            video.refresh_from_db()
            return video.state == Video.State.PROCESSING and video.progress >= 3 and processes_matching(source)

        wait_for(transcoding, seconds=120, what="the worker to start transcoding")
        ffmpeg_pids = processes_matching(source)
        worker.kill()
    wait_for(lambda: not any(p in processes_matching(source) for p in ffmpeg_pids), seconds=10,
             what="ffmpeg to die with its worker")
    video.refresh_from_db()
    assert video.state == Video.State.PROCESSING  # stuck, as the issue found it, until the watchdog acts
    assert any(name.startswith(WORK_PREFIX) for name in _folders(video))  # the half-written folder

    later = timezone.now() + jobs.stale_after() + timedelta(seconds=1)
    with worker_process(log=tmp_path / "worker2.log"):
        assert videos_requeue_stalled(now=later) == [video.pk]
        wait_for(lambda: Video.objects.get(pk=video.pk).state in (Video.State.READY, Video.State.FAILED),
                 seconds=300, what="the re-sent job to finish")
    video.refresh_from_db()
    assert video.state == Video.State.READY, video.failure_detail
    # Finished once: one published set, no work folders left, one rendition of each output.
    assert _folders(video) == [video.output_dir.rsplit("/", 1)[-1]]
    names = list(Rendition.objects.filter(video=video).values_list("file", flat=True))
    assert len(names) == len(set(names)) and all(n.startswith(video.output_dir + "/") for n in names)
    assert not processes_matching(source)
