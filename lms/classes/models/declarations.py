"""学时 by type (rules as data the school edits) and learners' declarations of outside study with evidence."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditType(models.Model):
    """A kind of study and what it is worth: hours per unit (a day, a paper...), a multiple, a yearly cap."""

    class Category(models.TextChoices):
        CONCENTRATED = "concentrated", _("Concentrated training")
        ONLINE = "online", _("Online study")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("What is counted, for example 天, 篇, 次, 学时."))
    hours_per_unit = models.DecimalField(
        _("credit hours per unit"), max_digits=5, decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    multiple = models.DecimalField(
        _("counted at a multiple"), max_digits=3, decimal_places=1, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))],
        help_text=_("For example 2 for teaching: each hour taught counts as two."),
    )
    yearly_cap = models.DecimalField(
        _("yearly cap (credit hours)"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))], help_text=_("Empty: no cap."),
    )
    category = models.CharField(_("counts towards"), max_length=20, choices=Category.choices,
                                default=Category.CONCENTRATED)
    is_required = models.BooleanField(
        _("counts as required study"), default=True,
        help_text=_("Elective study is shown in the record but does not fill the yearly requirement."),
    )
    declarable = models.BooleanField(_("learners may declare it"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("credit-hour type")
        verbose_name_plural = _("credit-hour types")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def hours_for(self, units: Decimal) -> Decimal:
        """The credit hours of so many units, before any cap."""
        return (Decimal(units) * self.hours_per_unit * self.multiple).quantize(Decimal("0.1"))


class CreditDeclaration(models.Model):
    """A learner's declaration of outside study (what, when, how much) with evidence, for staff to decide."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey("people.Person", verbose_name=_("cadre"), on_delete=models.CASCADE,
                               related_name="credit_declarations")
    credit_type = models.ForeignKey(CreditType, verbose_name=_("type"), on_delete=models.PROTECT,
                                    related_name="declarations")
    title = models.CharField(_("what was studied"), max_length=120)
    studied_on = models.DateField(_("date"))
    units = models.DecimalField(_("amount"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("365"))])
    hours_claimed = models.DecimalField(_("credit hours claimed"), max_digits=5, decimal_places=1)
    evidence = models.FileField(_("evidence (photo or PDF)"), upload_to="classes/declarations/%Y/%m/")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    hours_approved = models.DecimalField(_("credit hours approved"), max_digits=5, decimal_places=1, null=True,
                                         blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit-hour declaration")
        verbose_name_plural = _("credit-hour declarations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="declaration_state_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"
