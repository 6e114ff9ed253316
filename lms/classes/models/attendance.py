"""Attendance per learner per session, its corrections, and leave (请假) requests."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .training import Session


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    LEAVE_SICK = "leave_sick", _("On sick leave")
    LEAVE_PERSONAL = "leave_personal", _("On personal leave")
    LEAVE_OFFICIAL = "leave_official", _("On official duty")
    ABSENT = "absent", _("Absent")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
ON_LEAVE = (AttendanceStatus.LEAVE_SICK, AttendanceStatus.LEAVE_PERSONAL, AttendanceStatus.LEAVE_OFFICIAL)


class Attendance(models.Model):
    """Whether one enrolled learner attended one session, and how it was recorded."""

    class Method(models.TextChoices):
        ROSTER = "roster", _("Marked on the roster")
        QR = "qr", _("Scanned the QR code")
        CODE = "code", _("Typed the sign-in code")
        STATION = "station", _("Recorded by the station operator")
        LEAVE = "leave", _("Approved leave")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    method = models.CharField(_("recorded by"), max_length=10, choices=Method.choices, default=Method.ROSTER)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_unique_person")]
        indexes = [models.Index(fields=["person", "status"], name="attendance_person_status_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.session_id}: {self.status}"


class AttendanceCorrection(models.Model):
    """A change to a recorded attendance, with the reason kept."""

    attendance = models.ForeignKey(
        Attendance, verbose_name=_("attendance"), on_delete=models.CASCADE, related_name="corrections"
    )
    old_status = models.CharField(_("was"), max_length=20, choices=AttendanceStatus.choices)
    new_status = models.CharField(_("now"), max_length=20, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class LeaveRequest(models.Model):
    """A learner's request for leave (请假) from a session, and its report back (销假)."""

    class Kind(models.TextChoices):
        SICK = "leave_sick", _("Sick leave")
        PERSONAL = "leave_personal", _("Personal leave")
        OFFICIAL = "leave_official", _("Official duty")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REPORTED_BACK = "reported_back", _("Reported back")

    class Tier(models.TextChoices):
        """Who approves, by the length of the leave (thresholds in settings)."""

        CLASS_TEACHER = "class_teacher", _("Class teacher")
        ACADEMIC = "academic", _("Academic affairs office")
        DEPUTY_HEAD = "deputy_head", _("Deputy head of the school")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="leave_requests"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    kind = models.CharField(_("kind of leave"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    until_date = models.DateField(_("leave until"), null=True, blank=True,
                                  help_text=_("Empty: this session only."))
    covered_sessions = models.ManyToManyField(Session, verbose_name=_("sessions covered"), blank=True,
                                              related_name="covering_leave")
    days = models.DecimalField(_("length in days"), max_digits=4, decimal_places=1, default=Decimal("0.5"))
    tier = models.CharField(_("approved by"), max_length=20, choices=Tier.choices, default=Tier.CLASS_TEACHER)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)
    reported_back_at = models.DateTimeField(_("reported back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="leave_unique_person")]
        indexes = [models.Index(fields=["state", "tier"], name="leave_state_tier_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"
