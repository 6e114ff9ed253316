"""A learner's attempt at a quiz, holding a snapshot of exactly what was drawn and the answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .bank import Question
from .quiz import Quiz


class Attempt(models.Model):
    """One learner's go at a quiz."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTING = "submitting", _("Being graded")
        AWAITING_GRADING = "awaiting", _("Waiting for essay grading")
        GRADED = "graded", _("Graded")

    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("current question"), default=0)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, default=0)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    timed_out = models.BooleanField(_("submitted by the deadline rule"), default=False)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="quiz_attempt_unique_number"),
            models.UniqueConstraint(fields=["quiz", "user"], condition=models.Q(status="in_progress"),
                                    name="quiz_attempt_one_in_progress"),
        ]
        indexes = [
            models.Index(fields=["user", "quiz", "status"], name="quiz_attempt_user_idx"),
            models.Index(fields=["status", "deadline"], name="quiz_attempt_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number}"

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.AWAITING_GRADING, self.Status.GRADED)

    def duration_seconds(self) -> int | None:
        """Seconds from start to submission."""
        if self.submitted_at is None:
            return None
        return int((self.submitted_at - self.started_at).total_seconds())


class AttemptItem(models.Model):
    """One question of an attempt as it was drawn: text, options in shown order, key, and the answer."""

    attempt = models.ForeignKey(Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.ForeignKey(
        Question, verbose_name=_("bank question"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="attempt_items",
    )
    kind = models.CharField(_("type"), max_length=12, choices=Question.Kind.choices)
    text = models.TextField(_("question text"))
    explanation = models.TextField(_("explanation"), blank=True)
    max_score = models.DecimalField(_("marks"), max_digits=5, decimal_places=1)
    # The frozen key: options (id, text, correct, weight, feedback) in shown order,
    # blanks' accepted answers, true/false answer, scoring mode, reference answer.
    payload = models.JSONField(_("snapshot"), default=dict)
    response = models.JSONField(_("answer"), null=True, blank=True)
    saved_at = models.DateTimeField(_("answer saved"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    comment = models.TextField(_("grader's comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("graded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="quiz_attempt_item_unique_position")
        ]
        indexes = [models.Index(fields=["kind", "graded_at"], name="quiz_item_kind_graded_idx")]

    def __str__(self) -> str:
        return f"{self.attempt} Q{self.position + 1}"

    @property
    def needs_staff(self) -> bool:
        return self.kind == Question.Kind.ESSAY and self.graded_at is None
