"""Study notes: a learner writes and lists their own; staff and the session's teacher read and comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lms.accounts import scope
from lms.core.files import private_file_response
from lms.people.selectors import person_for_user

from ..models import Enrolment, NotePhoto, Session, StudyNote
from ..notes import MAX_PHOTO_BYTES, MAX_PHOTOS, note_comment, note_create
from ..scoping import classes_visible_to, is_school_staff
from .access import own_person


@login_required
def note_new(request, pk: int):
    """Write a note for a class (optionally one of its sessions), with photos of paper notes."""
    person = own_person(request)
    enrolment = get_object_or_404(Enrolment.objects.select_related("training_class"), training_class_id=pk,
                                  person=person, status=Enrolment.Status.ENROLLED)
    tc = enrolment.training_class
    sessions = list(Session.objects.filter(training_class=tc).exclude(state=Session.State.CANCELLED))
    error = None
    if request.method == "POST":
        session = next((s for s in sessions if str(s.pk) == request.POST.get("session")), None)
        try:
            note = note_create(person=person, training_class=tc, session=session, text=request.POST.get("text", ""),
                               photos=request.FILES.getlist("photos"))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your notes were saved."))
            return redirect("classes:note_detail", pk=note.pk)
    return render(request, "classes/note_form.html", {
        "tc": tc, "sessions": sessions, "error": error, "data": request.POST,
        "max_photos": MAX_PHOTOS, "max_mb": MAX_PHOTO_BYTES // (1024 * 1024),
    })


def _may_read(user, note) -> bool:
    return scope.notes(user).filter(pk=note.pk).exists()


def _may_comment(user, note) -> bool:
    teacher = getattr(user, "teacher", None)
    return is_school_staff(user) or (teacher is not None and note.session_id is not None
                                     and note.session.teacher_id == teacher.pk)


@login_required
def note_detail(request, pk: int):
    """A note with its photos and comments; others' notes are 404 unless staff, teacher or organiser in scope."""
    note = get_object_or_404(StudyNote.objects.select_related("person", "training_class", "session__teacher"), pk=pk)
    if not _may_read(request.user, note):
        raise Http404
    may_comment = _may_comment(request.user, note)
    error = None
    if request.method == "POST":
        if not may_comment:
            raise Http404
        try:
            note_comment(note=note, author=request.user, text=request.POST.get("text", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("classes:note_detail", pk=note.pk)
    return render(request, "classes/note_detail.html", {
        "note": note, "photos": note.photos.all(), "comments": note.comments.select_related("author"),
        "may_comment": may_comment, "error": error,
    })


@login_required
def note_photo(request, pk: int):
    """A photo of a note, to whoever may read the note (others: 404)."""
    photo = get_object_or_404(NotePhoto.objects.filter(note__in=scope.notes(request.user)), pk=pk)
    return private_file_response(request, photo.image)


@login_required
def my_notes(request):
    """The learner's own notes."""
    person = person_for_user(user=request.user)
    if person is None:
        raise Http404
    notes = StudyNote.objects.filter(person=person).select_related("training_class", "session")[:100]
    return render(request, "classes/my_notes.html", {"notes": notes})


@login_required
def class_notes(request, pk: int):
    """Staff and organisers read a class's notes: an organiser only their township's cadres'."""
    tc = get_object_or_404(classes_visible_to(user=request.user), pk=pk)
    notes = scope.notes(request.user).filter(training_class=tc).select_related("person", "session")[:300]
    return render(request, "classes/class_notes.html", {"tc": tc, "notes": notes})
