"""Allowances, county funds and the append-only ledger of training money, and claims against it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_ALLOWANCES = {"secretary": Decimal("1000.00")}
"""Yearly allowance per post code when no policy was set for the year: the seed's 1000 yuan per secretary."""


class CostType(models.TextChoices):
    """What the money was spent on."""

    CLASS_FEE = "class_fee", _("Class fees and materials")
    TRIP = "trip", _("Field-study trip share")
    TRAVEL = "travel", _("Travel")
    LODGING = "lodging", _("Lodging")
    MEALS = "meals", _("Meals")
    MATERIALS = "materials", _("Materials")


CLAIMABLE_COST_TYPES = [CostType.TRAVEL, CostType.LODGING, CostType.MEALS, CostType.MATERIALS]


class AllowancePolicy(models.Model):
    """The yearly training allowance of every holder of a post, set by a budget officer."""

    year = models.PositiveSmallIntegerField(_("year"))
    post = models.ForeignKey("people.Post", verbose_name=_("post"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        _("allowance per person (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("allowance policy")
        verbose_name_plural = _("allowance policies")
        ordering = ["-year", "post__sort_order"]
        constraints = [models.UniqueConstraint(fields=["year", "post"], name="allowance_policy_unique_year_post")]

    def __str__(self) -> str:
        return f"{self.year} {self.post}: {self.amount}"


class Account(models.Model):
    """Where money comes from: a person's allowance for a year, or a county fund for a year."""

    class Kind(models.TextChoices):
        ALLOWANCE = "allowance", _("Personal allowance")
        FUND = "fund", _("County fund")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="budget_accounts",
    )
    code = models.SlugField(_("code"), max_length=40, blank=True, help_text=_("For county funds."))
    name = models.CharField(_("name"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["-year", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], condition=models.Q(kind="allowance"), name="account_one_allowance_a_year"
            ),
            models.UniqueConstraint(
                fields=["code", "year"], condition=models.Q(kind="fund"), name="account_unique_fund_code_year"
            ),
            models.CheckConstraint(
                name="account_kind_matches_owner",
                condition=(
                    models.Q(kind="allowance", person__isnull=False)
                    | (models.Q(kind="fund", person__isnull=True) & ~models.Q(code=""))
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.ALLOWANCE:
            return _("%(year)s allowance of %(name)s") % {"year": self.year, "name": self.person}
        return f"{self.year} {self.name}"


class ImmutableLedgerError(Exception):
    """Raised on any attempt to edit or delete a ledger entry."""


class LedgerEntryQuerySet(models.QuerySet):
    """Bulk writes that would change history are refused."""

    def update(self, **kwargs):
        raise ImmutableLedgerError(_("Ledger entries are never edited; post a reversal instead."))

    def delete(self):
        raise ImmutableLedgerError(_("Ledger entries are never deleted; post a reversal instead."))


class LedgerEntry(models.Model):
    """One movement of money on an account; signed: grants are positive, charges negative."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        CHARGE = "charge", _("Charge")
        REVERSAL = "reversal", _("Reversal")

    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    cost_type = models.CharField(
        _("cost type"), max_length=20, choices=CostType.choices, blank=True,
        help_text=_("Empty for grants; every entry with a cost type counts as spending."),
    )
    # Who the money was spent on, and where they belonged when it was spent (kept as
    # history even if the cadre later moves village).
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "people.Township", verbose_name=_("township or town"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        "people.Village", verbose_name=_("village or community"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    training_class = models.ForeignKey(
        "classes.TrainingClass", verbose_name=_("training class"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    trip = models.ForeignKey(
        "trips.Trip", verbose_name=_("field-study trip"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    claim = models.ForeignKey(
        "Claim", verbose_name=_("claim"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reversal_of = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    memo = models.CharField(_("why"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["year", "cost_type"], name="ledger_year_cost_idx"),
            models.Index(fields=["year", "township"], name="ledger_year_township_idx"),
            models.Index(fields=["account", "amount"], name="ledger_account_amount_idx"),
            models.Index(fields=["created_at"], name="ledger_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="ledger_grant_has_no_cost_type",
                condition=~models.Q(kind="grant") | models.Q(cost_type=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.account} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableLedgerError(_("Ledger entries are never edited; post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableLedgerError(_("Ledger entries are never deleted; post a reversal instead."))


def receipt_upload_to(instance, filename: str) -> str:
    return f"budget/receipts/{instance.claim.year}/{instance.claim_id}/{filename}"


class Claim(models.Model):
    """A charge waiting for a budget officer: a reimbursement a cadre submits, or a class fee."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        PAID = "paid", _("Paid")

    class Origin(models.TextChoices):
        REIMBURSEMENT = "reimbursement", _("Reimbursement claim")
        CLASS_FEE = "class_fee", _("Class fee")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="claims"
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.REIMBURSEMENT)
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    description = models.CharField(_("description"), max_length=200)
    incurred_on = models.DateField(_("date of the expense"))
    training_class = models.ForeignKey(
        "classes.TrainingClass", verbose_name=_("training class"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="claims",
    )
    trip = models.ForeignKey(
        "trips.Trip", verbose_name=_("field-study trip"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="claims",
    )
    enrolment = models.ForeignKey(
        "classes.Enrolment", verbose_name=_("enrolment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="claims",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="claim_state_submitted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=models.Q(origin="class_fee"), name="claim_one_fee_per_enrolment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_cost_type_display()} {self.amount}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.SENT_BACK)


class ClaimReceipt(models.Model):
    """A photo or PDF of a receipt attached to a claim."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(
        _("receipt"), upload_to=receipt_upload_to,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "pdf"])],
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.file.name


class ClaimEvent(models.Model):
    """One step of a claim's workflow: who moved it, when, and why (the approvals audit)."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=Claim.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Claim.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_state} → {self.to_state}"
