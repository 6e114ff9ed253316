"""Writes: notices (inbox messages and their deliveries), delivering them, reading, preferences, announcements."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.people.models import Person

from . import tasks
from .catalogue import message_types_ensure
from .models import Announcement, Channel, Delivery, Message, MessageType, Preference, QuietHours
from .quiet import local_day_start, quiet_rule_for
from .selectors import announcement_recipients, unread_count_forget
from .sms import Sms, SmsError, sms_backend
from .templating import render, sms_params

log = logging.getLogger(__name__)
BATCH = 2000
ENQUEUE_CHUNK = 200
# A delivery still "being sent" after this long had its worker die mid-call: its outcome is unknown.
STALE_SENDING = datetime.timedelta(minutes=15)


@dataclass
class Notice:
    """One recipient of an event, with the values of the template variables and the page it concerns."""

    recipient: object
    context: dict = field(default_factory=dict)
    url: str = ""


def message_type_get(code: str) -> MessageType:
    """The row of a message type, created from the catalogue when missing."""
    mtype = MessageType.objects.filter(code=code).first()
    if mtype is None:
        message_types_ensure()
        mtype = MessageType.objects.get(code=code)
    return mtype


def _channels(mtype: MessageType, user_ids: list[int]) -> dict[int, tuple[bool, bool, bool]]:
    """(in-app, SMS, e-mail) of each user for this type: their preference, else the type's defaults."""
    defaults = (True, mtype.sms_default, mtype.email_default)
    out = {uid: defaults for uid in user_ids}
    for uid, in_app, sms, email in Preference.objects.filter(type=mtype, user_id__in=user_ids).values_list(
            "user_id", "in_app", "sms", "email"):
        out[uid] = (in_app or mtype.in_app_mandatory, sms, email)
    return out


@dataclass(frozen=True)
class _Recipient:
    """What sending needs of an account: its id, the name to greet and the e-mail address."""

    pk: int
    name: str
    email: str


@dataclass(frozen=True)
class _Row:
    recipient: _Recipient
    context: dict
    url: str


def notices_send(*, type_code: str, event_key: str, notices: list[Notice], now=None) -> int:
    """Put one message per recipient in their inbox and queue its SMS and e-mail; returns how many are new.

    Idempotent: the (event, person) key means a second run for the same event creates nothing.
    """
    mtype = message_type_get(type_code)
    if not mtype.is_active or not notices:
        return 0
    now = now or timezone.now()
    by_user = {n.recipient.pk: _Row(_Recipient(n.recipient.pk, n.recipient.display_name(), n.recipient.email or ""),
                                    n.context, n.url)
               for n in notices if n.recipient is not None and n.recipient.is_active}
    created = 0
    ids = list(by_user)
    for start in range(0, len(ids), BATCH):
        created += _send_batch(mtype, event_key, {uid: by_user[uid] for uid in ids[start:start + BATCH]}, now)
    return created


def _send_batch(mtype: MessageType, event_key: str, notices: dict[int, _Row], now) -> int:
    with transaction.atomic():
        known = set(Message.objects.filter(event_key=event_key, recipient_id__in=list(notices))
                    .values_list("recipient_id", flat=True))
        new_ids = [uid for uid in notices if uid not in known]
        if not new_ids:
            return 0
        channels = _channels(mtype, new_ids)
        contexts = {uid: {"name": notices[uid].recipient.name, **notices[uid].context} for uid in new_ids}
        Message.objects.bulk_create([
            Message(recipient_id=uid, type=mtype, event_key=event_key[:120], url=notices[uid].url[:300],
                    title=render(mtype.title_template, contexts[uid])[:200],
                    body=render(mtype.body_template, contexts[uid]), in_app=channels[uid][0], created_at=now)
            for uid in new_ids
        ], ignore_conflicts=True, batch_size=BATCH)
        wanted = [uid for uid in new_ids if channels[uid][1] or channels[uid][2]]
        if wanted:
            _deliveries_create(mtype, event_key, wanted, channels, contexts, notices)
        unread_count_forget(user_ids=new_ids)
    return len(new_ids)


def _deliveries_create(mtype, event_key, user_ids, channels, contexts, notices) -> None:
    messages = dict(Message.objects.filter(event_key=event_key, recipient_id__in=user_ids)
                    .values_list("recipient_id", "pk"))
    phones = dict(Person.objects.filter(user_id__in=user_ids).values_list("user_id", "phone"))
    rows = []
    for uid in user_ids:
        if uid not in messages:
            continue
        _in_app, sms, email = channels[uid]
        if sms:
            rows.append(_sms_delivery(mtype, messages[uid], phones.get(uid, ""), contexts[uid]))
        if email:
            rows.append(_email_delivery(messages[uid], notices[uid], mtype, contexts[uid]))
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    pending = list(Delivery.objects.filter(message_id__in=list(messages.values()), status=Delivery.Status.PENDING)
                   .values_list("pk", flat=True))
    for start in range(0, len(pending), ENQUEUE_CHUNK):
        chunk = pending[start:start + ENQUEUE_CHUNK]
        transaction.on_commit(lambda chunk=chunk: tasks.deliveries_send.delay(chunk))


def _sms_delivery(mtype, message_id, phone, context) -> Delivery:
    if not mtype.sms_template:
        return Delivery(message_id=message_id, channel=Channel.SMS, status=Delivery.Status.SKIPPED,
                        reason=_("This message type has no SMS text."))
    row = Delivery(message_id=message_id, channel=Channel.SMS, address=phone,
                   body=render(mtype.sms_template, context, cut=True),
                   params=sms_params(mtype.sms_template, context))
    if not phone:
        row.status, row.reason = Delivery.Status.SKIPPED, _("No mobile number on the roster.")
    return row


def _email_delivery(message_id, notice, mtype, context) -> Delivery:
    address = notice.recipient.email or ""
    row = Delivery(message_id=message_id, channel=Channel.EMAIL, address=address,
                   body=render(mtype.body_template, context))
    if not address:
        row.status, row.reason = Delivery.Status.SKIPPED, _("No e-mail address on the account.")
    return row


# Delivering -------------------------------------------------------------------------------------------


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=2 ** max(attempts - 1, 0))


def delivery_send(*, delivery_id: int, now=None) -> Delivery:
    """Send one pending delivery once: held in quiet hours, skipped over the daily cap, retried with backoff."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("message__type", "message__recipient").get(pk=delivery_id)
    if delivery.status not in (Delivery.Status.PENDING, Delivery.Status.HELD):
        return delivery
    if delivery.next_attempt_at and delivery.next_attempt_at > now:
        return delivery
    if delivery.channel == Channel.SMS and _sms_held_or_capped(delivery, now):
        return delivery
    # Claim the row with a conditional update, so that of two workers only one sends it.
    claimed = Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
        status=Delivery.Status.SENDING, next_attempt_at=now)
    if not claimed:
        return Delivery.objects.get(pk=delivery.pk)
    delivery.attempts += 1
    try:
        provider_id, backend = _transmit(delivery)
    except SmsError as exc:
        return _failed(delivery, exc.reason, retry=exc.retry, now=now)
    except OSError as exc:  # SMTP and file errors
        return _failed(delivery, _("Could not send: %(error)s") % {"error": exc}, retry=True, now=now)
    delivery.status, delivery.sent_at, delivery.provider_id, delivery.backend = (
        Delivery.Status.SENT, now, provider_id[:100], backend)
    delivery.reason = ""
    delivery.save(update_fields=["status", "sent_at", "provider_id", "backend", "attempts", "reason"])
    return delivery


def _sms_held_or_capped(delivery: Delivery, now) -> bool:
    rule = quiet_rule_for(user_id=delivery.message.recipient_id)
    if rule.is_quiet(now):
        delivery.status, delivery.next_attempt_at = Delivery.Status.HELD, rule.quiet_ends_after(now)
        delivery.reason = _("Quiet hours: held until %(time)s.") % {
            "time": timezone.localtime(delivery.next_attempt_at).strftime("%m-%d %H:%M")}
        delivery.save(update_fields=["status", "next_attempt_at", "reason"])
        return True
    sent_today = Delivery.objects.filter(
        channel=Channel.SMS, status=Delivery.Status.SENT, message__recipient_id=delivery.message.recipient_id,
        sent_at__gte=local_day_start(now)).count()
    if sent_today >= rule.daily_sms_cap:
        delivery.status = Delivery.Status.SKIPPED
        delivery.reason = _("Daily SMS cap of %(cap)s reached: the message is in the inbox only.") % {
            "cap": rule.daily_sms_cap}
        delivery.save(update_fields=["status", "reason"])
        return True
    return False


def _transmit(delivery: Delivery) -> tuple[str, str]:
    message = delivery.message
    if delivery.channel == Channel.SMS:
        backend = sms_backend()
        code = message.type.sms_template_code or settings.NOTIFICATIONS_SMS_TEMPLATE_CODES.get(message.type.code, "")
        return backend.send(Sms(phone=delivery.address, text=delivery.body, template_code=code,
                                params=delivery.params, out_id=str(delivery.pk))), backend.name
    link = f"\n\n{settings.WAGTAILADMIN_BASE_URL}{message.url}" if message.url else ""
    send_mail(message.title, delivery.body + link, settings.DEFAULT_FROM_EMAIL, [delivery.address])
    return "", "email"


def _failed(delivery: Delivery, reason: str, *, retry: bool, now) -> Delivery:
    delivery.reason = reason[:300]
    if retry and delivery.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Delivery.Status.PENDING, now + _backoff(delivery.attempts)
    else:
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    delivery.save(update_fields=["status", "next_attempt_at", "reason", "attempts"])
    log.warning("delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, reason)
    return delivery


def deliveries_send_due(*, now=None, limit: int = 500) -> int:
    """Send what is due (new, retried, held past quiet hours); give up on sends whose worker died."""
    now = now or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, next_attempt_at__lt=now - STALE_SENDING).update(
        status=Delivery.Status.FAILED,
        reason=_("The outcome of the send is unknown (the worker stopped); not tried again, so as not to send "
                 "it twice."))
    due = list(Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.HELD])
               .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
               .order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    for pk in due:
        delivery_send(delivery_id=pk, now=now)
    return len(due)


# Reading and preferences --------------------------------------------------------------------------------


def message_mark_read(*, message: Message, now=None) -> Message:
    """Mark one message read (once: the first reading time is kept)."""
    if message.read_at is None:
        message.read_at = now or timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
        unread_count_forget(user_ids=[message.recipient_id])
    return message


def messages_mark_all_read(*, user, now=None) -> int:
    """Mark every unread message of the user read."""
    count = Message.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())
    unread_count_forget(user_ids=[user.pk])
    return count


@transaction.atomic
def preferences_save(*, user, choices: dict[int, tuple[bool, bool, bool]], quiet_start, quiet_end,
                     daily_sms_cap: int) -> None:
    """Save a person's channels per type, quiet hours and cap; in-app stays on where it is mandatory."""
    if quiet_start == quiet_end:
        raise ValidationError(_("Quiet hours must start and end at different times."))
    if not 0 <= daily_sms_cap <= 50:
        raise ValidationError(_("The daily SMS cap must be between 0 and 50."))
    types = {t.pk: t for t in MessageType.objects.filter(pk__in=list(choices))}
    for type_id, (in_app, sms, email) in choices.items():
        mtype = types.get(type_id)
        if mtype is None:
            continue
        Preference.objects.update_or_create(user=user, type=mtype, defaults={
            "in_app": in_app or mtype.in_app_mandatory, "sms": sms, "email": email})
    QuietHours.objects.update_or_create(user=user, defaults={
        "starts_at": quiet_start, "ends_at": quiet_end, "daily_sms_cap": daily_sms_cap})


# Announcements --------------------------------------------------------------------------------------------


def announcement_create(*, by, title: str, text: str, audience: str, training_class=None, township=None,
                        with_sms: bool = False) -> Announcement:
    """Record an announcement and start sending it in the background."""
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise ValidationError(_("Write a title and a text."))
    if audience == Announcement.Audience.CLASS and training_class is None:
        raise ValidationError(_("Choose the training class."))
    if audience == Announcement.Audience.TOWNSHIP and township is None:
        raise ValidationError(_("Choose the township."))
    total = announcement_recipients(audience=audience, training_class=training_class, township=township).count()
    if not total:
        raise ValidationError(_("Nobody would receive this announcement."))
    with transaction.atomic():
        announcement = Announcement.objects.create(
            title=title[:30], text=text[:1000], audience=audience, with_sms=with_sms, total=total, created_by=by,
            training_class=training_class if audience == Announcement.Audience.CLASS else None,
            township=township if audience == Announcement.Audience.TOWNSHIP else None)
        transaction.on_commit(lambda: tasks.announcement_send.delay(announcement.pk))
    return announcement


def announcement_fan_out(*, announcement_id: int, batch: int = BATCH) -> Announcement:
    """Send the announcement to every recipient in batches, counting progress; a rerun sends only what is missing."""
    announcement = Announcement.objects.get(pk=announcement_id)
    if announcement.state == Announcement.State.SENT:
        return announcement
    users = announcement_recipients(audience=announcement.audience, training_class=announcement.training_class,
                                    township=announcement.township).order_by("pk")
    mtype = _announcement_type(message_type_get("announcement"), announcement)
    context = {"title": announcement.title, "text": announcement.text}
    total, done, last_pk = users.count(), 0, 0
    while True:
        chunk = list(users.filter(pk__gt=last_pk).values_list("pk", "person__name", "email")[:batch])
        if not chunk:
            break
        last_pk = chunk[-1][0]
        rows = {pk: _Row(_Recipient(pk, name, email), context, "") for pk, name, email in chunk}
        _send_batch(mtype, announcement.event_key, rows, timezone.now())
        done += len(chunk)
        Announcement.objects.filter(pk=announcement.pk).update(done=done, total=max(total, done))
    announcement.state, announcement.done, announcement.total = Announcement.State.SENT, done, max(total, done)
    announcement.finished_at = timezone.now()
    announcement.save(update_fields=["state", "done", "total", "finished_at"])
    return announcement


def _announcement_type(mtype: MessageType, announcement: Announcement) -> MessageType:
    """The announcement type with SMS on for everybody when staff asked for it (preferences still say no)."""
    mtype.sms_default = announcement.with_sms
    return mtype
