"""Request guards: idle timeout, second factor, the forced first password change, learners kept out of the admin."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .roles import is_learner_only
from .security import idle_limit_seconds, second_factor_required

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


class IdleSessionTimeoutMiddleware:
    """Sign out a session idle longer than its role allows (等保 2.0: 30 minutes for staff by default)."""

    KEY = "last_activity"
    # Write the time back at most once a minute, so a page of requests is not a page of session writes.
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - int(last) > idle_limit_seconds(user):
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(request, _("You were signed out after a period without activity. Sign in again."))
                    return redirect_to_login(request.get_full_path())
            elif last is None or now - int(last) >= self.RESOLUTION:
                request.session[self.KEY] = now
        return self.get_response(request)


_SECOND_FACTOR_PATHS = ("accounts:otp_setup", "accounts:otp_verify", "accounts:logout")


class SecondFactorMiddleware:
    """Staff who must use a second factor reach nothing but its set-up and check pages until they pass it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None and user.is_authenticated and not user.is_verified()
            and not getattr(request, "api_token", None) and second_factor_required(user)
        ):
            allowed = {reverse(name) for name in _SECOND_FACTOR_PATHS}
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"code": "second_factor_required", "message": _("Enter your one-time code first.")},
                        status=403,
                    )
                target = "accounts:otp_verify" if user_has_device(user, confirmed=True) else "accounts:otp_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
