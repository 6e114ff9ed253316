"""Sign-in rules of 等保 2.0: idle timeout per role, a second factor, the demo password retired in production."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django_otp import user_has_device

from .passwords import DEMO_PASSWORD
from .roles import is_learner_only


def needs_staff_rules(user) -> bool:
    """Staff, officers and organisers (anyone who is not only a learner) get the stricter rules."""
    return user.is_authenticated and not is_learner_only(user)


def idle_limit_seconds(user) -> int:
    """How long this user's session may stay idle."""
    minutes = settings.STAFF_IDLE_MINUTES if needs_staff_rules(user) else settings.LEARNER_IDLE_MINUTES
    return int(minutes) * 60


def second_factor_required(user) -> bool:
    """Whether this user must pass a TOTP code: always once they set one up, for all staff when the setting says so."""
    if not needs_staff_rules(user):
        return False
    if settings.REQUIRE_SECOND_FACTOR:
        return True
    return user_has_device(user, confirmed=True)


def _retire_demo_password(sender, request, user, **kwargs) -> None:
    """Signing in with the demo password in production forces a change first."""
    if not getattr(settings, "REFUSE_DEMO_PASSWORD", False) or request is None:
        return
    if request.POST.get("password") == DEMO_PASSWORD and not user.must_change_password:
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])


def connect() -> None:
    """Listen for sign-ins."""
    user_logged_in.connect(_retire_demo_password, dispatch_uid="accounts_retire_demo_password")
