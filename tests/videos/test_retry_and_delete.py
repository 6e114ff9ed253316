"""Retry safety: a crashed run, a re-run and a task's bounded retries leave exactly one set of files."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from lms.videos import services, transcode
from lms.videos.errors import FailureReason, TransientError
from lms.videos.models import Rendition, Video
from lms.videos.tasks import video_process_task

pytestmark = pytest.mark.django_db


def _sets(video_id: int) -> list[str]:
    return sorted(default_storage.listdir(services.video_folder(video_id))[0])


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing in the task may catch it."""


def test_a_run_killed_midway_is_rerun_to_exactly_one_set_of_outputs(landscape_clip, make_video, monkeypatch):
    video = make_video(landscape_clip)
    real_run = transcode.run_ffmpeg

    def killed(args, *, on_progress=None, timeout=None):
        real_run(args, on_progress=on_progress, timeout=timeout)
        raise WorkerKilled

    monkeypatch.setattr(transcode, "run_ffmpeg", killed)
    with pytest.raises(WorkerKilled):
        services.video_process(video_id=video.pk)
    assert Video.objects.get(pk=video.pk).state == Video.State.PROCESSING
    monkeypatch.setattr(transcode, "run_ffmpeg", real_run)

    # acks_late: the broker hands the same message to another worker.
    video_process_task.apply(args=[video.pk])

    video.refresh_from_db()
    assert video.state == Video.State.READY
    assert _sets(video.pk) == [video.output_dir.rsplit("/", 1)[-1]]
    folder = Path(default_storage.path(video.output_dir))
    names = sorted(p.name for p in folder.iterdir())
    assert names.count("master.m3u8") == 1 and "download.mp4" in names
    assert all(default_storage.exists(r.file.name) for r in video.renditions.all())


def test_processing_again_replaces_the_outputs(landscape_clip, make_video):
    video = services.video_process(video_id=make_video(landscape_clip).pk)
    first_dir = video.output_dir

    video = services.video_process(video_id=video.pk, force=True)

    assert video.output_dir != first_dir
    assert _sets(video.pk) == [video.output_dir.rsplit("/", 1)[-1]]
    assert video.renditions.filter(kind=Rendition.Kind.MASTER).count() == 1


def test_a_redelivered_task_after_success_does_nothing(landscape_clip, make_video):
    video = services.video_process(video_id=make_video(landscape_clip).pk)

    video_process_task.apply(args=[video.pk])

    assert Video.objects.get(pk=video.pk).output_dir == video.output_dir


def test_transient_errors_are_retried_a_bounded_number_of_times(landscape_clip, make_video, monkeypatch):
    video = make_video(landscape_clip)
    calls = []

    def flaky(*, video_id, force=False):
        calls.append(video_id)
        raise TransientError("storage unreachable")

    monkeypatch.setattr(services, "video_process", flaky)
    # Eager retries re-apply in process; let them run their course instead of raising the first Retry.
    monkeypatch.setitem(video_process_task.app.conf, "task_eager_propagates", False)
    video_process_task.apply(args=[video.pk])

    video.refresh_from_db()
    assert len(calls) == 1 + video_process_task.max_retries
    assert video.state == Video.State.FAILED and video.failure_reason == FailureReason.ERROR


def test_a_bad_file_is_not_retried(clips, make_video, monkeypatch):
    bad = clips / "bad.mp4"
    bad.write_bytes(b"not a video at all" * 10)
    video = make_video(bad)
    calls = []
    real = services.video_process
    monkeypatch.setattr(services, "video_process", lambda **kw: calls.append(1) or real(**kw))

    video_process_task.apply(args=[video.pk])

    assert len(calls) == 1
    assert Video.objects.get(pk=video.pk).failure_reason == FailureReason.NOT_MEDIA


def test_progress_is_saved_from_ffmpeg_reports_at_most_once_a_second(landscape_clip, make_video, monkeypatch):
    video = make_video(landscape_clip)
    saved = []
    clock = iter(range(1000))
    monkeypatch.setattr(services.time, "monotonic", lambda: next(clock) * 0.4)
    real_update = services.Video.objects.filter

    def spy(*args, **kwargs):
        qs = real_update(*args, **kwargs)
        if "run_token" in kwargs:
            original = qs.update

            def update(**values):
                if "progress" in values:  # saved with the heartbeat
                    saved.append(values["progress"])
                return original(**values)

            qs.update = update
        return qs

    monkeypatch.setattr(services.Video.objects, "filter", spy)
    save = services._progress_saver(video.pk, "", 10.0)
    for tenth in range(0, 100):
        save(tenth / 10)

    assert 10 <= len(saved) <= 60
    assert saved == sorted(saved) and max(saved) <= 99


def test_progress_lines_are_read_from_ffmpegs_own_report():
    assert transcode.parse_progress_line("out_time_us=1500000\n") == 1.5
    assert transcode.parse_progress_line("out_time_ms=2000000") == 2.0
    assert transcode.parse_progress_line("out_time_us=N/A") is None
    assert transcode.parse_progress_line("progress=continue") is None


def test_deleting_a_video_removes_its_files(landscape_clip, make_video, django_capture_on_commit_callbacks):
    video = services.video_process(video_id=make_video(landscape_clip).pk)
    files = [r.file.name for r in video.renditions.all()] + [video.source.name]
    assert all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        video.delete()

    assert not any(default_storage.exists(name) for name in files)
    assert not default_storage.exists(services.video_folder(video.pk))
