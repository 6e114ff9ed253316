"""Who calls the API: a personal token (Authorization: Bearer …) or the portal's own signed-in session."""

import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import APIKeyCookie, HttpBearer

from .errors import Throttled
from .tokens import token_authenticate

WINDOW_SECONDS = 60


def rate_limit(*, key: str) -> None:
    """Allow API_RATE_LIMIT_PER_MINUTE calls per key per minute, counted in the shared cache."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    window = int(time.time() // WINDOW_SECONDS)
    cache_key = f"api:rate:{key}:{window}"
    if cache.add(cache_key, 1, WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, WINDOW_SECONDS + 5)
            count = 1
    if count > limit:
        raise Throttled(retry_after=WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS)


def _as(request, user, *, token=None):
    request.user = user
    request.auth_user = user
    request.api_token = token
    return user


class TokenAuth(HttpBearer):
    """A personal API token; it acts with its user's role and scope."""

    def authenticate(self, request, token):
        found = token_authenticate(raw=token)
        if found is None:
            return None
        rate_limit(key=f"token:{found.pk}")
        return _as(request, found.user, token=found)


class SessionAuth(APIKeyCookie):
    """The signed-in session of the portal's own pages (CSRF-checked for writes)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        rate_limit(key=f"user:{user.pk}")
        return _as(request, user)
