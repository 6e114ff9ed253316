"""The optional TOTP second factor (django-otp): set up with a QR code, then a six-digit code per sign-in."""

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Six-digit code from your authenticator app"), regex=r"^\d{6}$", max_length=6,
        error_messages={"invalid": gettext_lazy("Enter the six digits shown in the app.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/admin/"
    return target


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


@login_required
def otp_setup(request):
    """Show a new TOTP secret as a QR code; the first correct code confirms the device."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or has expired. Enter the code now shown in the app."))
    url = device.config_url.replace("django-otp", settings.OTP_TOTP_ISSUER)
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg": _qr_svg(url), "next": _next_url(request), "secret": device.bin_key.hex(),
    })


@login_required
def otp_verify(request):
    """Ask for the current code of the user's confirmed device."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or has expired. Enter the code now shown in the app."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})
