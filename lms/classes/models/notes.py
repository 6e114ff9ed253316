"""Study notes (学习笔记) with photos of paper notes, and teachers' comments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .training import Session, TrainingClass


class StudyNote(models.Model):
    """A learner's note on a session or a course of a class."""

    person = models.ForeignKey("people.Person", verbose_name=_("cadre"), on_delete=models.PROTECT,
                               related_name="study_notes")
    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="study_notes",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.SET_NULL, related_name="study_notes"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("notes"), max_length=20000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("study note")
        verbose_name_plural = _("study notes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["training_class", "person"], name="note_class_person_idx")]

    def __str__(self) -> str:
        return self.text[:30]


class NotePhoto(models.Model):
    """A photo of paper notes; stored through Django's storage."""

    note = models.ForeignKey(StudyNote, verbose_name=_("note"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="classes/notes/%Y/%m/")

    class Meta:
        verbose_name = _("note photo")
        verbose_name_plural = _("note photos")

    def __str__(self) -> str:
        return self.image.name


class NoteComment(models.Model):
    """A teacher's or staff member's comment on a study note."""

    note = models.ForeignKey(StudyNote, verbose_name=_("note"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]
