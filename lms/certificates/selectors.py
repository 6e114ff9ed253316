"""Reads of certificates, scoped to what a user may see."""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from lms.accounts import scope
from lms.classes.models import ATTENDED, Attendance, Session, TrainingClass
from lms.core import jobs

from .models import Certificate, IssueBatch


def certificates_of_user(*, user) -> QuerySet[Certificate]:
    """The signed-in learner's own certificates, newest first."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(person__user=user).select_related("training_class").order_by("-issued_at", "-pk")


def certificate_of_user(*, user, pk: int) -> Certificate:
    """One of the user's own certificates; anybody else's is 404."""
    return get_object_or_404(certificates_of_user(user=user), pk=pk)


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate a verification code names, or None."""
    if not code or len(code) > 32:
        return None
    return Certificate.objects.select_related("training_class", "person").filter(code=code).first()


def classes_visible_to(*, user) -> QuerySet[TrainingClass]:
    """Classes whose certificates the user may see: the one class rule of lms.accounts.scope."""
    return scope.classes(user)


def certificates_visible_to(*, user) -> QuerySet[Certificate]:
    """Certificates of people in the user's scope (an organiser: their township's, in any class)."""
    return scope.certificates(user)


def batch_progress(*, batch: IssueBatch) -> dict:
    """The JSON the admin's progress bar polls."""
    percent = 100 if batch.state == IssueBatch.State.DONE and not batch.total else (
        int(batch.done * 100 / batch.total) if batch.total else 0
    )
    return {
        "id": batch.pk, "state": batch.state, "state_label": str(batch.get_state_display()),
        "total": batch.total, "done": batch.done, "percent": percent, "message": batch.message,
        "finished": batch.state in (IssueBatch.State.DONE, IssueBatch.State.FAILED),
    }


def batches_stalled(*, now=None) -> QuerySet[IssueBatch]:
    """Issue runs queued or running whose job gave no sign of life for the stale interval."""
    return IssueBatch.objects.filter(state__in=[IssueBatch.State.QUEUED, IssueBatch.State.RUNNING]).filter(
        Q(heartbeat_at__lt=jobs.stale_before(now=now)) | Q(heartbeat_at__isnull=True)
    )


def class_hours_of_user(*, user, class_ids) -> dict[int, Decimal]:
    """Credit hours the learner earned at the held sessions of each class (as the training record counts them)."""
    rows = (Attendance.objects.filter(person__user=user, status__in=ATTENDED, session__state=Session.State.HELD,
                                      session__training_class_id__in=class_ids)
            .values("session__training_class_id").annotate(hours=Sum("session__credit_hours")))
    return {r["session__training_class_id"]: r["hours"] or Decimal("0") for r in rows}
