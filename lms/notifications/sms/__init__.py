"""SMS backends behind one interface, chosen by the SMS_BACKEND setting: console (file), aliyun, tencent."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .aliyun import AliyunSmsBackend
from .base import Sms, SmsBackend, SmsError
from .console import FileSmsBackend
from .tencent import TencentSmsBackend

BACKENDS = {b.name: b for b in (FileSmsBackend, AliyunSmsBackend, TencentSmsBackend)}


def sms_backend() -> SmsBackend:
    """The configured backend."""
    name = settings.NOTIFICATIONS_SMS_BACKEND
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"SMS_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    return BACKENDS[name]()


__all__ = ["Sms", "SmsBackend", "SmsError", "sms_backend"]
