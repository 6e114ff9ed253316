"""A chooser of training classes for the quiz's class field, which stores the class's id."""

from django import forms

from lms.classes.models import TrainingClass


class TrainingClassSelect(forms.Select):
    """A drop-down of training classes, newest first, read when the form is drawn."""

    def get_context(self, name, value, attrs):
        self.choices = [("", "---------")] + [
            (tc.pk, str(tc)) for tc in TrainingClass.objects.order_by("-year", "-starts_on", "name").only(
                "pk", "name", "year")
        ]
        return super().get_context(name, value, attrs)
