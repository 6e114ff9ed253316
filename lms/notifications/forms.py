"""Forms: a person's preferences, staff's announcement, and the message-type editor's checks."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.classes.models import TrainingClass
from lms.people.models import Township

from .models import Announcement, MessageType, QuietHours
from .templating import TemplateError, sms_template_check, template_check


class QuietHoursForm(forms.ModelForm):
    class Meta:
        model = QuietHours
        fields = ["starts_at", "ends_at", "daily_sms_cap"]
        widgets = {"starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=30)
    text = forms.CharField(label=_("text"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}))
    audience = forms.ChoiceField(label=_("send to"), choices=Announcement.Audience.choices)
    training_class = forms.ModelChoiceField(label=_("training class"), required=False,
                                            queryset=TrainingClass.objects.exclude(state=TrainingClass.State.CLOSED))
    township = forms.ModelChoiceField(label=_("township or town"), required=False, queryset=Township.objects.all())
    with_sms = forms.BooleanField(label=_("also by SMS (to those who have not turned it off)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("audience") == Announcement.Audience.CLASS and not data.get("training_class"):
            self.add_error("training_class", _("Choose the training class."))
        if data.get("audience") == Announcement.Audience.TOWNSHIP and not data.get("township"):
            self.add_error("township", _("Choose the township."))
        return data


class MessageTypeForm(WagtailAdminModelForm):
    """Refuses unknown variables and SMS texts that could run over one message."""

    class Meta:
        model = MessageType
        fields = ["title_template", "body_template", "sms_template", "sms_template_code", "sms_default",
                  "email_default", "is_active"]

    def _checked(self, name: str, check) -> str:
        value = self.cleaned_data.get(name, "")
        try:
            check(value)
        except TemplateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value

    def clean_title_template(self):
        return self._checked("title_template", lambda t: template_check(template=t, allowed=self.instance.variables))

    def clean_body_template(self):
        return self._checked("body_template", lambda t: template_check(template=t, allowed=self.instance.variables))

    def clean_sms_template(self):
        return self._checked("sms_template", lambda t: sms_template_check(
            template=t, allowed=self.instance.variables, sign_name=settings.NOTIFICATIONS_SMS_SIGN_NAME))
