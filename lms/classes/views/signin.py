"""Self sign-in: the staff QR screen, and the learner's landing page for a scan or a typed code."""

import time

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lms.people.selectors import person_for_user

from ..attendance import attendance_sign_in
from ..models import Attendance, Session
from ..qr_signin import SignInRefused, code_for, seconds_left, slot_at, token_for, verify_code, verify_token, window
from .access import staff_session

SCAN_GRACE_SECONDS = 300


@login_required
def qr_screen(request, pk: int):
    """The room's screen: a QR code and a typed code that rotate every 30 seconds."""
    session = staff_session(request, pk)
    now = timezone.now()
    slot = slot_at(now)
    url = request.build_absolute_uri(reverse("classes:sign_in", args=[session.pk])) + "?t=" + token_for(
        session_id=session.pk, slot=slot)
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2).to_string(
        encoding="unicode")
    opens, closes = window(session)
    signed = Attendance.objects.filter(session=session, signed_in_at__isnull=False).count()
    return render(request, "classes/qr_screen.html", {
        "session": session, "svg": mark_safe(svg), "code": code_for(session_id=session.pk, slot=slot),
        "seconds": seconds_left(now=now), "opens": opens, "closes": closes, "is_open": opens <= now <= closes,
        "signed": signed,
    })


def sign_in(request, pk: int):
    """Where a scan lands (?t=token) and where a typed code is sent; records the sign-in or says why not."""
    session = get_object_or_404(Session.objects.select_related("training_class"), pk=pk)
    token = request.GET.get("t", "")
    if not request.user.is_authenticated:
        if token:
            # Remember when the code was scanned so a slow sign-in does not expire it.
            request.session["classes_scan"] = {"t": token, "slot": slot_at(timezone.now()), "at": time.time()}
        return redirect_to_login(request.get_full_path())
    person = person_for_user(user=request.user)
    result = None
    if token or request.method == "POST":
        result = _attempt(request, session, person, token)
    return render(request, "classes/sign_in.html", {"session": session, "result": result})


def _attempt(request, session, person, token) -> dict:
    now = timezone.now()
    try:
        if request.method == "POST":
            verify_code(session=session, code=request.POST.get("code", ""), person=person, now=now)
            method = Attendance.Method.CODE
        else:
            verify_token(session=session, token=token, person=person, now=now,
                         scanned_slot=_scanned_slot(request, token))
            method = Attendance.Method.QR
    except SignInRefused as exc:
        return {"ok": False, "message": str(exc)}
    row = attendance_sign_in(session=session, person=person, method=method, now=now)
    request.session.pop("classes_scan", None)
    if row.already_signed_in:
        return {"ok": True, "message": _("Already signed in: %(status)s at %(time)s.") % {
            "status": row.get_status_display(), "time": f"{timezone.localtime(row.signed_in_at):%H:%M}"}}
    return {"ok": True, "message": _("Signed in: %(status)s at %(time)s.") % {
        "status": row.get_status_display(), "time": f"{timezone.localtime(row.signed_in_at or now):%H:%M}"}}


def _scanned_slot(request, token: str) -> int | None:
    scan = request.session.get("classes_scan")
    if scan and scan.get("t") == token and time.time() - scan.get("at", 0) < SCAN_GRACE_SECONDS:
        return scan["slot"]
    return None
