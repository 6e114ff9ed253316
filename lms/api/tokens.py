"""Personal API tokens: create (the raw token is returned once), revoke, and authenticate."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, token_digest, token_new

# Recording every request's time would be a write per call; a minute is precise enough for "last used".
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def token_create(*, user, name: str, by, expires_at: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for a user; return it with the raw value, which is never stored."""
    raw = token_new()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80], digest=token_digest(raw), hint=raw[:10], created_by=by,
        expires_at=expires_at,
    )
    return token, raw


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token at once: the next request with it is refused."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw: str, now=None) -> ApiToken | None:
    """The usable token a raw value names (its user loaded), else None; notes when it was last used."""
    if not raw or len(raw) > 200:
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
