"""Quizzes: where they belong, which questions they hold or draw, and their rules."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from ..widgets import TrainingClassSelect
from .bank import Question, QuestionCategory


class Quiz(ClusterableModel):
    """A test at the end of a lesson, a course or a training class."""

    class DisplayMode(models.TextChoices):
        ONE_PER_SCREEN = "one", _("One question per screen")
        ALL_ON_ONE_PAGE = "all", _("All questions on one page")

    class ReviewPolicy(models.TextChoices):
        SCORE_ONLY = "score", _("Score only")
        AFTER_CLOSE = "after_close", _("Answers and explanations after the quiz closes")
        AFTER_SUBMIT = "after_submit", _("Answers and explanations right after submitting")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("instructions"), blank=True)
    lesson = models.ForeignKey(
        "courses.LessonPage", verbose_name=_("lesson"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="quizzes",
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="quizzes",
    )
    # The id of a lms.classes TrainingClass. A plain integer so this app does not
    # depend on the classes app; the classes feature may turn it into a foreign key.
    class_id = models.PositiveIntegerField(_("training class id"), null=True, blank=True, db_index=True)
    display_mode = models.CharField(
        _("display"), max_length=4, choices=DisplayMode.choices, default=DisplayMode.ONE_PER_SCREEN
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means unlimited.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    pass_mark = models.DecimalField(
        _("pass mark (%)"), max_digits=5, decimal_places=2, default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    review_policy = models.CharField(
        _("learners see afterwards"), max_length=12, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_CLOSE
    )
    credit_hours = models.DecimalField(
        _("credit hours for passing"), max_digits=5, decimal_places=1, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("course"), FieldPanel("lesson"),
             FieldPanel("class_id", heading=_("training class"), widget=TrainingClassSelect)],
            heading=_("Belongs to"),
        ),
        InlinePanel("fixed_questions", heading=_("Fixed questions"), label=_("Question")),
        InlinePanel("draw_rules", heading=_("Random draws"), label=_("Draw rule")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("display_mode"), FieldPanel("shuffle_questions"),
                               FieldPanel("shuffle_options")]),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("credit_hours")]),
                FieldPanel("review_policy"),
            ],
            heading=pgettext_lazy("quiz", "Rules"),
        ),
        FieldPanel("is_published"),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})
        if self.review_policy == self.ReviewPolicy.AFTER_CLOSE and not self.closes_at:
            raise ValidationError({"closes_at": _("Set a close time: answers are shown only after the quiz closes.")})

    def is_open(self, now=None) -> bool:
        """Whether learners may start an attempt now."""
        now = now or timezone.now()
        if not self.is_published:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    def has_closed(self, now=None) -> bool:
        """Whether the close time has passed."""
        now = now or timezone.now()
        return bool(self.closes_at and now >= self.closes_at)


class QuizQuestion(Orderable):
    """A question every attempt of the quiz gets."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="quiz_uses"
    )
    score = models.DecimalField(
        _("marks"), max_digits=5, decimal_places=1, null=True, blank=True,
        help_text=_("Leave empty to use the question's own marks."),
    )

    panels = [FieldRowPanel([FieldPanel("question"), FieldPanel("score")])]

    class Meta(Orderable.Meta):
        verbose_name = _("fixed question")
        verbose_name_plural = _("fixed questions")


class DrawRule(Orderable):
    """Draw a number of random questions matching a category, type, difficulty range and tag."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules")
    count = models.PositiveSmallIntegerField(_("how many"), default=5, validators=[MinValueValidator(1)])
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", help_text=_("Leave empty to draw from the whole bank."),
    )
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)
    kind = models.CharField(_("type"), max_length=12, choices=Question.Kind.choices, blank=True)
    difficulty_min = models.PositiveSmallIntegerField(
        _("lowest difficulty"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    difficulty_max = models.PositiveSmallIntegerField(
        _("highest difficulty"), default=5, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    tag = models.CharField(_("tag"), max_length=100, blank=True)
    score = models.DecimalField(
        _("marks each"), max_digits=5, decimal_places=1, null=True, blank=True,
        help_text=_("Leave empty to use each question's own marks."),
    )

    panels = [
        FieldRowPanel([FieldPanel("count"), FieldPanel("kind"), FieldPanel("score")]),
        FieldRowPanel([FieldPanel("category"), FieldPanel("include_subcategories")]),
        FieldRowPanel([FieldPanel("difficulty_min"), FieldPanel("difficulty_max"), FieldPanel("tag")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("draw rule")
        verbose_name_plural = _("draw rules")

    def clean(self):
        if self.difficulty_min and self.difficulty_max and self.difficulty_min > self.difficulty_max:
            raise ValidationError({"difficulty_max": _("The highest difficulty must not be below the lowest.")})
