"""Self sign-in with a rotating signed QR code, or a 6-digit typed code, for one session."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enrolment, Session

SLOT_SECONDS = 30
OPENS_BEFORE = datetime.timedelta(minutes=30)
SALT = "lms.classes.signin"
# How far back a typed code is recognised as "expired" rather than simply wrong.
EXPIRED_SLOTS_RECOGNISED = 240


class SignInRefused(Exception):
    """Sign-in refused; str(exc) is the reason shown to the learner."""


def slot_at(moment: datetime.datetime) -> int:
    """The 30-second slot a moment falls in."""
    return int(moment.timestamp()) // SLOT_SECONDS


def token_for(*, session_id: int, slot: int) -> str:
    """The signed token encoded in the QR code for one slot."""
    return signing.dumps([session_id, slot], salt=SALT, compress=False)


def code_for(*, session_id: int, slot: int) -> str:
    """The 6-digit code typed when a phone cannot scan, derived by HMAC from session and slot."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{SALT}:{session_id}:{slot}".encode(), hashlib.sha256)
    return f"{int.from_bytes(digest.digest()[:6], 'big') % 1_000_000:06d}"


def seconds_left(*, now=None) -> int:
    """Seconds until the code rotates."""
    now_ts = (now or timezone.now()).timestamp()
    return SLOT_SECONDS - int(now_ts) % SLOT_SECONDS


def window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    """When sign-in is open: from half an hour before the start to the end."""
    return session.starts() - OPENS_BEFORE, session.ends()


def _check_person_and_time(session: Session, person, now) -> None:
    if session.state == Session.State.CANCELLED:
        raise SignInRefused(_("This session was cancelled."))
    if person is None or not Enrolment.objects.filter(
        training_class_id=session.training_class_id, person=person, status=Enrolment.Status.ENROLLED
    ).exists():
        raise SignInRefused(_("You are not enrolled in this class, so you cannot sign in to its sessions. "
                              "Codes cannot be passed on to others."))
    opens, closes = window(session)
    if not opens <= now <= closes:
        local = timezone.localtime
        raise SignInRefused(_("Sign-in for this session is open only from %(opens)s to %(closes)s on %(date)s.")
                            % {"opens": f"{local(opens):%H:%M}", "closes": f"{local(closes):%H:%M}",
                               "date": f"{session.date:%Y-%m-%d}"})


def _check_slot(slot: int, now, scanned_slot: int | None = None) -> None:
    current = slot_at(now) if scanned_slot is None else scanned_slot
    if slot not in (current, current - 1):
        raise SignInRefused(_("This code has expired. Scan the code on the screen again."))


def verify_token(*, session: Session, token: str, person, now=None, scanned_slot: int | None = None) -> None:
    """Raise SignInRefused unless the token lets this person sign in to this session now."""
    now = now or timezone.now()
    try:
        session_id, slot = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise SignInRefused(_("This is not a valid sign-in code.")) from exc
    if session_id != session.pk:
        raise SignInRefused(_("This code belongs to another session. Scan the code shown in your own classroom."))
    _check_person_and_time(session, person, now)
    _check_slot(slot, now, scanned_slot)


MAX_CODE_ATTEMPTS = 5
"""Wrong typed codes a person may try for one session before typing is locked."""
CODE_LOCK_SECONDS = 15 * 60


def _attempts_key(session: Session, person) -> str:
    return f"signin-code-attempts:{session.pk}:{getattr(person, 'pk', None)}"


def verify_code(*, session: Session, code: str, person, now=None) -> None:
    """Like _verify_code, but a person who types too many wrong codes for a session is locked out a while.

    Six digits are a million guesses; without a limit a script finds the code within a slot.
    The count lives in the shared cache (Redis in production), so every web process sees it.
    """
    key = _attempts_key(session, person)
    if cache.get(key, 0) >= MAX_CODE_ATTEMPTS:
        raise SignInRefused(_("Too many wrong codes: typing the code is locked for %(minutes)s minutes. "
                              "Scan the QR code, or ask the staff to mark you present.")
                            % {"minutes": CODE_LOCK_SECONDS // 60})
    try:
        _verify_code(session=session, code=code, person=person, now=now)
    except SignInRefused:
        if cache.add(key, 1, CODE_LOCK_SECONDS) is False:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, CODE_LOCK_SECONDS)
        raise
    cache.delete(key)


def _verify_code(*, session: Session, code: str, person, now=None) -> None:
    """Raise SignInRefused unless the typed 6-digit code lets this person sign in to this session now."""
    now = now or timezone.now()
    code = (code or "").strip()
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise SignInRefused(_("Type the 6 digits shown under the QR code."))
    current = slot_at(now)
    if code in (code_for(session_id=session.pk, slot=current), code_for(session_id=session.pk, slot=current - 1)):
        _check_person_and_time(session, person, now)
        return
    same_day = Session.objects.filter(date=session.date).exclude(pk=session.pk).values_list("pk", flat=True)
    if any(code in (code_for(session_id=pk, slot=current), code_for(session_id=pk, slot=current - 1))
           for pk in same_day):
        raise SignInRefused(_("This code belongs to another session. Type the code shown in your own classroom."))
    _check_person_and_time(session, person, now)
    if any(code == code_for(session_id=session.pk, slot=current - k) for k in range(2, EXPIRED_SLOTS_RECOGNISED)):
        raise SignInRefused(_("This code has expired. Type the code now on the screen."))
    raise SignInRefused(_("This code is wrong. Check the 6 digits on the screen and try again."))
