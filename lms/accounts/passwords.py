"""Password rules of 等保 2.0 level 2: classes of characters, not the phone number, not the demo password."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The password the demo county's accounts share (see lms/accounts/demo.py).
DEMO_PASSWORD = "Dangxiao@2026"

_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"), re.compile(r"[^a-zA-Z\d]"))


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if sum(bool(pattern.search(password)) for pattern in _CLASSES) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "Use at least %(n)d kind of character: lower-case letters, capitals, digits, other signs.",
            "Use at least %(n)d of these kinds of character: lower-case letters, capitals, digits, other signs.",
            self.min_classes,
        ) % {"n": self.min_classes}


def _user_phones(user) -> set[str]:
    phones = set()
    if user is None:
        return phones
    username = getattr(user, "username", "") or ""
    if re.fullmatch(r"1\d{10}", username):
        phones.add(username)
    person = getattr(user, "person", None) if getattr(user, "pk", None) else None
    if person is not None and person.phone:
        phones.add(person.phone)
    return phones


class NotPhoneNumberValidator:
    """The password must not contain the user's mobile number (nor its last eight digits)."""

    def validate(self, password, user=None):
        digits = re.sub(r"\D", "", password)
        for phone in _user_phones(user):
            if phone in digits or phone[-8:] in digits:
                raise ValidationError(_("The password must not contain your mobile number."), code="password_is_phone")

    def get_help_text(self):
        return _("Your password must not contain your mobile number.")


class NotDemoPasswordValidator:
    """In production the demo password is refused (settings.REFUSE_DEMO_PASSWORD)."""

    def validate(self, password, user=None):
        if getattr(settings, "REFUSE_DEMO_PASSWORD", False) and password == DEMO_PASSWORD:
            raise ValidationError(_("This is the demo password; choose your own."), code="password_is_demo")

    def get_help_text(self):
        return _("The demo password cannot be used.")
