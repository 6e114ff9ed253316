"""Writes: creating videos, processing them into renditions, deleting files, recording watching."""

import logging
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.utils import timezone

from lms.core import jobs

from . import intervals as iv
from . import selectors
from .errors import FailureReason, MediaError, TransientError
from .models import Rendition, Video, WatchProgress
from .probe import probe_media
from .transcode import transcode

logger = logging.getLogger(__name__)

PROGRESS_SAVE_INTERVAL_SECONDS = 1.0
WORK_PREFIX = ".work-"


def video_folder(video_id: int) -> str:
    """The storage folder holding every processed set of a video."""
    return f"videos/{video_id}"


def video_create(*, title: str, source, uploaded_by=None) -> Video:
    """Save an uploaded recording and queue its processing once the upload is committed."""
    with transaction.atomic():
        video = Video(title=title, source=source, uploaded_by=uploaded_by)
        video.full_clean(exclude=["source"])
        video.save()
        video_enqueue_processing(video=video)
    return video


def video_enqueue_processing(*, video: Video) -> jobs.Dispatch:
    """Mark a video as waiting and send the processing task after the current transaction commits.

    With the broker down the video stays waiting and the watchdog sends it when the broker is back;
    `video.dispatch.sent` then reads False so the page can say so.
    """
    from .tasks import video_process_task

    now = timezone.now()
    Video.objects.filter(pk=video.pk).update(
        state=Video.State.UPLOADED, progress=0, failure_reason="", failure_detail="", heartbeat_at=now
    )
    video.state, video.progress, video.failure_reason, video.heartbeat_at = Video.State.UPLOADED, 0, "", now
    video.dispatch = jobs.job_send_on_commit(video_process_task, video.pk)
    return video.dispatch


def videos_requeue_stalled(*, now=None) -> list[int]:
    """Send again every waiting or processing video whose heartbeat stopped (broker outage, dead worker)."""
    from .tasks import video_process_task

    now = now or timezone.now()
    stalled = list(selectors.videos_stalled(now=now).values_list("pk", flat=True))
    for video_id in stalled:
        # The heartbeat is moved on so a video is sent again at most once per stale interval.
        Video.objects.filter(pk=video_id).update(heartbeat_at=now)
        jobs.job_send(video_process_task, video_id)
    return stalled


def video_source_replaced(*, video: Video, old_source: str) -> None:
    """Process a newly uploaded recording; the old recording's file goes once the change is committed."""
    video_enqueue_processing(video=video)
    if old_source and old_source != video.source.name:
        transaction.on_commit(lambda: default_storage.delete(old_source))


def video_mark_failed(*, video_id: int, reason: str, detail: str = "") -> None:
    """Record that a video cannot be processed, and why."""
    Video.objects.filter(pk=video_id).update(
        state=Video.State.FAILED, failure_reason=reason, failure_detail=detail[:4000], progress=0
    )


def video_process(*, video_id: int, force: bool = False) -> Video | None:
    """Probe and transcode a video, publish its outputs atomically; raise TransientError to retry."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return None
    if not force and video.state == Video.State.READY and video.processed_source == video.source.name:
        return video  # A redelivered task after success: nothing to do.
    token = uuid.uuid4().hex[:12]
    Video.objects.filter(pk=video_id).update(
        state=Video.State.PROCESSING, progress=0, run_token=token, failure_reason="", failure_detail="",
        heartbeat_at=timezone.now(),
    )
    # A run killed part-way left its half-written folder; publishing this run removes it (_remove_stale_sets).
    try:
        with _local_source(video) as source_path, _work_dir(video_id, token) as work:
            info = probe_media(source_path)
            Video.objects.filter(pk=video_id, run_token=token).update(
                duration=info.duration, width=info.display_width, height=info.display_height,
                rotation=info.rotation, has_audio=info.has_audio, has_video=info.has_video,
            )
            result = transcode(source_path, info, work, on_progress=_progress_saver(video_id, token, info.duration))
            published = _publish(video_id, token, work, result)
    except MediaError as error:
        video_mark_failed(video_id=video_id, reason=error.reason, detail=error.detail)
        _remove_stale_sets(video_id)
        return Video.objects.get(pk=video_id)
    except (OSError, DatabaseError) as error:
        raise TransientError(str(error)) from error
    if published:
        _remove_stale_sets(video_id)
    return Video.objects.get(pk=video_id)


@contextmanager
def _local_source(video: Video):
    """A local path of the source: the stored file itself, or a streamed temporary copy."""
    name = video.source.name
    if not name or not default_storage.exists(name):
        raise MediaError(FailureReason.MISSING, name)
    if default_storage.size(name) == 0:
        raise MediaError(FailureReason.EMPTY, name)
    try:
        local_path = default_storage.path(name)
    except NotImplementedError:
        local_path = None
    if local_path:
        yield local_path
        return
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, default_storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            copy.write(chunk)
        copy.flush()
        yield copy.name


@contextmanager
def _work_dir(video_id: int, token: str):
    """A folder beside the final one (on local storage) so publishing is a rename; else a temp folder."""
    try:
        parent = Path(default_storage.path(video_folder(video_id)))
    except NotImplementedError:
        parent = Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    work = parent / f"{WORK_PREFIX}{token}"
    work.mkdir()
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _progress_saver(video_id: int, token: str, duration: float | None):
    last_saved = 0.0

    def save(seconds: float) -> None:
        nonlocal last_saved
        now = time.monotonic()
        if now - last_saved < PROGRESS_SAVE_INTERVAL_SECONDS:
            return
        last_saved = now
        fields = {"heartbeat_at": timezone.now()}
        if duration:
            fields["progress"] = min(99, int(100 * seconds / duration))
        Video.objects.filter(pk=video_id, run_token=token).update(**fields)

    return save


def _publish(video_id: int, token: str, work: Path, result) -> bool:
    """Move a finished set into place and point the video at it, unless a newer run took over."""
    final_prefix = f"{video_folder(video_id)}/{token}"
    try:
        final_dir = Path(default_storage.path(final_prefix))
        work.rename(final_dir)  # Same filesystem, same parent: atomic.
    except NotImplementedError:
        for path in sorted(work.iterdir()):
            with path.open("rb") as handle:
                default_storage.save(f"{final_prefix}/{path.name}", File(handle))
        final_dir = work
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(pk=video_id).first()
        if video is None or video.run_token != token:
            logger.info("video %s: run %s superseded, discarding its outputs", video_id, token)
            _delete_prefix(final_prefix)
            return False
        video.renditions.all().delete()
        renditions = []
        poster = ""
        for output in result.outputs:
            name = f"{final_prefix}/{output.name}"
            renditions.append(Rendition(
                video=video, kind=output.kind, file=name, width=output.width, height=output.height,
                bitrate=output.bitrate, size=_output_size(final_dir, output),
            ))
            if output.kind == Rendition.Kind.POSTER:
                poster = name
        Rendition.objects.bulk_create(renditions)
        video.state, video.progress, video.duration = Video.State.READY, 100, result.duration
        video.output_dir, video.poster, video.processed_source = final_prefix, poster, video.source.name
        video.processed_at = timezone.now()
        video.save(update_fields=["state", "progress", "duration", "output_dir", "poster", "processed_source",
                                  "processed_at"])
    return True


def _output_size(folder: Path, output) -> int:
    """Bytes of an output; an HLS variant counts its segments too."""
    size = (folder / output.name).stat().st_size
    if output.kind == Rendition.Kind.HLS:
        stem = output.name.rsplit(".", 1)[0]
        size += sum(path.stat().st_size for path in folder.glob(f"{stem}_*.ts"))
    return size


def _remove_stale_sets(video_id: int) -> None:
    """Delete every processed set of a video except the published one (and a run still working)."""
    video = Video.objects.filter(pk=video_id).only("output_dir", "run_token", "state").first()
    keep = set()
    if video is not None:
        if video.output_dir:
            keep.add(video.output_dir.rsplit("/", 1)[-1])
        if video.state == Video.State.PROCESSING:
            keep.add(f"{WORK_PREFIX}{video.run_token}")
    folder = video_folder(video_id)
    if not default_storage.exists(folder):
        return
    dirs, _files = default_storage.listdir(folder)
    for name in dirs:
        if name not in keep:
            _delete_prefix(f"{folder}/{name}")


def _delete_prefix(prefix: str) -> None:
    """Delete a folder of storage, file by file, so it works on object storage too."""
    try:
        shutil.rmtree(default_storage.path(prefix), ignore_errors=True)
        return
    except NotImplementedError:
        pass
    if not default_storage.exists(prefix):
        return
    dirs, files = default_storage.listdir(prefix)
    for name in files:
        default_storage.delete(f"{prefix}/{name}")
    for name in dirs:
        _delete_prefix(f"{prefix}/{name}")


def video_files_delete(*, video_id: int, source_name: str) -> None:
    """Remove a deleted video's source and every processed file from storage."""
    _delete_prefix(video_folder(video_id))
    if source_name:
        default_storage.delete(source_name)
        parent = source_name.rsplit("/", 1)[0]
        if parent.startswith("videos/sources/") and default_storage.exists(parent):
            dirs, files = default_storage.listdir(parent)
            if not dirs and not files:
                _delete_prefix(parent)


def watch_report_record(*, user, video: Video, intervals: list, position: float | None) -> WatchProgress:
    """Merge the intervals a page says it played, within what the time since its last report allows."""
    duration = video.duration or 0.0
    now = timezone.now()
    with transaction.atomic():
        progress, _created = WatchProgress.objects.select_for_update().get_or_create(user=user, video=video)
        elapsed = (now - progress.last_report_at).total_seconds() if progress.last_report_at else None
        reported = iv.limit_to_budget(iv.clean_intervals(intervals, duration=duration),
                                      budget=iv.report_budget(elapsed))
        merged = iv.merge_intervals([tuple(pair) for pair in progress.intervals] + reported)
        progress.intervals = [[round(start, 2), round(end, 2)] for start, end in merged]
        progress.watched_seconds = iv.covered_seconds(merged)
        if position is not None and duration:
            try:
                progress.position = min(max(0.0, float(position)), duration)
            except (TypeError, ValueError, OverflowError):
                pass
        if progress.completed_at is None and iv.is_watched(progress.watched_seconds, duration):
            progress.completed_at = now
        progress.last_report_at = now
        progress.save()
    return progress
