"""Forms of the budget pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.classes.models import TrainingClass
from lms.people.models import Post

from .models import CLAIMABLE_COST_TYPES, Account, Claim, CostType


class ClaimForm(forms.ModelForm):
    """A cadre's reimbursement claim."""

    class Meta:
        model = Claim
        fields = ["cost_type", "amount", "description", "incurred_on", "training_class"]
        widgets = {"incurred_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_type"].choices = [(c.value, c.label) for c in CostType if c in CLAIMABLE_COST_TYPES]
        self.fields["training_class"].queryset = TrainingClass.objects.filter(enrolments__person=person).distinct()
        self.fields["training_class"].required = False


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
