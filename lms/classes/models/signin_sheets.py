"""Scans of signed paper sign-in sheets (签到表), kept as evidence of a session's sign-in for 四落实."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .training import Session


class SignInSheetScan(models.Model):
    """A photo or PDF of the sheet the learners signed at a session."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="sheet_scans")
    file = models.FileField(_("scanned sheet"), upload_to="classes/signin-sheets/%Y/%m/")
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scanned sign-in sheet")
        verbose_name_plural = _("scanned sign-in sheets")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file.name
