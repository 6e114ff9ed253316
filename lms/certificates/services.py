"""Writes: serial numbers, issuing (batch and by hand), rendering, revoking."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.classes.models import Enrolment, TrainingClass
from lms.core import jobs
from lms.core.text import bounded_text
from lms.notifications import api as notifications_api

from . import selectors
from .models import Certificate, CertificateSettings, IssueBatch, SerialCounter
from .pdf import CertificateRenderError, certificate_pdf, unprintable_characters
from .rules import completion_for_class, rules_for_class

logger = logging.getLogger(__name__)


def serial_format(*, year: int, word: str, number: int) -> str:
    """〔2026〕乡党校结字第001号."""
    return f"〔{year}〕{word}第{number:03d}号"


def _next_number(*, word: str, year: int) -> int:
    """Take the next number under a row lock; call inside the transaction that uses it, so no gaps."""
    SerialCounter.objects.get_or_create(word=word, year=year)
    counter = SerialCounter.objects.select_for_update().get(word=word, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return counter.last_number


def _class_must_be_closed(training_class: TrainingClass) -> None:
    if training_class.state != TrainingClass.State.CLOSED:
        raise ValidationError(_("Certificates are issued only after the class is closed."))


def certificate_render(*, certificate: Certificate, school: CertificateSettings | None = None) -> Certificate:
    """(Re)render a certificate's PDF into storage; the same certificate gives the same content."""
    data = certificate_pdf(certificate=certificate, school=school)
    if certificate.pdf:
        certificate.pdf.delete(save=False)
    name = f"{certificate.year}-{certificate.number:05d}-{certificate.code[:8]}.pdf"
    storage = certificate.pdf.storage
    leftover = certificate.pdf.field.generate_filename(certificate, name)
    if storage.exists(leftover):
        storage.delete(leftover)  # Half-written by a run that was killed before it recorded the file.
    certificate.pdf.save(name, ContentFile(data), save=False)
    certificate.save(update_fields=["pdf"])
    return certificate


def certificate_issue(
    *, training_class: TrainingClass, person, issued_by=None, manual_reason: str = "",
    school: CertificateSettings | None = None,
) -> tuple[Certificate, bool]:
    """Issue one certificate with the next serial and its PDF; return (certificate, created). Idempotent."""
    existing = Certificate.objects.filter(training_class=training_class, person=person).first()
    if existing is not None:
        if not existing.pdf and existing.is_valid:
            certificate_render(certificate=existing, school=school)
        return existing, False
    school = school or CertificateSettings.load()
    design = rules_for_class(training_class=training_class).design
    candidate = Certificate(
        training_class=training_class, person=person, holder_name=person.name, class_name=training_class.name,
        starts_on=training_class.starts_on, ends_on=training_class.ends_on, design=design, year=training_class.year,
        issued_by=issued_by, manual_reason=manual_reason,
    )
    if unprintable_characters(certificate=candidate):
        certificate_pdf(certificate=candidate, school=school)  # raises the clear error
    with transaction.atomic():
        number = _next_number(word=school.serial_word, year=training_class.year)
        # Checked again under the counter lock: a concurrent batch may have issued it meanwhile.
        existing = Certificate.objects.filter(training_class=training_class, person=person).first()
        if existing is not None:
            transaction.set_rollback(True)
            return existing, False
        candidate.number = number
        candidate.serial = serial_format(year=training_class.year, word=school.serial_word, number=number)
        candidate.save()
    # The number is taken in the transaction that records the certificate, so a crash leaves no gap; the PDF
    # is written after commit (a crash before it leaves a certificate without PDF, which a re-run renders).
    certificate_render(certificate=candidate, school=school)
    notifications_api.certificate_issued(certificate=candidate)
    return candidate, True


def certificate_issue_by_hand(*, training_class: TrainingClass, person, user, reason: str) -> Certificate:
    """Staff issue one certificate whatever the rules say, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for issuing this certificate by hand."))
    _class_must_be_closed(training_class)
    if not Enrolment.objects.filter(
        training_class=training_class, person=person, status=Enrolment.Status.ENROLLED
    ).exists():
        raise ValidationError(_("This cadre is not enrolled in the class."))
    try:
        certificate, created = certificate_issue(
            training_class=training_class, person=person, issued_by=user, manual_reason=reason
        )
    except CertificateRenderError as error:
        raise ValidationError(str(error)) from error
    if not created:
        raise ValidationError(_("This cadre already has a certificate of this class: %(serial)s.")
                              % {"serial": certificate.serial})
    return certificate


def certificate_revoke(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Revoke a certificate with a reason; it stays on record and its page says it is revoked."""
    reason = bounded_text(reason, max_length=200)
    if not reason:
        raise ValidationError(_("Give the reason for revoking this certificate."))
    if not certificate.is_valid:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = user
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return certificate


def certificate_batch_start(*, training_class: TrainingClass, user) -> IssueBatch:
    """Create an issue run for a closed class and send its job after commit.

    With the broker down the batch stays queued and the watchdog sends it when the broker is back;
    `batch.dispatch.sent` then reads False so the page can say so.
    """
    from .tasks import issue_class_certificates

    _class_must_be_closed(training_class)
    batch = IssueBatch.objects.create(training_class=training_class, started_by=user, heartbeat_at=timezone.now())
    batch.dispatch = jobs.job_send_on_commit(issue_class_certificates, batch.pk)
    return batch


def batches_requeue_stalled(*, now=None) -> list[int]:
    """Send again every queued or running batch whose heartbeat stopped (broker outage, dead worker)."""
    from .tasks import issue_class_certificates

    now = now or timezone.now()
    stalled = list(selectors.batches_stalled(now=now).values_list("pk", flat=True))
    for batch_id in stalled:
        IssueBatch.objects.filter(pk=batch_id).update(heartbeat_at=now)
        jobs.job_send(issue_class_certificates, batch_id)
    return stalled


def _batch_update(batch: IssueBatch, **fields) -> None:
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(batch, name, value)
    IssueBatch.objects.filter(pk=batch.pk).update(**fields)


def certificate_batch_run(*, batch_id: int) -> IssueBatch:
    """Issue every eligible learner's certificate of the batch's class; safe to run again."""
    batch = IssueBatch.objects.select_related("training_class").get(pk=batch_id)
    if batch.state == IssueBatch.State.DONE:
        return batch
    training_class = batch.training_class
    if training_class.state != TrainingClass.State.CLOSED:
        _batch_update(batch, state=IssueBatch.State.FAILED, finished_at=timezone.now(),
                      message=_("Certificates are issued only after the class is closed."))
        return batch
    try:
        return _batch_issue(batch, training_class)
    except Exception as error:
        # Marked failed so the progress bar stops; the job may be started again (it is idempotent).
        _batch_update(batch, state=IssueBatch.State.FAILED, finished_at=timezone.now(), message=str(error))
        raise


def _batch_issue(batch: IssueBatch, training_class: TrainingClass) -> IssueBatch:
    school = CertificateSettings.load()
    eligible = [row.person for row in completion_for_class(training_class=training_class) if row.eligible]
    rendered = dict(Certificate.objects.filter(training_class=training_class).values_list("person_id", "pdf"))
    have = {person_id for person_id, pdf in rendered.items() if pdf}
    done = sum(1 for person in eligible if person.pk in rendered)
    _batch_update(batch, state=IssueBatch.State.RUNNING, total=len(eligible), done=done, message="")
    problems = []
    for person in eligible:
        if person.pk in have:
            continue
        try:
            certificate_issue(training_class=training_class, person=person, issued_by=batch.started_by, school=school)
        except CertificateRenderError as error:
            problems.append(f"{person.name}: {error}")
            continue
        if person.pk not in rendered:
            done += 1
        _batch_update(batch, done=done)
    _batch_update(batch, state=IssueBatch.State.DONE, finished_at=timezone.now(), message="\n".join(problems))
    return batch
