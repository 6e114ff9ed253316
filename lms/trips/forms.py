"""Forms of the trip pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.budget.forms import MultipleFileField, MultipleFileInput
from lms.people.models import Post, Township

from .models import TripCost


class CostForm(forms.ModelForm):
    """An actual cost; naming participants makes it theirs alone (e.g. single rooms)."""

    class Meta:
        model = TripCost
        fields = ["item", "amount", "description", "shared_by"]
        widgets = {"shared_by": forms.CheckboxSelectMultiple}

    def __init__(self, *args, trip=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trip is not None:
            self.fields["shared_by"].queryset = trip.participants.select_related("person")
        self.fields["shared_by"].label_from_instance = lambda participant: participant.person.name


class AddParticipantsForm(forms.Form):
    township = forms.ModelChoiceField(label=_("Township or town"), queryset=Township.objects.all(), required=False)
    posts = forms.ModelMultipleChoiceField(
        label=_("Posts"), queryset=Post.objects.all(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone in office holding one of these posts is added."),
    )


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 10}))
    photos = MultipleFileField(label=_("Photos"), required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
