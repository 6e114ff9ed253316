"""Lecture videos, their processed renditions and each learner's watch progress."""

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import FailureReason

SOURCE_EXTENSIONS = [
    "mp4", "m4v", "mov", "mkv", "webm", "avi", "wmv", "flv", "mpg", "mpeg", "ts", "3gp",
    "mp3", "m4a", "aac", "wav", "amr", "ogg", "opus", "flac", "wma",
]


def source_upload_to(instance: "Video", filename: str) -> str:
    """Sources live apart from outputs, under a random folder so names never clash."""
    return f"videos/sources/{uuid.uuid4().hex[:12]}/{filename}"


class Video(models.Model):
    """A lecture recording and what processing made of it."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, waiting to be processed")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    title = models.CharField(_("title"), max_length=200)
    source = models.FileField(
        _("video or audio file"), upload_to=source_upload_to, max_length=300,
        validators=[FileExtensionValidator(SOURCE_EXTENSIONS)],
        help_text=_("A lecture recording (MP4, MOV, MKV, MP3, ...). Large files are fine; they are processed after upload."),  # noqa: E501
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.UPLOADED)
    failure_reason = models.CharField(_("reason for failure"), max_length=20, choices=FailureReason.choices, blank=True)
    failure_detail = models.TextField(_("technical detail"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    rotation = models.PositiveSmallIntegerField(_("rotation (degrees)"), default=0)
    has_audio = models.BooleanField(_("has sound"), default=False)
    has_video = models.BooleanField(_("has pictures"), default=False)
    poster = models.FileField(_("poster"), max_length=300, blank=True, editable=False)
    output_dir = models.CharField(max_length=200, blank=True, editable=False)
    processed_source = models.CharField(max_length=300, blank=True, editable=False)
    run_token = models.CharField(max_length=32, blank=True, editable=False)
    # Touched when the job is queued and while it works; the watchdog re-queues a job whose beat stopped.
    heartbeat_at = models.DateTimeField(_("last sign of the job"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lecture video")
        verbose_name_plural = _("lecture videos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        """Whether learners can play it."""
        return self.state == self.State.READY

    @property
    def is_playable(self) -> bool:
        """Whether a processed set exists (it stays playable while a new one is being made)."""
        return bool(self.output_dir)

    @property
    def is_audio_only(self) -> bool:
        """A recording with sound and no pictures."""
        return self.has_audio and not self.has_video

    def state_summary(self) -> str:
        """The state, with the percent done while processing."""
        if self.state == self.State.PROCESSING:
            return f"{self.get_state_display()} {self.progress}%"
        return str(self.get_state_display())

    def duration_display(self) -> str:
        """Duration as m:ss or h:mm:ss."""
        from .templatetags.videos_tags import seconds_clock

        return seconds_clock(self.duration) if self.duration else "-"

    def failure_message(self) -> str:
        """The reason for failure in the user's language."""
        return str(FailureReason(self.failure_reason).label) if self.failure_reason else ""


class Rendition(models.Model):
    """One processed file of a video: a playlist, a download or the audio track."""

    class Kind(models.TextChoices):
        MASTER = "master", _("HLS master playlist")
        HLS = "hls", _("HLS variant")
        MP4 = "mp4", _("Small MP4 download")
        AUDIO = "audio", _("Audio only")
        POSTER = "poster", _("Poster image")

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), max_length=300)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    bitrate = models.PositiveIntegerField(_("bits per second"), default=0)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        ordering = ["video", "kind", "height"]
        constraints = [models.UniqueConstraint(fields=["video", "file"], name="rendition_unique_file")]

    def __str__(self) -> str:
        return f"{self.video_id} {self.kind} {self.height}p"

    @property
    def relative_name(self) -> str:
        """The file's name inside the video's output folder (as playlists refer to it)."""
        return self.file.name.rsplit("/", 1)[-1]


class WatchProgress(models.Model):
    """What one learner has actually played of one video, as merged [start, end] intervals."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_progress")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="watch_progress")
    intervals = models.JSONField(default=list)
    watched_seconds = models.FloatField(_("seconds watched"), default=0)
    position = models.FloatField(_("resume position (seconds)"), default=0)
    completed_at = models.DateTimeField(_("watched in full at"), null=True, blank=True)
    last_report_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(_("last watched"), auto_now=True)

    class Meta:
        verbose_name = _("watch progress")
        verbose_name_plural = _("watch progress")
        constraints = [models.UniqueConstraint(fields=["user", "video"], name="watch_progress_unique_user_video")]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.video_id}: {self.watched_seconds:.0f}s"


class OfflinePackage(models.Model):
    """An offline package the server made for one station: who is on its roster, until when, whether revoked.

    The package carries no key: whoever holds the USB stick could sign anything with a key it carried. The server
    trusts a record only as far as this row allows (its station, roster, creation time, validity, revocation).
    """

    package_id = models.CharField(_("package id"), max_length=64, unique=True)
    station = models.ForeignKey("people.Station", verbose_name=_("station"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="offline_packages")
    course_id = models.PositiveIntegerField(_("course"))
    roster = models.JSONField(_("roster (cadre ids)"), default=list)
    created_at = models.DateTimeField(_("made at"))
    valid_until = models.DateTimeField(_("records accepted until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("offline package")
        verbose_name_plural = _("offline packages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.package_id


class OfflineImport(models.Model):
    """One watch record uploaded from a station's offline package; each record counts once."""

    record_id = models.CharField(_("record id"), max_length=64, unique=True)
    package_id = models.CharField(_("package id"), max_length=64)
    station = models.CharField(_("station"), max_length=200, blank=True)
    entries = models.PositiveIntegerField(_("entries imported"), default=0)
    attendance_marks = models.PositiveIntegerField(_("attendance marks recorded"), default=0)
    refused = models.JSONField(_("refused entries and why"), default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offline watch record")
        verbose_name_plural = _("offline watch records")

    def __str__(self) -> str:
        return f"{self.station} {self.record_id}"
