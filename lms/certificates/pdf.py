"""The certificate PDF: a Django template rendered by xhtml2pdf with the embedded CJK font."""

import base64
import io
import itertools
import logging

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from xhtml2pdf import pisa

from lms.people.selectors import school_name

from .fonts import missing_glyphs, pdf_resource_policy, register_cjk_font
from .models import Certificate, CertificateSettings, Design

logger = logging.getLogger(__name__)

LONG_NAME = 30
VERY_LONG_NAME = 60
# Course list font sizes (pt) by number of rows, so a long list still fits on the one page.
# Landscape pages are short: they list more than ONE_COLUMN_COURSES courses in two columns, in smaller type.
COURSE_FONT_SIZES = {"tall": ((5, 10.5), (9, 9), (14, 7.5)), "short": ((4, 10.5), (5, 9), (8, 7.5))}
SMALLEST_COURSE_FONT = 6.5
ONE_COLUMN_COURSES = 5
SHORT_DESIGNS = (Design.LANDSCAPE, Design.LANDSCAPE_PLAIN)


class CertificateRenderError(Exception):
    """The certificate cannot be rendered; the message says why, for staff."""


def verification_url(*, certificate: Certificate) -> str:
    """The absolute public URL the QR code opens."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse("certificates:verify", kwargs={"code": certificate.code})


def _png_data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def qr_data_uri(text: str) -> str:
    """A PNG QR code of text as a data: URI."""
    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return _png_data_uri(buffer.getvalue())


def seal_data_uri(school: CertificateSettings) -> str:
    """The seal as a PNG data: URI, or "" when there is none or its file cannot be read."""
    if school.seal_id is None:
        return ""
    try:
        from PIL import Image

        with school.seal.file.open("rb") as handle:
            image = Image.open(handle)
            image.load()
        buffer = io.BytesIO()
        image.convert("RGBA").save(buffer, format="PNG")
        return _png_data_uri(buffer.getvalue())
    except Exception:  # noqa: BLE001 - a missing or broken seal must not stop certificates
        logger.warning("Certificate seal image %s could not be read; rendering without it.", school.seal_id)
        return ""


def unprintable_characters(*, certificate: Certificate) -> str:
    """Characters of the holder's name that the font cannot print."""
    return missing_glyphs(certificate.holder_name)


def course_font_size(rows: int, *, page: str = "tall") -> float:
    """The course list's font size for a list of so many rows on a tall or short page."""
    return next((size for most, size in COURSE_FONT_SIZES[page] if rows <= most), SMALLEST_COURSE_FONT)


def course_layout(*, courses: list, design: str) -> dict:
    """One or two columns for the course list, its rows paired for two, and the font size."""
    page = "short" if design in SHORT_DESIGNS else "tall"
    if page == "tall" or len(courses) <= ONE_COLUMN_COURSES:
        size = course_font_size(len(courses), page=page)
        return {"course_columns": 1, "course_pairs": [], "course_font_size": size}
    half = (len(courses) + 1) // 2
    pairs = list(itertools.zip_longest(courses[:half], courses[half:], fillvalue={}))
    return {"course_columns": 2, "course_pairs": pairs, "course_font_size": course_font_size(len(pairs), page=page)}


def certificate_context(*, certificate: Certificate, school: CertificateSettings | None = None) -> dict:
    """Everything a certificate template shows."""
    school = school or CertificateSettings.load()
    training_class = certificate.training_class
    courses = [
        {"title": course.title, "credit_hours": course.credit_hours}
        for course in training_class.courses.order_by("title")
    ]
    class_name = certificate.class_name
    return {
        "certificate": certificate,
        "school_name": school_name(),
        "class_name": class_name,
        "name_size": "small" if len(class_name) > VERY_LONG_NAME else "medium" if len(class_name) > LONG_NAME else "",
        "courses": courses,
        **course_layout(courses=courses, design=certificate.design),
        "total_hours": sum((c["credit_hours"] for c in courses), 0),
        "seal": seal_data_uri(school),
        "signatory": school.signatory,
        "qr": qr_data_uri(verification_url(certificate=certificate)),
        "verify_url": verification_url(certificate=certificate),
        "font_family": register_cjk_font(),
    }


def certificate_html(*, certificate: Certificate, school: CertificateSettings | None = None) -> str:
    """The certificate as HTML for xhtml2pdf."""
    design = certificate.design if certificate.design in Design.values else Design.LANDSCAPE
    context = certificate_context(certificate=certificate, school=school)
    return render_to_string(f"certificates/pdf/{design}.html", context)


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes with xhtml2pdf, failing loudly rather than returning a broken file."""
    register_cjk_font()
    out = io.BytesIO()
    status = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=pdf_resource_policy())
    data = out.getvalue()
    if status.err or not data.startswith(b"%PDF"):
        raise CertificateRenderError(_("The PDF could not be produced (%(n)s errors).") % {"n": status.err})
    return data


def certificate_pdf(*, certificate: Certificate, school: CertificateSettings | None = None) -> bytes:
    """The certificate's PDF; refuses names the font cannot print so no certificate shows empty boxes."""
    missing = unprintable_characters(certificate=certificate)
    if missing:
        raise CertificateRenderError(
            _("The name “%(name)s” has characters the certificate font cannot print: %(chars)s. "
              "Correct the name in the roster, then issue again.") % {"name": certificate.holder_name, "chars": missing}
        )
    return html_to_pdf(certificate_html(certificate=certificate, school=school))
