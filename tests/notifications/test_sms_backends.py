"""SMS backends build the official SDKs' request objects; the providers' HTTP endpoints are replaced (no network)."""

import json

import pytest
from alibabacloud_dysmsapi20170525 import models as dysms_models
from alibabacloud_dysmsapi20170525.client import Client as AliyunClient
from django.core.exceptions import ImproperlyConfigured
from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.sms.v20210111 import models as tencent_models

from lms.notifications.sms import Sms, SmsError, sms_backend
from lms.notifications.sms.aliyun import AliyunSmsBackend, aliyun_request
from lms.notifications.sms.console import FileSmsBackend, sms_file_lines
from lms.notifications.sms.tencent import TencentSmsBackend, tencent_request

SMS = Sms(phone="13912345678", text="龙英您好，村党支部书记轮训班明天09:00在县委党校上课，请准时参加。",
          template_code="SMS_465890123", params={"name": "龙英", "class_name": "村党支部书记轮训班", "time": "09:00"},
          out_id="42")


@pytest.fixture
def aliyun(settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "aliyun"
    settings.ALIYUN_SMS_ACCESS_KEY_ID, settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "LTAI5tTestKey", "test-secret"
    settings.NOTIFICATIONS_SMS_SIGN_NAME = "县委党校"


@pytest.fixture
def tencent(settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "tencent"
    settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY = "AKIDtest", "test-key"
    settings.TENCENT_SMS_SDK_APP_ID = "1400006666"
    settings.NOTIFICATIONS_SMS_SIGN_NAME = "县委党校"


def test_aliyun_request_object(aliyun):
    request = aliyun_request(SMS, sign_name="县委党校")
    assert isinstance(request, dysms_models.SendSmsRequest)
    assert request.phone_numbers == "13912345678" and request.sign_name == "县委党校"
    assert request.template_code == "SMS_465890123" and request.out_id == "42"
    assert json.loads(request.template_param) == SMS.params
    assert "龙英" in request.template_param  # Chinese kept as is, not \\u-escaped
    assert request.to_map()["TemplateCode"] == "SMS_465890123"


def test_aliyun_send_goes_through_the_sdk(aliyun, monkeypatch):
    seen = {}

    def call_api(self, params, request, runtime):
        seen["action"], seen["query"] = params.action, request.query
        return {"body": {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"},
                "headers": {}, "statusCode": 200}

    monkeypatch.setattr(AliyunClient, "call_api", call_api)
    assert isinstance(sms_backend(), AliyunSmsBackend)
    assert sms_backend().send(SMS) == "900619746936498440^0"
    assert seen["action"] == "SendSms"
    assert seen["query"]["PhoneNumbers"] == "13912345678" and seen["query"]["SignName"] == "县委党校"


def test_aliyun_refusal_is_a_final_error_and_throttling_is_retried(aliyun, monkeypatch):
    answers = iter([{"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"},
                    {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"}])
    monkeypatch.setattr(AliyunClient, "call_api", lambda self, p, r, rt: {"body": next(answers), "headers": {},
                                                                           "statusCode": 200})
    with pytest.raises(SmsError) as final:
        sms_backend().send(SMS)
    assert final.value.retry is False and "非法手机号" in final.value.reason
    with pytest.raises(SmsError) as throttled:
        sms_backend().send(SMS)
    assert throttled.value.retry is True


def test_aliyun_network_failure_is_retried(aliyun, monkeypatch):
    def down(self, p, r, rt):
        raise ConnectionError("connection reset")

    monkeypatch.setattr(AliyunClient, "call_api", down)
    with pytest.raises(SmsError) as error:
        sms_backend().send(SMS)
    assert error.value.retry and "connection reset" in error.value.reason


def test_tencent_request_object(tencent):
    request = tencent_request(SMS, sign_name="县委党校", app_id="1400006666")
    assert isinstance(request, tencent_models.SendSmsRequest)
    assert request._serialize() == {
        "PhoneNumberSet": ["+8613912345678"], "SmsSdkAppId": "1400006666", "SignName": "县委党校",
        "TemplateId": "SMS_465890123", "TemplateParamSet": ["龙英", "村党支部书记轮训班", "09:00"],
        "SessionContext": "42",
    }


def test_tencent_send_goes_through_the_sdk(tencent, monkeypatch):
    seen = {}

    def call(self, action, params, options=None, headers=None):
        seen["action"], seen["params"] = action, params
        return json.dumps({"Response": {"SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619",
                                                            "PhoneNumber": "+8613912345678", "Fee": 1,
                                                            "Code": "Ok", "Message": "send success"}],
                                        "RequestId": "a0aabda6"}})

    monkeypatch.setattr(AbstractClient, "call", call)
    assert isinstance(sms_backend(), TencentSmsBackend)
    assert sms_backend().send(SMS) == "5000:1045710669157053657849499619"
    assert seen["action"] == "SendSms" and seen["params"]["TemplateParamSet"][0] == "龙英"


def test_tencent_failures(tencent, monkeypatch):
    monkeypatch.setattr(AbstractClient, "call", lambda self, a, p, options=None, headers=None: json.dumps(
        {"Response": {"SendStatusSet": [{"Code": "FailedOperation.PhoneNumberInBlacklist", "Message": "黑名单"}],
                      "RequestId": "x"}}))
    with pytest.raises(SmsError) as final:
        sms_backend().send(SMS)
    assert not final.value.retry and "黑名单" in final.value.reason

    def timeout(self, a, p, options=None, headers=None):
        raise TencentCloudSDKException("ClientNetworkError", "timed out")

    monkeypatch.setattr(AbstractClient, "call", timeout)
    with pytest.raises(SmsError) as retried:
        sms_backend().send(SMS)
    assert retried.value.retry


def test_provider_backends_need_a_template_code(aliyun):
    with pytest.raises(SmsError) as error:
        AliyunSmsBackend().send(Sms(phone="13912345678", text="x", template_code="", params={}, out_id="1"))
    assert not error.value.retry


def test_file_backend_writes_the_day_file_shown_in_the_admin(settings):
    assert isinstance(sms_backend(), FileSmsBackend)
    assert FileSmsBackend().send(SMS) == "file-42"
    line = sms_file_lines()[0]
    assert line["phone"] == "13912345678" and line["text"] == f"【{settings.NOTIFICATIONS_SMS_SIGN_NAME}】{SMS.text}"


def test_unknown_backend_is_refused(settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured):
        sms_backend()
