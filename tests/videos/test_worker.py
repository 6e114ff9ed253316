"""An upload is transcoded by a real Celery worker, as it is when staff upload in the admin."""

import time

import pytest
from django.core.files import File

from lms.videos.models import Video
from lms.videos.services import video_create

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_worker_processes_an_upload_to_a_ready_video(landscape_clip, celery_worker_real):
    with landscape_clip.open("rb") as handle:
        video = video_create(title="三议一表决讲座", source=File(handle, name="lecture.mp4"))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        video.refresh_from_db()
        if video.state in (Video.State.READY, Video.State.FAILED):
            break
        time.sleep(0.5)
    assert video.state == Video.State.READY, (video.state, video.failure_detail)
    assert video.duration and video.duration > 0
    assert video.renditions.exists()
