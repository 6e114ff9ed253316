"""A teacher attaches the lesson plan (教案) of a session, stored as a Wagtail document."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Session

MAX_LESSON_PLAN_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".doc", ".docx", ".ppt", ".pptx", ".txt", ".odt"}


@transaction.atomic
def session_attach_lesson_plan(*, session: Session, upload, by) -> Session:
    """Store the uploaded lesson plan as a document and attach it to the session."""
    from wagtail.documents import get_document_model

    if session.state == Session.State.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(_("Upload the lesson plan as PDF, Word, PowerPoint or text."))
    if upload.size > MAX_LESSON_PLAN_BYTES:
        raise ValidationError(_("The lesson plan is larger than %(mb)s MB.")
                              % {"mb": MAX_LESSON_PLAN_BYTES // (1024 * 1024)})
    document = get_document_model().objects.create(
        title=f"{session.training_class.name}·{session.topic} 教案"[:255], file=upload, uploaded_by_user=by
    )
    session.lesson_plan = document
    session.save(update_fields=["lesson_plan"])
    return session
