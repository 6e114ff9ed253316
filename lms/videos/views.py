"""Learner-facing video views: the watch page, processed files, progress reports; and the staff status poll."""

import mimetypes
import re

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_sendfile import sendfile

from lms.accounts.scope import scope_for
from lms.core.files import proxy_serves_files
from lms.core.json_body import JSONBodyError, load_json

from . import services
from .models import Video

SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".jpg": "image/jpeg",
}
# Outputs sit in a folder named after the run that made them, so a URL's content never changes.
IMMUTABLE = "private, max-age=31536000, immutable"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


@login_required
def watch(request, pk: int):
    """A page with just the player: for links from anywhere, and for trying a video out."""
    video = get_object_or_404(Video, pk=pk)
    return render(request, "videos/watch.html", {"video": video})


@login_required
@require_GET
def processed_file(request, pk: int, name: str):
    """Serve one processed file (playlist, segment, MP4, audio, poster), with byte ranges for seeking."""
    video = get_object_or_404(Video.objects.only("output_dir"), pk=pk)
    if not video.output_dir or not SAFE_NAME.match(name) or name.startswith("."):
        raise Http404
    stored = f"{video.output_dir}/{name}"
    if not default_storage.exists(stored):
        raise Http404
    suffix = name[name.rfind("."):].lower()
    content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if proxy_serves_files():
        response = sendfile(request, default_storage.path(stored), mimetype=content_type)
        response["Cache-Control"] = IMMUTABLE
        return response
    size = default_storage.size(stored)
    match = RANGE.match(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        start, end = _byte_range(match, size)
        if start is None:
            response = StreamingHttpResponse(iter(()), status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle = default_storage.open(stored, "rb")
        handle.seek(start)
        response = StreamingHttpResponse(_read(handle, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(default_storage.open(stored, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = IMMUTABLE
    return response


def _byte_range(match, size: int) -> tuple[int | None, int]:
    first, last = match.group(1), match.group(2)
    if first:
        start, end = int(first), int(last) if last else size - 1
    else:
        start, end = max(0, size - int(last)), size - 1
    end = min(end, size - 1)
    if start > end:
        return None, 0
    return start, end


def _read(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


@login_required
@require_POST
def watch_report(request, pk: int):
    """Record the intervals the page says it played; answer with the merged progress."""
    video = get_object_or_404(Video.objects.exclude(output_dir=""), pk=pk)
    try:
        payload = load_json(request.body, empty={})
    except JSONBodyError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if not isinstance(payload, dict) or not isinstance(payload.get("intervals", []), list):
        return JsonResponse({"error": _("The watch report is not in the expected form.")}, status=400)
    position = payload.get("position")
    if not isinstance(position, (int, float)) or isinstance(position, bool):
        position = None
    progress = services.watch_report_record(
        user=request.user, video=video, intervals=payload.get("intervals", [])[:500], position=position,
    )
    return JsonResponse({
        "watched_seconds": round(progress.watched_seconds, 1),
        "percent": min(100, int(100 * progress.watched_seconds / video.duration)) if video.duration else 0,
        "completed": progress.completed_at is not None,
        "position": progress.position,
    })


@login_required
@require_GET
def status(request, pk: int):
    """A small JSON for the admin's live progress bar."""
    if not scope_for(request.user).staff:
        raise Http404
    video = get_object_or_404(Video.objects.only("state", "progress", "failure_reason", "duration"), pk=pk)
    return JsonResponse({
        "state": video.state,
        "state_label": str(video.get_state_display()),
        "progress": video.progress,
        "failure": video.failure_message(),
        "duration": video.duration,
    }, headers={"Cache-Control": "no-store"})
