"""Certificate bundles: every valid certificate of a class as one zip with an Excel manifest, built in Celery."""

import io
import tempfile
import zipfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lms.classes.models import TrainingClass

from .models import Certificate, CertificateBundle
from .pdf import verification_url

PROGRESS_EVERY = 10


def bundle_entry_name(certificate: Certificate) -> str:
    """The PDF's name inside the zip: number, serial and holder, sortable."""
    return f"{certificate.number:03d}-{certificate.serial}-{certificate.holder_name}.pdf".replace("/", "-")


def bundle_manifest(*, certificates: list[Certificate], names: dict[int, str]) -> bytes:
    """The Excel list of what the zip holds."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Manifest")
    ws.append([_("No."), _("Serial number"), _("Holder"), _("Village"), _("Training class"), _("Starts on"),
               _("Ends on"), _("Issued at"), _("Verification address"), _("File in the zip")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, c in enumerate(certificates, start=1):
        village = c.person.village.name if c.person.village_id else ""
        ws.append([n, c.serial, c.holder_name, village, c.class_name, c.starts_on.isoformat(), c.ends_on.isoformat(),
                   timezone.localtime(c.issued_at).strftime("%Y-%m-%d"), verification_url(certificate=c),
                   names.get(c.pk, _("(no PDF)"))])
    for col, width in zip("ABCDEFGHIJ", (6, 22, 12, 14, 30, 12, 12, 12, 48, 40), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def certificate_bundle_start(*, training_class: TrainingClass, user) -> CertificateBundle:
    """Create a bundle of a class and enqueue its build after commit."""
    from .tasks import build_certificate_bundle  # tasks import this module

    bundle = CertificateBundle.objects.create(training_class=training_class, requested_by=user)
    transaction.on_commit(lambda: build_certificate_bundle.delay(bundle.pk))
    return bundle


def _update(bundle: CertificateBundle, **fields) -> None:
    for name, value in fields.items():
        setattr(bundle, name, value)
    CertificateBundle.objects.filter(pk=bundle.pk).update(**fields)


def certificate_bundle_build(*, bundle_id: int) -> CertificateBundle:
    """Write the zip (PDFs and manifest.xlsx) of a bundle, reporting progress; running it again is safe."""
    bundle = CertificateBundle.objects.select_related("training_class").get(pk=bundle_id)
    if bundle.state == CertificateBundle.State.DONE and bundle.file:
        return bundle
    certificates = list(Certificate.objects.filter(training_class=bundle.training_class, revoked_at__isnull=True)
                        .select_related("person__village").order_by("number"))
    _update(bundle, state=CertificateBundle.State.RUNNING, total=len(certificates), done=0, message="")
    names, missing = {}, []
    try:
        with tempfile.TemporaryFile() as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as archive:
                for n, certificate in enumerate(certificates, start=1):
                    if certificate.pdf:
                        names[certificate.pk] = bundle_entry_name(certificate)
                        with certificate.pdf.open("rb") as handle:
                            archive.writestr(names[certificate.pk], handle.read())
                    else:
                        missing.append(certificate.serial)
                    if n % PROGRESS_EVERY == 0:
                        _update(bundle, done=n)
                archive.writestr("manifest.xlsx", bundle_manifest(certificates=certificates, names=names))
            tmp.seek(0)
            tc = bundle.training_class
            if bundle.file:
                bundle.file.delete(save=False)
            bundle.file.save(f"certificates-{tc.year}-{tc.pk}-{bundle.pk}.zip", File(tmp), save=False)
    except Exception as error:
        _update(bundle, state=CertificateBundle.State.FAILED, finished_at=timezone.now(), message=str(error))
        raise
    message = _("No PDF yet for: %(serials)s") % {"serials": "、".join(missing)} if missing else ""
    _update(bundle, file=bundle.file.name, done=len(certificates), state=CertificateBundle.State.DONE,
            finished_at=timezone.now(), message=message)
    return bundle


def bundle_progress(*, bundle: CertificateBundle) -> dict:
    """What the progress bar polls."""
    percent = int(bundle.done * 100 / bundle.total) if bundle.total else (100 if bundle.state == "done" else 0)
    return {"state": bundle.state, "state_label": bundle.get_state_display(), "done": bundle.done,
            "total": bundle.total, "percent": percent, "message": bundle.message,
            "ready": bundle.state == CertificateBundle.State.DONE and bool(bundle.file)}
