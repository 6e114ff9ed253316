"""Attribute every change made during a request to its user, address and path."""

from django.conf import settings

from .context import ADMIN, API, IMPORT, PORTAL, audit_context


def client_address(request) -> str | None:
    """The client's address; behind AUDIT_PROXY_COUNT trusted proxies, the one they forwarded."""
    proxies = getattr(settings, "AUDIT_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def channel_for_path(path: str) -> str:
    """Which path a request's changes came through."""
    if path.startswith("/api/"):
        return API
    if path.startswith("/admin/people/import") or "/import/" in path:
        return IMPORT
    if path.startswith("/admin/"):
        return ADMIN
    return PORTAL


class AuditContextMiddleware:
    """Open an audit context for the request; the user is read lazily, after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(
            actor=_LazyActor(request), channel=channel_for_path(request.path),
            remote_addr=client_address(request), path=request.path[:200],
        ):
            return self.get_response(request)


class _LazyActor:
    """Resolves to the request's user when an entry is written (API tokens set it late)."""

    def __init__(self, request):
        self.request = request

    def resolve(self):
        user = getattr(self.request, "auth_user", None) or getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None
