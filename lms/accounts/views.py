"""Sign-in, sign-out, password change, and the throttled sign-in page."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .forms import FirstPasswordChangeForm, PhoneAuthenticationForm
from .roles import is_learner_only


class SignInView(auth_views.LoginView):
    """Sign in; staff land in the admin, learners on 我的学习."""

    template_name = "accounts/login.html"
    authentication_form = PhoneAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if user.is_authenticated and not is_learner_only(user) and (
            user.is_superuser or user.has_perm("wagtailadmin.access_admin")
        ):
            return "/admin/"
        return str(reverse_lazy("portal:home"))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change password; required on the first sign-in."""

    template_name = "accounts/password_change.html"
    form_class = FirstPasswordChangeForm
    success_url = reverse_lazy("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown when too many sign-ins failed for this account or address."""
    return render(request, "accounts/locked_out.html", status=429)
