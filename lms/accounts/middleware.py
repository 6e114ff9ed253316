"""Request guards: the forced first password change, and learners kept out of the admin."""

from django.shortcuts import redirect
from django.urls import reverse

from .roles import is_learner_only

_ALLOWED_WHILE_FORCED = ("accounts:password_change", "accounts:logout")


class ForcePasswordChangeMiddleware:
    """Send a user who must change their password to the change form first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in _ALLOWED_WHILE_FORCED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)


class LearnerAdminGuardMiddleware:
    """Learners never reach the Wagtail admin: they are sent to their own home."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            user = getattr(request, "user", None)
            if user is not None and is_learner_only(user):
                return redirect("portal:home")
        return self.get_response(request)
