"""Forms of the budget pages."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.classes.models import TrainingClass
from lms.people.models import Post
from lms.trips.models import Trip

from .models import CLAIMABLE_COST_TYPES, Account, Claim, CostType


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, cleaned one by one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ClaimForm(forms.ModelForm):
    """A cadre's reimbursement claim, with receipt photos or PDFs attached in the same step."""

    receipts = MultipleFileField(label=_("Receipt (photo or PDF)"), required=False)

    class Meta:
        model = Claim
        fields = ["cost_type", "amount", "description", "incurred_on", "training_class", "trip"]
        widgets = {"incurred_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_type"].choices = [(c.value, c.label) for c in CostType if c in CLAIMABLE_COST_TYPES]
        self.fields["training_class"].queryset = TrainingClass.objects.filter(enrolments__person=person).distinct()
        self.fields["training_class"].required = False
        self.fields["trip"].queryset = Trip.objects.filter(participants__person=person).distinct()
        self.fields["trip"].required = False

    def clean_incurred_on(self):
        """A date between 2000 and a year from today: 0001-01-01 and 9999-12-31 are typing slips."""
        day = self.cleaned_data["incurred_on"]
        latest = timezone.localdate() + datetime.timedelta(days=366)
        if day is not None and not (datetime.date(2000, 1, 1) <= day <= latest):
            raise forms.ValidationError(_("Enter a date between 2000 and a year from today."))
        return day

    def claim_fields(self) -> dict:
        """The cleaned claim fields, without the receipts."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReceiptForm(forms.Form):
    file = forms.FileField(label=_("Receipt (photo or PDF)"))


class ApproveForm(forms.Form):
    """Approve, optionally splitting what the allowance cannot cover onto a county fund."""

    fund = forms.ModelChoiceField(label=_("County fund for the rest"), queryset=Account.objects.none(), required=False)
    split_reason = forms.CharField(label=_("Reason for the split"), max_length=200, required=False)

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Account.objects.filter(kind=Account.Kind.FUND, year=year)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PolicyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.all())
    amount = forms.DecimalField(label=_("Allowance per person (yuan)"), min_value=0, max_digits=10, decimal_places=2)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry reversed?"), max_length=200)
