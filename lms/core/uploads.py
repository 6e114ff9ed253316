"""Uploads checked by what they contain, not by their name: an image must decode, a PDF must be a PDF.

A file named .png holding HTML or SVG with script is refused here, before it is stored.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def _rewind(upload) -> None:
    if hasattr(upload, "seek"):
        upload.seek(0)


def is_image(upload) -> bool:
    """Whether the file decodes as a PNG, JPEG, GIF or WebP picture."""
    _rewind(upload)
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        _rewind(upload)
    return kind in IMAGE_FORMATS


def is_pdf(upload) -> bool:
    """Whether the file starts as a PDF does (so a browser never takes it for a page)."""
    _rewind(upload)
    head = upload.read(1024)
    _rewind(upload)
    return head.lstrip().startswith(b"%PDF-")


def require_image(upload) -> None:
    """Refuse a file that is not a picture."""
    if not is_image(upload):
        raise ValidationError(_("“%(name)s” is not a photo (PNG, JPEG, GIF or WebP).") % {"name": upload.name})


def require_image_or_pdf(upload) -> None:
    """Refuse a file that is neither a picture nor a PDF."""
    if not (is_image(upload) or is_pdf(upload)):
        raise ValidationError(_("“%(name)s” is neither a photo nor a PDF.") % {"name": upload.name})
