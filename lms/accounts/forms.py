"""Sign-in and password forms with phone-number wording."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class PhoneAuthenticationForm(AuthenticationForm):
    """Sign in with a phone number (learners) or a staff user name."""

    username = forms.CharField(
        label=_("Phone number or user name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}),
    )
    error_messages = {
        "invalid_login": _("The phone number (user name) or password is wrong. Please check and try again."),
        "inactive": _("This account has been disabled. Please contact the Party school."),
    }

    def clean_username(self) -> str:
        """Strip spaces people type around a phone number."""
        return self.cleaned_data["username"].strip().replace(" ", "")


class FirstPasswordChangeForm(PasswordChangeForm):
    """Password change that also clears the forced-change flag."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if user.must_change_password:
            # On the first sign-in the "old" password is the one the school handed out.
            self.fields["old_password"].label = _("Initial password")
            self.fields["old_password"].help_text = _(
                "The password the Party school gave you with your account (the one you just signed in with)."
            )

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user.must_change_password = False
        if commit:
            user.save(update_fields=["password", "must_change_password"])
        return user
