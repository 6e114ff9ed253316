"""Completion certificates (结业证书): settings, per-class rules, serial counters, certificates, batches."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from lms.classes.models import TrainingMode


class Design(models.TextChoices):
    """The certificate templates staff choose from; each is templates/certificates/pdf/<value>.html."""

    PORTRAIT = "portrait", _("Portrait, red frame")
    LANDSCAPE = "landscape", _("Landscape, red frame")
    LANDSCAPE_PLAIN = "landscape_plain", _("Landscape, plain")


class TripRule(models.TextChoices):
    AUTO = "auto", _("Only when the class has a field-study trip")
    YES = "yes", pgettext_lazy("rule", "Required")
    NO = "no", _("Not required")


@register_setting(icon="doc-full")
class CertificateSettings(BaseGenericSetting):
    """School-wide defaults for completion rules and the certificate's look."""

    attendance_threshold = models.DecimalField(
        _("attendance rate required"), max_digits=3, decimal_places=2, default=Decimal("0.90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of held sessions a learner must attend, for example 0.90."),
    )
    enforce_leave_cap = models.BooleanField(_("leave must stay within 1/7 of the hours"), default=True)
    require_lessons = models.BooleanField(_("required lessons must be watched or read"), default=True)
    require_quiz = models.BooleanField(_("the class quiz must be passed"), default=True)
    min_notes = models.PositiveSmallIntegerField(
        _("study notes required"), default=1, validators=[MaxValueValidator(100)]
    )
    require_trip_report = models.CharField(
        _("trip report"), max_length=4, choices=TripRule.choices, default=TripRule.AUTO
    )
    serial_word = models.CharField(
        _("serial number word"), max_length=20, default="乡党校结字",
        help_text=_("Printed as 〔year〕word第001号."),
    )
    design = models.CharField(_("default design"), max_length=20, choices=Design.choices, default=Design.LANDSCAPE)
    seal = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("seal image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", help_text=_("A PNG of the school's seal with a clear background."),
    )
    signatory = models.CharField(_("signed by"), max_length=40, blank=True, help_text=_("For example: 校长 张三"))

    class Meta:
        verbose_name = _("certificate settings")


# The rules of each mode when staff have not edited them (the migration seeds the same values).
MODE_DEFAULTS = {
    TrainingMode.CENTRALISED: dict(require_attendance=True, enforce_leave_cap=True, require_lessons=False, min_notes=1),
    TrainingMode.PRACTICE_BASE: dict(require_attendance=True, enforce_leave_cap=True, require_lessons=False,
                                     min_notes=1),
    TrainingMode.OFF_SITE: dict(require_attendance=True, enforce_leave_cap=True, require_lessons=False, min_notes=1),
    TrainingMode.LECTURE_TOUR: dict(require_attendance=True, enforce_leave_cap=True, require_lessons=False,
                                    min_notes=0),
    TrainingMode.DEGREE: dict(require_attendance=True, enforce_leave_cap=True, require_lessons=False, min_notes=0),
    TrainingMode.REMOTE: dict(require_attendance=False, enforce_leave_cap=False, require_lessons=True, min_notes=0),
}


class ModeCompletionRules(models.Model):
    """The default completion rules of one training mode; a class's own rules still come first.

    A face-to-face class (集中轮训) is completed by attending, staying within the leave cap and writing notes;
    a remote class (远教培训) by watching or reading its lessons; a trip report is asked only of a class with a trip.
    """

    mode = models.CharField(_("training mode"), max_length=20, unique=True,
                            choices=TrainingMode.choices)
    require_attendance = models.BooleanField(_("attendance required"), default=True)
    enforce_leave_cap = models.BooleanField(_("leave must stay within 1/7 of the hours"), default=True)
    require_lessons = models.BooleanField(_("required lessons must be watched or read"), default=False)
    require_quiz = models.BooleanField(_("the class quiz must be passed (when it has one)"), default=True)
    min_notes = models.PositiveSmallIntegerField(_("study notes required"), default=1,
                                                 validators=[MaxValueValidator(100)])
    require_trip_report = models.CharField(_("trip report"), max_length=4, choices=TripRule.choices,
                                           default=TripRule.AUTO)

    class Meta:
        verbose_name = _("completion rules of a training mode")
        verbose_name_plural = _("completion rules by training mode")
        ordering = ["mode"]

    def __str__(self) -> str:
        return str(TrainingMode(self.mode).label)

    @classmethod
    def for_mode(cls, mode: str) -> "ModeCompletionRules":
        """The stored rules of a mode, else its defaults (unsaved)."""
        return cls.objects.filter(mode=mode).first() or cls(mode=mode, **MODE_DEFAULTS.get(mode, {}))


class ClassCertificateRules(models.Model):
    """One class's choices that differ from the school-wide defaults; empty fields use the default."""

    training_class = models.OneToOneField(
        "classes.TrainingClass", verbose_name=_("training class"), on_delete=models.CASCADE,
        related_name="certificate_rules",
    )
    design = models.CharField(_("design"), max_length=20, choices=Design.choices, blank=True)
    attendance_threshold = models.DecimalField(
        _("attendance rate required"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    enforce_leave_cap = models.BooleanField(_("leave must stay within 1/7 of the hours"), null=True, blank=True)
    require_lessons = models.BooleanField(_("required lessons must be watched or read"), null=True, blank=True)
    require_quiz = models.BooleanField(_("the class quiz must be passed"), null=True, blank=True)
    min_notes = models.PositiveSmallIntegerField(
        _("study notes required"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    require_trip_report = models.CharField(_("trip report"), max_length=4, choices=TripRule.choices, blank=True)

    class Meta:
        verbose_name = _("class certificate rules")
        verbose_name_plural = _("class certificate rules")

    def __str__(self) -> str:
        return str(self.training_class)


class SerialCounter(models.Model):
    """The last serial number used per school word and year; locked while a number is taken."""

    word = models.CharField(_("serial number word"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")
        constraints = [models.UniqueConstraint(fields=["word", "year"], name="certificate_counter_unique")]

    def __str__(self) -> str:
        return f"〔{self.year}〕{self.word} {self.last_number}"


def new_verification_code() -> str:
    """An unguessable code for the public verification URL."""
    return secrets.token_urlsafe(18)


class Certificate(models.Model):
    """A learner's completion certificate of a class; revoked ones are kept."""

    training_class = models.ForeignKey(
        "classes.TrainingClass", verbose_name=_("training class"), on_delete=models.PROTECT,
        related_name="certificates",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="certificates"
    )
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("verification code"), max_length=32, unique=True, default=new_verification_code)
    holder_name = models.CharField(_("holder"), max_length=40)
    class_name = models.CharField(_("class"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    design = models.CharField(_("design"), max_length=20, choices=Design.choices)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    manual_reason = models.CharField(
        _("reason for issuing by hand"), max_length=200, blank=True,
        help_text=_("Empty when the learner met every rule."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="certificate_unique_person"),
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class IssueBatch(models.Model):
    """One run of the issue job for a class, with its progress for the admin's progress bar."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    training_class = models.ForeignKey(
        "classes.TrainingClass", verbose_name=_("training class"), on_delete=models.CASCADE,
        related_name="certificate_batches",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("learners to issue"), default=0)
    done = models.PositiveIntegerField(_("issued"), default=0)
    message = models.TextField(_("message"), blank=True)
    # Touched when the job is queued and after each certificate; the watchdog re-queues a batch whose beat stopped.
    heartbeat_at = models.DateTimeField(_("last sign of the job"), null=True, blank=True)

    class Meta:
        verbose_name = _("issue run")
        verbose_name_plural = _("issue runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.training_class} #{self.pk}"


class CertificateBundle(models.Model):
    """All valid certificates of a class in one zip with an Excel manifest, built by the worker."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    training_class = models.ForeignKey(
        "classes.TrainingClass", verbose_name=_("training class"), on_delete=models.CASCADE,
        related_name="certificate_bundles",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("added"), default=0)
    file = models.FileField(_("zip file"), upload_to="certificates/bundles/%Y/", blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("certificate bundle")
        verbose_name_plural = _("certificate bundles")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.training_class} bundle #{self.pk}"
