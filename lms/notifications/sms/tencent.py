"""Tencent Cloud SMS (2021-01-11) through its official SDK."""

from django.conf import settings
from django.utils.translation import gettext as _
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from .base import Sms, SmsBackend, SmsError

FINAL_CODE_PREFIXES = ("FailedOperation.PhoneNumber", "InvalidParameterValue",
                       "FailedOperation.TemplateIncorrect", "FailedOperation.SignatureIncorrect",
                       "UnauthorizedOperation", "FailedOperation.InsufficientBalance")


def tencent_request(sms: Sms, *, sign_name: str, app_id: str) -> sms_models.SendSmsRequest:
    """The SDK's request object for one SMS: parameters in the order the template uses them."""
    request = sms_models.SendSmsRequest()
    request.PhoneNumberSet = [f"+86{sms.phone}"]
    request.SmsSdkAppId = app_id
    request.SignName = sign_name
    request.TemplateId = sms.template_code
    request.TemplateParamSet = [str(value) for value in sms.params.values()]
    request.SessionContext = sms.out_id
    return request


def tencent_client() -> SmsClient:
    cred = credential.Credential(settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY)
    return SmsClient(cred, settings.TENCENT_SMS_REGION)


class TencentSmsBackend(SmsBackend):
    name = "tencent"

    def send(self, sms: Sms) -> str:
        if not sms.template_code:
            raise SmsError(_("No Tencent Cloud SMS template id is set for this message type."), retry=False)
        request = tencent_request(sms, sign_name=settings.NOTIFICATIONS_SMS_SIGN_NAME,
                                  app_id=settings.TENCENT_SMS_SDK_APP_ID)
        try:
            response = tencent_client().SendSms(request)
        except TencentCloudSDKException as exc:
            raise SmsError((_("Tencent Cloud SMS could not be reached: %(code)s %(message)s")
                            % {"code": exc.code, "message": exc.message})[:300],
                           retry=not str(exc.code or "").startswith(FINAL_CODE_PREFIXES)) from exc
        status = (response.SendStatusSet or [None])[0]
        if status is None or status.Code != "Ok":
            code = status.Code if status else "NoStatus"
            raise SmsError((_("Tencent Cloud SMS refused: %(code)s %(message)s")
                            % {"code": code, "message": status.Message if status else ""})[:300],
                           retry=not code.startswith(FINAL_CODE_PREFIXES))
        return status.SerialNo or ""
