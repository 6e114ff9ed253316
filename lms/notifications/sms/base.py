"""The interface every SMS backend implements."""

from dataclasses import dataclass


class SmsError(Exception):
    """The provider did not take the message; `retry` says whether trying again later may help."""

    def __init__(self, reason: str, *, retry: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    template_code: str
    params: dict
    out_id: str  # our delivery id, passed to the provider so a repeated request can be recognised


class SmsBackend:
    """Send one SMS and return the provider's id of it, or raise SmsError."""

    name = ""

    def send(self, sms: Sms) -> str:
        raise NotImplementedError
