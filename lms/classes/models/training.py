"""Training classes (培训班), their plans, enrolments and sessions (课次)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrainingMode(models.TextChoices):
    """The six training modes the county uses."""

    CENTRALISED = "centralised", _("Centralised rotation")
    PRACTICE_BASE = "practice_base", _("Practice-base training")
    OFF_SITE = "off_site", _("Off-site training")
    LECTURE_TOUR = "lecture_tour", _("Lecture tour")
    DEGREE = "degree", _("Degree education")
    REMOTE = "remote", _("Remote education")


class TrainingClass(models.Model):
    """A cohort taking one or more courses over given dates, in one training mode."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLAN_APPROVED = "plan_approved", _("Plan approved")
        ENROLLING = "enrolling", _("Open for enrolment")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    class PlaceKind(models.TextChoices):
        SCHOOL = "school", _("Party school")
        PRACTICE_BASE = "practice_base", _("Practice-base village")
        STATION = "station", _("Remote-education station")
        OFF_SITE = "off_site", _("Off-site address")

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    term = models.CharField(_("term"), max_length=40, blank=True, help_text=_("For example: first term, spring."))
    mode = models.CharField(_("training mode"), max_length=20, choices=TrainingMode.choices)
    organiser_township = models.ForeignKey(
        "people.Township", verbose_name=_("organised by township"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="training_classes",
        help_text=_("Empty for classes of the county Party school."),
    )
    courses = models.ManyToManyField("courses.CoursePage", verbose_name=_("courses"), blank=True,
                                     related_name="training_classes")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place_kind = models.CharField(_("place"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.SCHOOL)
    place_village = models.ForeignKey(
        "people.Village", verbose_name=_("practice-base village"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    place_station = models.ForeignKey(
        "people.Station", verbose_name=_("station"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place_address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)], default=50)
    staff_in_charge = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff in charge"), blank=True, related_name="classes_in_charge"
    )
    is_elective = models.BooleanField(
        _("open for self-enrolment"), default=False,
        help_text=_("Learners may choose this class from the catalogue (menu-style training)."),
    )
    planned_credit_hours = models.DecimalField(
        _("planned credit hours"), max_digits=5, decimal_places=1, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("500"))],
    )
    fee_per_learner = models.DecimalField(
        _("fees and materials per learner (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    attendance_threshold = models.DecimalField(
        _("attendance rate required"), max_digits=3, decimal_places=2, default=Decimal("0.90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of sessions the class as a whole must attend, for example 0.90."),
    )
    notes_required = models.PositiveSmallIntegerField(
        _("study notes required per learner"), default=1, validators=[MaxValueValidator(100)]
    )
    assessment_held_on = models.DateField(
        _("assessment held on"), null=True, blank=True,
        help_text=_("For an assessment held on paper; an online quiz of the class counts by itself."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-year", "-starts_on", "name"]
        indexes = [models.Index(fields=["year", "mode"], name="class_year_mode_idx")]
        constraints = [
            models.CheckConstraint(name="class_dates_in_order", condition=models.Q(ends_on__gte=models.F("starts_on")))
        ]

    def __str__(self) -> str:
        # Names usually carry their year already ("2026年…"); print it only when they do not.
        return self.name if str(self.year) in self.name else f"{self.year} {self.name}"


class TrainingPlan(models.Model):
    """The training plan (培训计划) of a class, approved before the class opens."""

    training_class = models.OneToOneField(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="plan"
    )
    aims = models.TextField(_("aims"))
    schedule = models.TextField(_("schedule"))
    assessment = models.TextField(_("assessment"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")

    def __str__(self) -> str:
        return str(self.training_class)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Enrolment(models.Model):
    """A cadre's place in a class; withdrawal keeps the row as history."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned by the organisation")
        SELF = "self", _("Chosen by the learner")

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED)
    source = models.CharField(_("how enrolled"), max_length=20, choices=Source.choices, default=Source.ASSIGNED)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    leave_cap_flagged_at = models.DateTimeField(
        _("flagged over the leave cap at"), null=True, blank=True,
        help_text=_("Set when staff confirm the learner is over the leave cap and loses the certificate."),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["training_class", "enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="enrolment_unique_person")
        ]
        indexes = [models.Index(fields=["person", "status"], name="enrolment_person_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.training_class}"


class Session(models.Model):
    """One teaching session (课次) of a class."""

    class HalfDay(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")
        EVENING = "evening", _("Evening")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        CANCELLED = "cancelled", _("Cancelled")

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    half_day = models.CharField(_("half-day"), max_length=10, choices=HalfDay.choices)
    topic = models.CharField(_("topic"), max_length=200)
    teacher = models.ForeignKey(
        "people.Teacher", verbose_name=_("teacher"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sessions",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    station = models.ForeignKey(
        "people.Station", verbose_name=_("station"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sessions",
    )
    credit_hours = models.DecimalField(
        _("credit hours"), max_digits=4, decimal_places=1, default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    lesson_plan = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("lesson plan"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SCHEDULED)
    reschedule_reason = models.CharField(_("reason for rescheduling"), max_length=200, blank=True)
    attendance_taken_at = models.DateTimeField(_("sign-in taken at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(name="session_times_in_order", condition=models.Q(ends_at__gt=models.F("starts_at")))
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_half_day_display()} {self.topic}"

    def clean(self):
        from lms.classes.session_rules import session_errors

        errors = session_errors(session=self)
        if errors:
            raise ValidationError(errors)

    def starts(self):
        """The aware start datetime."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts_at))

    def ends(self):
        """The aware end datetime."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.ends_at))
