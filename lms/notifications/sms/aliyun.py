"""Aliyun SMS (dysmsapi 2017-05-25) through its official SDK."""

import json

from alibabacloud_dysmsapi20170525 import models as dysms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import models as openapi_models
from django.conf import settings
from django.utils.translation import gettext as _

from .base import Sms, SmsBackend, SmsError

# Error codes after which the same request will fail again (bad number, template, sign, account).
FINAL_CODES = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL",
               "isv.TEMPLATE_MISSING_PARAMETERS", "isv.INVALID_PARAMETERS", "isv.ACCOUNT_NOT_EXISTS",
               "isv.BLACK_KEY_CONTROL_LIMIT", "isv.PARAM_LENGTH_LIMIT", "isv.AMOUNT_NOT_ENOUGH"}


def aliyun_request(sms: Sms, *, sign_name: str) -> dysms_models.SendSmsRequest:
    """The SDK's request object for one SMS."""
    return dysms_models.SendSmsRequest(
        phone_numbers=sms.phone, sign_name=sign_name, template_code=sms.template_code,
        template_param=json.dumps(sms.params, ensure_ascii=False), out_id=sms.out_id,
    )


def aliyun_client() -> Client:
    return Client(openapi_models.Config(
        access_key_id=settings.ALIYUN_SMS_ACCESS_KEY_ID, access_key_secret=settings.ALIYUN_SMS_ACCESS_KEY_SECRET,
        endpoint=settings.ALIYUN_SMS_ENDPOINT,
    ))


class AliyunSmsBackend(SmsBackend):
    name = "aliyun"

    def send(self, sms: Sms) -> str:
        if not sms.template_code:
            raise SmsError(_("No Aliyun SMS template code is set for this message type."), retry=False)
        request = aliyun_request(sms, sign_name=settings.NOTIFICATIONS_SMS_SIGN_NAME)
        try:
            response = aliyun_client().send_sms(request)
        except Exception as exc:  # noqa: BLE001 - network and SDK errors alike: try again later
            raise SmsError((_("Aliyun SMS could not be reached: %(error)s") % {"error": exc})[:300]) from exc
        body = response.body
        if body.code != "OK":
            reason = _("Aliyun SMS refused: %(code)s %(message)s") % {"code": body.code, "message": body.message}
            raise SmsError(reason[:300], retry=body.code not in FINAL_CODES)
        return body.biz_id or ""
