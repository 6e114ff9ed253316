"""Reads: a person's inbox and unread count, announcement audiences, the delivery log."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from lms.classes.models import Enrolment

from .models import Message, MessageType, Preference, QuietHours

UNREAD_CACHE_SECONDS = 60


def inbox_for_user(*, user) -> QuerySet[Message]:
    """The user's own inbox messages, newest first."""
    return Message.objects.filter(recipient=user, in_app=True).select_related("type").order_by("-created_at", "-pk")


def message_for_user(*, user, pk: int) -> Message:
    """One of the user's own messages; anybody else's is 404, whoever asks."""
    message = Message.objects.filter(recipient=user, in_app=True, pk=pk).select_related("type").first()
    if message is None:
        raise Http404
    return message


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(*, user) -> int:
    """Unread inbox messages, cached for a minute (the header shows it on every page)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Message.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def unread_count_forget(*, user_ids) -> None:
    """Drop cached counts after new or read messages (other processes see the change within a minute)."""
    cache.delete_many([_unread_key(uid) for uid in user_ids])


def announcement_recipients(*, audience: str, training_class=None, township=None) -> QuerySet:
    """The accounts of learners in office an announcement goes to."""
    users = get_user_model().objects.filter(is_active=True, person__isnull=False, person__is_active=True)
    if audience == "class":
        enrolled = Enrolment.objects.filter(training_class=training_class, status=Enrolment.Status.ENROLLED)
        return users.filter(person__in=enrolled.values("person"))
    if audience == "township":
        return users.filter(person__village__township=township)
    return users


def preference_rows(*, user) -> list[dict]:
    """Each message type with the user's channels (their choice or the defaults), for the preferences page."""
    types = list(MessageType.objects.filter(is_active=True))
    chosen = {p.type_id: p for p in Preference.objects.filter(user=user)}
    rows = []
    for mtype in types:
        pref = chosen.get(mtype.pk)
        rows.append({
            "type": mtype, "mandatory": mtype.in_app_mandatory,
            "in_app": True if pref is None or mtype.in_app_mandatory else pref.in_app,
            "sms": mtype.sms_default if pref is None else pref.sms,
            "email": mtype.email_default if pref is None else pref.email,
        })
    return rows


def quiet_hours_for(*, user) -> QuietHours:
    """The user's quiet hours row, or an unsaved one with the defaults (reads never write)."""
    return QuietHours.objects.filter(user=user).first() or QuietHours(user=user)
