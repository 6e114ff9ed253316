"""Sign-in, sign-out, password change, and the throttled sign-in page."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import FirstPasswordChangeForm, PhoneAuthenticationForm
from .landing import landing_url


class SignInView(auth_views.LoginView):
    """Sign in; each role lands on its own start page (learners on 我的学习)."""

    template_name = "accounts/login.html"
    authentication_form = PhoneAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change password; required on the first sign-in."""

    template_name = "accounts/password_change.html"
    form_class = FirstPasswordChangeForm

    def get_success_url(self):
        return landing_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown when too many sign-ins failed for this account or address."""
    return render(request, "accounts/locked_out.html", status=429)
