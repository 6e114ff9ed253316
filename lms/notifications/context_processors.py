"""The unread count in every page's header (cached, so it costs no query on most pages)."""

from .selectors import unread_count


def unread_messages(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": lambda: unread_count(user=user)}
