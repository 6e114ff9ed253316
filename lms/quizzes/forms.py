"""Staff forms: the question editor's cross-field checks, imports, exports and essay grading."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import QuestionCategory, Quiz
from .questiondata import ChoiceData, QuestionData
from .validation import path_errors, question_data_errors


def _live_forms(formset):
    return [
        f for f in formset.forms
        if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
    ]


class QuestionAdminForm(WagtailAdminModelForm):
    """Checks that options, blanks and the true/false answer fit the question's type."""

    def clean(self):
        cleaned = super().clean()
        if self.errors or not all(fs.is_valid() for fs in self.formsets.values()):
            return cleaned
        data = QuestionData(
            kind=cleaned.get("kind") or "", text=cleaned.get("text") or "",
            difficulty=cleaned.get("difficulty") or 3, score=cleaned.get("score") or Decimal(0),
            true_false_answer=cleaned.get("true_false_answer"),
            spec=cleaned.get("answer_spec") if isinstance(cleaned.get("answer_spec"), dict) else {},
            choices=[
                ChoiceData(text=f.cleaned_data.get("text") or "", is_correct=bool(f.cleaned_data.get("is_correct")))
                for f in _live_forms(self.formsets["choices"])
            ],
            blanks=[
                [a for a in (f.cleaned_data.get("accepted_answers") or "").splitlines() if a.strip()]
                for f in _live_forms(self.formsets["blanks"])
            ],
        )
        if not isinstance(cleaned.get("answer_spec") or {}, dict):
            self.add_error("answer_spec", _("The graded answers must be a JSON object."))
        for message in question_data_errors(data):
            self.add_error(None, message)
        return cleaned


class ImportForm(forms.Form):
    """Upload a question file in one of the supported formats."""

    FORMAT_CHOICES = [
        ("excel", _("Excel template (.xlsx)")),
        ("gift", _("Moodle GIFT (.txt, .gift)")),
        ("xml", _("Moodle XML (.xml)")),
    ]
    format = forms.ChoiceField(label=_("File format"), choices=FORMAT_CHOICES)
    file = forms.FileField(label=_("File"))
    category = forms.CharField(
        label=_("Default category"), max_length=300, initial="导入题库",
        help_text=_("Used for questions whose file gives no category; use / between levels."),
    )

    def clean_category(self):
        path = "/".join(p.strip() for p in self.cleaned_data["category"].replace("／", "/").split("/") if p.strip())
        problems = path_errors(path)
        if problems:
            raise forms.ValidationError(problems)
        if not path:
            raise forms.ValidationError(_("A category name is needed."))
        return path


class ExportForm(forms.Form):
    """Choose which part of the bank to export and in which format."""

    format = forms.ChoiceField(
        label=_("File format"), choices=[("excel", _("Excel template (.xlsx)")), ("gift", _("Moodle GIFT (.txt)")),
                                         ("xml", _("Moodle XML (.xml)"))]
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=QuestionCategory.objects.all(), required=False,
        empty_label=_("The whole bank"), help_text=_("Subcategories are included."),
    )
    quiz = forms.ModelChoiceField(
        label=_("Or a quiz"), queryset=Quiz.objects.order_by("title"), required=False, empty_label="—",
        help_text=_("Its fixed questions and every question its draw rules may pick."),
    )


class EssayGradeForm(forms.Form):
    """Staff's mark and rubric comment for one essay answer."""

    score = forms.DecimalField(label=_("Score"), min_value=Decimal(0), decimal_places=2, max_digits=6)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, max_score: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].max_value = max_score
        self.fields["score"].validators.append(MaxValueValidator(max_score))
        self.fields["score"].help_text = _("Out of %(max)s.") % {"max": max_score}
