"""Field-study trips (考察学习): destinations, itinerary, participants, costs, roll call and reports."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel


class Trip(ClusterableModel):
    """A field-study trip of village cadres to other places or to a model village."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPROVED = "approved", _("Approved")
        UNDER_WAY = "under_way", _("Under way")
        FINISHED = "finished", _("Finished")
        SETTLED = "settled", _("Settled")

    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    transport = models.CharField(_("transport"), max_length=200, blank=True)
    lodging = models.CharField(_("lodging"), max_length=200, blank=True)
    cost_budget = models.DecimalField(
        _("cost budget (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    credit_hours = models.DecimalField(
        _("credit hours"), max_digits=5, decimal_places=1, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
    )
    staff_in_charge = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff in charge"), blank=True, related_name="trips_in_charge"
    )
    training_class = models.ForeignKey(
        "classes.TrainingClass", verbose_name=_("training class"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="trips",
    )
    fund = models.ForeignKey(
        "budget.Account", verbose_name=_("county fund"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="trips", limit_choices_to={"kind": "fund"},
        help_text=_("Pays what participants' allowances do not cover."),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PLANNED)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        MultiFieldPanel(
            [FieldPanel("transport"), FieldPanel("lodging"), FieldPanel("cost_budget"), FieldPanel("fund")],
            heading=_("Transport, lodging and money"),
        ),
        FieldPanel("credit_hours"),
        FieldPanel("training_class"),
        FieldPanel("staff_in_charge"),
        InlinePanel("destinations", heading=_("Destinations"), label=_("Destination")),
        InlinePanel("itinerary", heading=_("Itinerary"), label=_("Itinerary item")),
    ]

    class Meta:
        verbose_name = _("field-study trip")
        verbose_name_plural = _("field-study trips")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(name="trip_dates_in_order", condition=models.Q(ends_on__gte=models.F("starts_on")))
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.starts_on.year

    def destinations_display(self) -> str:
        """Destination names joined for display."""
        return "、".join(d.name for d in self.destinations.all())

    destinations_display.short_description = _("destinations")


class Destination(models.Model):
    """A place the trip visits: a city, a model village or a practice base."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        MODEL_VILLAGE = "model_village", _("Model village")
        PRACTICE_BASE = "practice_base", _("Practice base")

    trip = ParentalKey(Trip, on_delete=models.CASCADE, related_name="destinations")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    village = models.ForeignKey(
        "people.Village", verbose_name=_("village in the county"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class ItineraryItem(models.Model):
    """One item of the day-by-day itinerary: a visit, a host site, a lecture or a travel leg."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        HOST_SITE = "host_site", _("Host site")
        LECTURE = "lecture", _("Lecture")
        TRAVEL = "travel", _("Travel leg")
        OTHER = "other", _("Other")

    trip = ParentalKey(Trip, on_delete=models.CASCADE, related_name="itinerary")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VISIT)
    title = models.CharField(_("what"), max_length=160)
    place = models.CharField(_("where"), max_length=160, blank=True)
    host = models.CharField(_("host"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary")
        ordering = ["day", "starts_at", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.day:%m-%d} {self.title}"


class Participant(models.Model):
    """A cadre on the trip."""

    trip = models.ForeignKey(Trip, verbose_name=_("trip"), on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="trip_participations"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["trip", "pk"]
        constraints = [models.UniqueConstraint(fields=["trip", "person"], name="participant_unique_person")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.trip}"


class TripCost(models.Model):
    """An actual cost of the trip; shared by every participant, or only by those named (e.g. single rooms)."""

    class Item(models.TextChoices):
        TRANSPORT = "transport", _("Transport")
        LODGING = "lodging", _("Lodging")
        MEALS = "meals", _("Meals")
        TICKETS = "tickets", _("Tickets and visits")
        LECTURES = "lectures", _("Lectures and hosts")
        SINGLE_ROOM = "single_room", _("Single-room supplement")
        OTHER = "other", _("Other")

    trip = models.ForeignKey(Trip, verbose_name=_("trip"), on_delete=models.CASCADE, related_name="costs")
    item = models.CharField(_("item"), max_length=20, choices=Item.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    shared_by = models.ManyToManyField(
        Participant, verbose_name=_("shared only by"), blank=True, related_name="+",
        help_text=_("Leave empty to split the cost equally among all participants."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trip cost")
        verbose_name_plural = _("trip costs")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.amount}"


class Share(models.Model):
    """A participant's settled share of the trip, and how it was paid (the statement)."""

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="share"
    )
    amount = models.DecimalField(_("share (yuan)"), max_digits=12, decimal_places=2)
    from_allowance = models.DecimalField(_("charged to allowance"), max_digits=12, decimal_places=2)
    from_fund = models.DecimalField(_("charged to county fund"), max_digits=12, decimal_places=2)
    breakdown = models.JSONField(_("breakdown by item"), default=list)
    settled_at = models.DateTimeField(_("settled at"), default=timezone.now)

    class Meta:
        verbose_name = _("trip share")
        verbose_name_plural = _("trip shares")

    def __str__(self) -> str:
        return f"{self.participant}: {self.amount}"


class RollCall(models.Model):
    """Whether a participant was present on one day of the trip."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="roll_calls"
    )
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        verbose_name = _("roll call")
        verbose_name_plural = _("roll calls")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["participant", "day"], name="rollcall_one_a_day")]

    def __str__(self) -> str:
        return f"{self.participant} {self.day}"


class TripReport(models.Model):
    """A participant's trip report (考察报告), reviewed by staff."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for revision")

    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="report"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("report"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("reviewer's note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("trip report")
        verbose_name_plural = _("trip reports")

    def __str__(self) -> str:
        return self.title


class TripReportPhoto(models.Model):
    """A photo attached to a trip report."""

    report = models.ForeignKey(TripReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("photo"), upload_to="trips/reports/%Y/%m/", validators=[FileExtensionValidator(["jpg", "jpeg", "png"])]
    )
    caption = models.CharField(_("caption"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name
