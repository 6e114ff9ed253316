"""Credit-hour rules and annual requirements, kept as data so staff can change them."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditRule(models.Model):
    """Hours earned online: per lesson studied (per so many minutes), by an online course, or by a passed test."""

    class Kind(models.TextChoices):
        LESSON_STUDIED = "lesson_studied", _("Online lesson studied (hours per so many minutes)")
        ONLINE_COURSE = "online_course", _("Online course completed")
        QUIZ_PASSED = "quiz_passed", _("Test passed")

    kind = models.CharField(_("for"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty: every year without its own rules.")
    )
    min_minutes = models.PositiveIntegerField(
        _("from minutes"), default=0,
        help_text=_("For online courses: the rule applies from this length on. For lessons: the minutes of study "
                    "that earn the credit hours (45 minutes = 1 credit hour by default)."),
    )
    credit_hours = models.DecimalField(
        _("credit hours"), max_digits=4, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )

    class Meta:
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")
        ordering = ["kind", "year", "-min_minutes"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥{self.min_minutes} → {self.credit_hours}"


class RequirementSetting(models.Model):
    """The annual credit-hour requirement of a post (role) in a year."""

    post = models.ForeignKey(
        "people.Post", verbose_name=_("post"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="requirements", help_text=_("Empty: every post without its own setting."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty: every year without its own setting.")
    )
    concentrated_hours = models.DecimalField(
        _("concentrated training hours"), max_digits=5, decimal_places=1, default=Decimal("90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )
    online_hours = models.DecimalField(
        _("online study hours"), max_digits=5, decimal_places=1, default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )

    class Meta:
        verbose_name = _("annual requirement")
        verbose_name_plural = _("annual requirements")
        ordering = ["year", "post"]

    def __str__(self) -> str:
        return f"{self.post or '*'} {self.year or '*'}"
