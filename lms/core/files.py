"""Private files (receipts, certificates, note and trip photos) served after a permission check.

The view decides who may have the file; the bytes go out through django-sendfile2: in production an
X-Accel-Redirect to the proxy's internal location (the proxy never serves private media by URL), in
development and tests streamed by Django. Only decoded image types are shown inline; everything else is an
attachment with a fixed, safe Content-Type, so an uploaded page or script never runs on the site's origin.
"""

import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django_sendfile import sendfile

INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
SAFE_TYPES = INLINE_TYPES | {"application/pdf", "video/mp4", "audio/mp4", "application/zip",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                             "application/msword", "application/vnd.ms-excel", "text/plain"}


def safe_content_type(name: str) -> str:
    """The Content-Type a stored file is sent with: a known safe type, else a download of bytes."""
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed if guessed in SAFE_TYPES else "application/octet-stream"


def private_file_response(request, field_file, *, filename: str | None = None, attachment: bool | None = None):
    """Send a stored file that the caller has already checked the user may have."""
    if not field_file:
        raise Http404
    name = field_file.name
    content_type = safe_content_type(name)
    if attachment is None:
        attachment = content_type not in INLINE_TYPES
    download_name = filename or name.rsplit("/", 1)[-1]
    storage = getattr(field_file, "storage", default_storage)
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None and proxy_serves_files():
        response = sendfile(request, path, attachment=attachment, attachment_filename=download_name,
                            mimetype=content_type)
    else:
        # Streamed here in development and tests, and for object stores without a local path.
        if not storage.exists(name):
            raise Http404
        response = FileResponse(storage.open(name, "rb"), as_attachment=attachment, filename=download_name,
                                content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def proxy_serves_files() -> bool:
    """Whether the proxy sends the bytes (production's X-Accel-Redirect) rather than Django."""
    return settings.SENDFILE_BACKEND.endswith(".nginx")
