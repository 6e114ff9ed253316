"""Personal API tokens (stored only as a hash) and the external ids other systems send with their records."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "lms_"


def token_digest(raw: str) -> str:
    """The SHA-256 of a raw token: what is stored and looked up."""
    return hashlib.sha256(raw.encode()).hexdigest()


def token_new() -> str:
    """A new raw token, shown once to its creator."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A personal token: acts as its user, with that user's role and scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="personal_api_tokens"
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("What the token is for, e.g. 组织部干部库同步."))
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("first characters"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def is_usable(self, now=None) -> bool:
        """Not revoked and not expired."""
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ExternalAttendance(models.Model):
    """Which attendance mark an outside sign-in system's record became, so resending it changes nothing."""

    source = models.CharField(_("source system"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=100)
    attendance = models.ForeignKey(
        "classes.Attendance", verbose_name=_("attendance"), on_delete=models.CASCADE, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance from another system")
        verbose_name_plural = _("attendance from other systems")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="external_attendance_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"
