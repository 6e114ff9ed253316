"""Study notes: learners write them with photos (size-limited); teachers and staff read and comment."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lms.classes.models import NoteComment, StudyNote
from lms.classes.notes import MAX_PHOTO_BYTES, note_create
from tests.factories import UserFactory, learner_for

from .conftest import make_session


def _jpeg(name="notes.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_learner_writes_note_with_photo(client, running_class, learner_user, learner_person):
    session = make_session(running_class)
    client.force_login(learner_user)
    response = client.post(f"/classes/{running_class.pk}/notes/new/",
                           {"text": "三议一表决的体会", "session": session.pk, "photos": [_jpeg()]})
    note = StudyNote.objects.get(person=learner_person)
    assert response.status_code == 302 and note.session == session and note.photos.count() == 1
    assert client.get(f"/classes/notes/{note.pk}/").status_code == 200


def test_photo_too_large_refused(running_class, learner_person):
    big = SimpleUploadedFile("big.jpg", b"x" * (MAX_PHOTO_BYTES + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        note_create(person=learner_person, training_class=running_class, text="x", photos=[big])
    assert not StudyNote.objects.exists()


def test_empty_note_and_outsider_refused(running_class, learner_person, county):
    with pytest.raises(ValidationError, match="Write your notes"):
        note_create(person=learner_person, training_class=running_class, text="  ")
    with pytest.raises(ValidationError, match="not enrolled"):
        note_create(person=county["people"]["west"][0], training_class=running_class, text="x")


def test_teacher_reads_and_comments_others_cannot(client, running_class, learner_person, county, teacher):
    session = make_session(running_class, teacher=teacher)
    note = note_create(person=learner_person, training_class=running_class, session=session, text="笔记")
    teacher.user = UserFactory()
    teacher.save()
    client.force_login(teacher.user)
    client.post(f"/classes/notes/{note.pk}/", {"text": "写得好，要联系实际。"})
    assert NoteComment.objects.get(note=note).author == teacher.user
    classmate = learner_for(county["people"]["east"][1])
    client.force_login(classmate)
    assert client.get(f"/classes/notes/{note.pk}/").status_code == 404
    assert client.post(f"/classes/notes/{note.pk}/", {"text": "x"}).status_code == 404


def test_staff_read_class_notes(client, running_class, learner_person, staff_user):
    note_create(person=learner_person, training_class=running_class, text="村务公开笔记")
    client.force_login(staff_user)
    assert "村务公开笔记" in client.get(f"/classes/{running_class.pk}/notes/").content.decode()


def test_teacher_attaches_lesson_plan(client, running_class, teacher):
    from lms.classes.models import Session

    session = make_session(running_class, teacher=teacher, topic="党章")
    teacher.user = UserFactory()
    teacher.save()
    client.force_login(teacher.user)
    assert "党章" in client.get("/classes/teaching/").content.decode()
    bad = SimpleUploadedFile("plan.exe", b"MZ", content_type="application/octet-stream")
    client.post(f"/classes/teaching/sessions/{session.pk}/lesson-plan/", {"file": bad})
    assert Session.objects.get(pk=session.pk).lesson_plan is None
    good = SimpleUploadedFile("plan.txt", "教学目的：学习党章".encode(), content_type="text/plain")
    client.post(f"/classes/teaching/sessions/{session.pk}/lesson-plan/", {"file": good})
    assert Session.objects.get(pk=session.pk).lesson_plan.title.endswith("教案")


def test_not_a_teacher_gets_404(client, running_class, learner_user):
    client.force_login(learner_user)
    assert client.get("/classes/teaching/").status_code == 404
