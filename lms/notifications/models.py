"""Notifications: message types with editable templates, the inbox, deliveries, preferences, announcements."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import TYPES, Category


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MessageType(models.Model):
    """One kind of message the system sends; staff edit its Chinese templates and default channels."""

    code = models.SlugField(_("code"), max_length=40, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.CHOICES, editable=False)
    title_template = models.CharField(_("title"), max_length=120)
    body_template = models.TextField(_("text (in-app and e-mail)"))
    sms_template = models.CharField(_("SMS text"), max_length=200, blank=True)
    sms_template_code = models.CharField(
        _("SMS provider template code"), max_length=40, blank=True,
        help_text=_("The approved template code at Aliyun or Tencent Cloud whose text matches the SMS text "
                    "(for example SMS_123456789); not needed for the built-in file backend."),
    )
    sms_default = models.BooleanField(_("SMS on by default"), default=False)
    email_default = models.BooleanField(_("e-mail on by default"), default=False)
    is_active = models.BooleanField(_("sent"), default=True, help_text=_("Untick to stop sending this type."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message type")
        verbose_name_plural = _("message types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def spec(self):
        return TYPES[self.code]

    @property
    def name(self) -> str:
        spec = TYPES.get(self.code)
        return spec.name if spec else self.code

    @property
    def variables(self) -> tuple[str, ...]:
        return self.spec.variables

    @property
    def in_app_mandatory(self) -> bool:
        return self.category in Category.MANDATORY_IN_APP

    def variables_display(self) -> str:
        """The variables with their meaning, for the editing form."""
        from .catalogue import VARIABLES

        return "  ".join(f"{{{v}}} {VARIABLES[v].label}" for v in self.variables)

    variables_display.short_description = _("variables")


class Message(models.Model):
    """A message in one person's inbox: one per event and person (the unique key makes retries harmless)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="messages"
    )
    type = models.ForeignKey(MessageType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="messages")
    event_key = models.CharField(_("event"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    in_app = models.BooleanField(_("shown in the inbox"), default=True)
    created_at = models.DateTimeField(_("sent at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "recipient"], name="message_one_per_event_and_person")
        ]
        indexes = [models.Index(fields=["recipient", "in_app", "read_at"], name="message_inbox_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One message sent on one channel (SMS or e-mail), with its state and the reason of a failure."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        HELD = "held", _("Held for the morning (quiet hours)")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    message = models.ForeignKey(Message, verbose_name=_("message"), on_delete=models.CASCADE,
                                related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    body = models.TextField(_("text sent"), blank=True)
    params = models.JSONField(_("template parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=100, blank=True)
    backend = models.CharField(_("backend"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["message", "channel"], name="delivery_one_per_channel")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class Preference(models.Model):
    """A person's choice of channels for one message type (absent: the type's defaults)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    type = models.ForeignKey(MessageType, verbose_name=_("type"), on_delete=models.CASCADE, related_name="+")
    in_app = models.BooleanField(_("in-app"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    email = models.BooleanField(_("e-mail"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "type"], name="preference_one_per_type")]

    def __str__(self) -> str:
        return f"{self.user} · {self.type}"


def default_quiet_start() -> datetime.time:
    return datetime.time(22, 0)


def default_quiet_end() -> datetime.time:
    return datetime.time(7, 0)


class QuietHours(models.Model):
    """A person's quiet hours (no SMS; held and sent when they end) and daily SMS cap."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="quiet_hours")
    starts_at = models.TimeField(_("no SMS from"), default=default_quiet_start)
    ends_at = models.TimeField(_("no SMS until"), default=default_quiet_end)
    daily_sms_cap = models.PositiveSmallIntegerField(
        _("SMS a day at most"), default=5, validators=[MaxValueValidator(50)],
        help_text=_("Past this number, the day's further messages stay in the inbox only."),
    )

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self):
        if self.starts_at == self.ends_at:
            raise ValidationError(_("Quiet hours must start and end at different times."))


class Announcement(models.Model):
    """A bulk announcement by staff to a class, a township or all learners."""

    class Audience(models.TextChoices):
        CLASS = "class", _("A training class")
        TOWNSHIP = "township", _("A township")
        ALL = "all", _("All learners")

    class State(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    title = models.CharField(_("title"), max_length=30)
    text = models.TextField(_("text"), max_length=1000)
    audience = models.CharField(_("send to"), max_length=10, choices=Audience.choices)
    training_class = models.ForeignKey("classes.TrainingClass", verbose_name=_("training class"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("people.Township", verbose_name=_("township or town"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    with_sms = models.BooleanField(_("also by SMS"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENDING)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    done = models.PositiveIntegerField(_("sent so far"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    @property
    def event_key(self) -> str:
        return f"announcement:{self.pk}"
