"""学员评教: learners rate a session's teaching, or a whole class at its end, on five indicators."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Score(models.IntegerChoices):
    """The four-level scale."""

    EXCELLENT = 4, _("Excellent")
    GOOD = 3, _("Good")
    FAIR = 2, _("Fair")
    POOR = 1, _("Poor")


INDICATORS = [
    ("content", _("Teaching content")),
    ("relevance", _("Linked to practice")),
    ("method", _("Teaching method")),
    ("effect", _("Teaching effect")),
    ("attitude", _("Teaching attitude")),
]
INDICATOR_HELP = {
    "content": _("Accurate, up to date and well organised."),
    "relevance": _("Speaks to the work of village cadres."),
    "method": _("Clear, lively, with examples and discussion."),
    "effect": _("You learned something you can use."),
    "attitude": _("Well prepared, on time, answers questions."),
}


def _score_field(label):
    return models.PositiveSmallIntegerField(
        label, choices=Score.choices, validators=[MinValueValidator(1), MaxValueValidator(4)])


class Evaluation(models.Model):
    """One learner's rating of one session (with its teacher), or of the class as a whole (session empty).

    The learner is kept only to stop a second rating and to check the completion rule; no page shows it.
    """

    person = models.ForeignKey("people.Person", verbose_name=_("cadre"), on_delete=models.CASCADE,
                               related_name="evaluations")
    training_class = models.ForeignKey("classes.TrainingClass", verbose_name=_("training class"),
                                       on_delete=models.CASCADE, related_name="evaluations")
    session = models.ForeignKey("classes.Session", verbose_name=_("session"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="evaluations")
    teacher = models.ForeignKey("people.Teacher", verbose_name=_("teacher"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="evaluations")
    content = _score_field(_("Teaching content"))
    relevance = _score_field(_("Linked to practice"))
    method = _score_field(_("Teaching method"))
    effect = _score_field(_("Teaching effect"))
    attitude = _score_field(_("Teaching attitude"))
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("teaching evaluation")
        verbose_name_plural = _("teaching evaluations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "session"], name="evaluation_once_per_session",
                                    condition=models.Q(session__isnull=False)),
            models.UniqueConstraint(fields=["person", "training_class"], name="evaluation_once_per_class",
                                    condition=models.Q(session__isnull=True)),
        ]
        indexes = [models.Index(fields=["teacher", "created_at"], name="evaluation_teacher_idx")]

    def __str__(self) -> str:
        return f"{self.training_class_id}/{self.session_id or '-'}: {self.average}"

    @property
    def average(self):
        """The mean of the five scores."""
        return sum(getattr(self, code) for code, _label in INDICATORS) / len(INDICATORS)


class EvaluationRequirement(models.Model):
    """Whether a class requires its end-of-class 评教 for completion (a certificate rule)."""

    training_class = models.OneToOneField("classes.TrainingClass", verbose_name=_("training class"),
                                          on_delete=models.CASCADE, related_name="evaluation_requirement")
    required = models.BooleanField(_("evaluation required for completion"), default=True)

    class Meta:
        verbose_name = _("evaluation requirement")
        verbose_name_plural = _("evaluation requirements")

    def __str__(self) -> str:
        return f"{self.training_class_id}: {self.required}"
