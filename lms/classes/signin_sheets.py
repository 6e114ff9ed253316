"""Sign-in sheets (签到表): a printable A4 PDF per session, and the signed scan uploaded back as evidence."""

import base64
import io

import qrcode
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.people.selectors import school_name

from .exports import render_pdf
from .models import Enrolment, Session, SignInSheetScan

MAX_SCAN_BYTES = 10 * 1024 * 1024
# What a scan may be, known by its first bytes (a renamed file is refused whatever its name says).
SIGNATURES = [(b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
              (b"\x89PNG\r\n\x1a\n", "image/png")]
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
BLANK_ROWS = 3


def _qr_png_uri(text: str) -> str:
    image = qrcode.make(text, box_size=6, border=1)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def sheet_context(*, session: Session) -> dict:
    """What the sheet prints: the session, its lesson plan's title, the QR code and the roster."""
    learners = list(Enrolment.objects.filter(training_class_id=session.training_class_id,
                                             status=Enrolment.Status.ENROLLED)
                    .select_related("person__village").prefetch_related("person__posts")
                    .order_by("person__village__name", "person__name"))
    sign_in_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("classes:sign_in", args=[session.pk])
    return {
        "session": session, "tc": session.training_class, "rows": [e.person for e in learners],
        "blank_rows": range(BLANK_ROWS), "lesson_plan_title": session.lesson_plan.title if session.lesson_plan else "",
        "qr": _qr_png_uri(sign_in_url), "sign_in_url": sign_in_url,
        "school_name": school_name(),
    }


def signin_sheet_pdf(*, session: Session) -> bytes:
    """The A4 sign-in sheet of a session as PDF, with the embedded Chinese font."""
    return render_pdf(template="classes/signin_sheet_pdf.html", context=sheet_context(session=session))


def scan_content_type(head: bytes) -> str | None:
    """The scan's real type from its first bytes, or None when it is not a PDF, JPEG or PNG."""
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


@transaction.atomic
def signin_sheet_scan_upload(*, session: Session, upload, by) -> SignInSheetScan:
    """Keep the scan of a signed sheet: PDF, JPEG or PNG of at most 10 MB, for a session that has started."""
    if session.state == Session.State.CANCELLED:
        raise ValidationError(_("This session was cancelled; there is no sign-in sheet to keep."))
    if timezone.now() < session.starts():
        raise ValidationError(_("The signed sheet can be uploaded once the session has started."))
    if upload is None:
        raise ValidationError(_("Choose the scanned sheet to upload."))
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(_("The scan is %(size)s MB; at most 10 MB is allowed.")
                              % {"size": f"{upload.size / 1024 / 1024:.1f}"})
    upload.seek(0)
    kind = scan_content_type(upload.read(8))
    upload.seek(0)
    if kind is None:
        raise ValidationError(_("The scan must be a PDF, JPG or PNG file."))
    upload.name = f"session-{session.pk}.{EXTENSIONS[kind]}"
    return SignInSheetScan.objects.create(session=session, file=upload, content_type=kind, size=upload.size,
                                          uploaded_by=by)
