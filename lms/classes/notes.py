"""Study notes: learners write them (text and photos of paper notes); teachers and staff comment."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.core.text import bounded_text
from lms.core.uploads import require_image

from .models import Enrolment, NoteComment, NotePhoto, StudyNote

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6


def _check_photos(photos) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("Attach at most %(n)s photos.") % {"n": MAX_PHOTOS})
    for photo in photos:
        if photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo “%(name)s” is larger than %(mb)s MB.")
                                  % {"name": photo.name, "mb": MAX_PHOTO_BYTES // (1024 * 1024)})
        require_image(photo)


@transaction.atomic
def note_create(*, person, training_class, text: str, session=None, course=None, photos=()) -> StudyNote:
    """Save a learner's note for a class session or course, with any photos."""
    if not Enrolment.objects.filter(training_class=training_class, person=person,
                                    status=Enrolment.Status.ENROLLED).exists():
        raise ValidationError(_("You are not enrolled in this class."))
    if session is not None and session.training_class_id != training_class.pk:
        raise ValidationError(_("This session belongs to another class."))
    if not text.strip() and not photos:
        raise ValidationError(_("Write your notes or attach a photo of them."))
    _check_photos(photos)
    note = StudyNote.objects.create(person=person, training_class=training_class, session=session, course=course,
                                    text=bounded_text(text, max_length=20000))
    for photo in photos:
        NotePhoto.objects.create(note=note, image=photo)
    return note


def note_comment(*, note: StudyNote, author, text: str) -> NoteComment:
    """A teacher or staff member comments on a note."""
    if not text.strip():
        raise ValidationError(_("Write a comment."))
    return NoteComment.objects.create(note=note, author=author, text=bounded_text(text, max_length=2000))
