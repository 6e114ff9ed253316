"""Why processing a video can fail, and which failures are worth another try."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FailureReason(models.TextChoices):
    EMPTY = "empty", _("The uploaded file is empty (0 bytes). Please upload the file again.")
    MISSING = "missing", _("The uploaded file could not be found in storage. Please upload it again.")
    NOT_MEDIA = "not_media", _("The file is not a video or audio file that can be read. Please upload an MP4, MOV, MKV, MP3 or similar file.")  # noqa: E501
    NO_STREAMS = "no_streams", _("The file holds neither pictures nor sound.")
    DAMAGED = "damaged", _("The file is damaged or incomplete (perhaps the upload or the recording was cut off). Please upload a complete copy.")  # noqa: E501
    TOO_SHORT = "too_short", _("The recording is too short to be a lecture (under one second).")
    ERROR = "error", _("Processing failed several times because of a server problem. Please try again later.")


class MediaError(Exception):
    """The source itself is unusable: retrying cannot help."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class TransientError(Exception):
    """A passing problem (storage, database, a killed process): worth a bounded retry."""
