"""Sign-ins, sign-outs and failed sign-ins become audit entries on the account."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType

from .context import audit_context
from .middleware import channel_for_path, client_address

SIGNED_IN = "signed_in"
SIGNED_OUT = "signed_out"
SIGN_IN_FAILED = "sign_in_failed"


def _record(*, event: str, request, target=None, actor=None, username: str = "") -> None:
    """One entry on the account signed in to (or the name tried, when no such account exists)."""
    User = get_user_model()
    path = request.path[:200] if request is not None else ""
    with audit_context(
        actor=actor, channel=channel_for_path(path) if path else "portal",
        remote_addr=client_address(request) if request is not None else None, path=path,
    ):
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(User),
            object_pk=str(target.pk) if target is not None else "",
            object_id=target.pk if target is not None else None,
            object_repr=(target.get_username() if target is not None else username)[:150],
            action=LogEntry.Action.ACCESS,
            changes={},
            actor=actor,
            additional_data={"event": event},
        )


def _signed_in(sender, request, user, **kwargs) -> None:
    _record(event=SIGNED_IN, request=request, target=user, actor=user)


def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        _record(event=SIGNED_OUT, request=request, target=user, actor=user)


def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    target = get_user_model().objects.filter(username=username).first() if username else None
    _record(event=SIGN_IN_FAILED, request=request, target=target, username=username)


def connect() -> None:
    """Listen to Django's authentication signals."""
    user_logged_in.connect(_signed_in, dispatch_uid="lms_audit_signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="lms_audit_signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="lms_audit_sign_in_failed")
