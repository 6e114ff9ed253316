"""The question bank: a category tree, questions of seven kinds, their options and blanks."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin

PATH_SEPARATOR = "/"
CATEGORY_NAME_MAX = 60
CATEGORY_PATH_MAX = 400


class QuestionCategory(models.Model):
    """A node of the category tree, e.g. 廉政建设 under 党风廉政; `path` holds the names from the root."""

    name = models.CharField(_("name"), max_length=CATEGORY_NAME_MAX)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(_("full name"), max_length=CATEGORY_PATH_MAX, editable=False, db_index=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["path"], name="quiz_category_unique_path")]

    def __str__(self) -> str:
        return self.path or self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = self.compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Renaming or moving a node renames every descendant's path too.
            for child in self.children.all():
                child.save()

    def compute_path(self) -> str:
        """The names from the root down to this node, joined by '/'."""
        name = self.name.replace(PATH_SEPARATOR, "／").strip()
        if self.parent_id is None:
            return name
        return f"{self.parent.path}{PATH_SEPARATOR}{name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A category cannot be placed under itself.")})
            node = node.parent


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(PreviewableMixin, ClusterableModel):
    """One bank question; quizzes copy it into each attempt, so edits never change a finished attempt."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        FILL_BLANK = "fill_blank", _("Fill in the blanks")
        NUMERICAL = "numerical", _("Numerical")
        MATCHING = "matching", _("Matching")
        ESSAY = "essay", _("Short answer or essay")
        DESCRIPTION = "description", _("Description (not scored)")

    class MultipleScoring(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing")
        HALF_FOR_SUBSET = "half", _("Half marks when some correct options and no wrong one are picked")
        WEIGHTED = "weighted", _("Sum of the picked options' weights (Moodle style)")

    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Optional; only staff see it."))
    text = models.TextField(_("question text"))
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Shown to learners after grading."))
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (easy) to 5 (hard)."),
    )
    score = models.DecimalField(
        _("marks"), max_digits=5, decimal_places=1, default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    multiple_scoring = models.CharField(
        _("multiple-choice scoring"), max_length=10, choices=MultipleScoring.choices,
        default=MultipleScoring.ALL_OR_NOTHING,
    )
    true_false_answer = models.BooleanField(_("true-or-false answer"), null=True, blank=True)
    reference_answer = models.TextField(
        _("reference answer"), blank=True, help_text=_("For essays: what graders should look for.")
    )
    answer_spec = models.JSONField(
        _("graded answers"), default=dict, blank=True,
        help_text=_("Filled by imports: numerical answers with tolerance and units, short answers with partial "
                    "credit, true-or-false feedback."),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive questions are never drawn into new attempts.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("difficulty"), FieldPanel("score")]),
        FieldPanel("text"),
        InlinePanel("choices", heading=_("Options (single and multiple choice)"), label=_("Option")),
        FieldPanel("multiple_scoring"),
        FieldPanel("true_false_answer"),
        InlinePanel("blanks", heading=_("Blanks (fill in the blanks)"), label=_("Blank")),
        FieldPanel("answer_spec"),
        FieldPanel("reference_answer"),
        FieldPanel("explanation"),
        MultiFieldPanel([FieldPanel("title"), FieldPanel("tags"), FieldPanel("is_active")], heading=_("More")),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__path", "pk"]
        indexes = [models.Index(fields=["kind", "difficulty"], name="quiz_question_kind_diff_idx")]

    def __str__(self) -> str:
        text = self.title or strip_tags(self.text)
        return text if len(text) <= 40 else f"{text[:40]}…"

    @property
    def is_scored(self) -> bool:
        return self.kind != self.Kind.DESCRIPTION

    def get_preview_template(self, request, mode_name):
        return "quizzes/question_preview.html"

    def get_preview_context(self, request, mode_name):
        from ..selectors import question_preview_item

        context = super().get_preview_context(request, mode_name)
        return {**context, "item": question_preview_item(self), "question": self}


class Choice(Orderable):
    """An option of a single- or multiple-choice question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=1000)
    is_correct = models.BooleanField(_("correct"), default=False)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=9, decimal_places=5, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        help_text=_("Only for weighted scoring: the share of the marks this option earns or costs."),
    )
    feedback = models.CharField(_("feedback"), max_length=500, blank=True)

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("weight")]),
              FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text


class Blank(Orderable):
    """One blank of a fill-in question, with every accepted answer on its own line."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="blanks")
    accepted_answers = models.TextField(
        _("accepted answers"), help_text=_("One per line; full/half-width and surrounding spaces are ignored.")
    )

    panels = [FieldPanel("accepted_answers")]

    class Meta(Orderable.Meta):
        verbose_name = _("blank")
        verbose_name_plural = _("blanks")

    def answers(self) -> list[str]:
        """The accepted answers as a list."""
        return [a.strip() for a in self.accepted_answers.splitlines() if a.strip()]
