"""Templates staff edit: unknown variables and over-long SMS are refused with a clear Chinese message."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lms.notifications.catalogue import TYPES, VARIABLES
from lms.notifications.forms import MessageTypeForm
from lms.notifications.models import MessageType
from lms.notifications.templating import (
    SMS_MAX_LENGTH,
    TemplateError,
    placeholders,
    render,
    sms_params,
    sms_template_check,
    sms_worst_length,
    template_check,
)


def test_every_default_template_is_valid_and_fits_one_sms():
    for spec in TYPES.values():
        for template in (spec.title, spec.body):
            template_check(template=template, allowed=spec.variables)
        sms_template_check(template=spec.sms, allowed=spec.variables, sign_name="县委党校")


def test_unknown_variable_is_named_in_chinese():
    with translation.override("zh-hans"), pytest.raises(TemplateError) as error:
        template_check(template="{name}您好，{班级}明天上课", allowed=("name", "class_name"))
    assert "{班级}" in str(error.value) and "{class_name}" in str(error.value) and "未知" in str(error.value)


def test_unpaired_brace_is_refused():
    with pytest.raises(TemplateError):
        template_check(template="{name您好", allowed=("name",))


def test_sms_counts_the_sign_name_and_variables_at_their_longest():
    template = "{name}您好，" + "请" * 40
    assert sms_worst_length(template=template, sign_name="县委党校") == 6 + 3 + 40 + 6
    with translation.override("zh-hans"), pytest.raises(TemplateError) as error:
        sms_template_check(template=template + "按时参加本次培训班的集中学习活动谢谢", allowed=("name",),
                           sign_name="县委党校")
    assert "70" in str(error.value) and "短信" in str(error.value)


@pytest.mark.django_db
def test_admin_form_refuses_bad_templates_in_chinese():
    mtype = MessageType.objects.get(code="session_tomorrow")
    data = {"title_template": "明天有课：{topic}", "body_template": "{name}您好，{teacher}讲课",
            "sms_template": "{name}您好，" + "明天上课" * 20, "sms_template_code": "", "sms_default": "on",
            "email_default": "", "is_active": "on"}
    with translation.override("zh-hans"):
        form = MessageTypeForm(data=data, instance=mtype)
        assert not form.is_valid()
        assert "{teacher}" in form.errors["body_template"][0]
        assert "70" in form.errors["sms_template"][0]
    data.update(body_template="{name}您好，{class_name}明天上课。", sms_template="{name}您好，明天{time}上课。")
    form = MessageTypeForm(data=data, instance=mtype)
    assert form.is_valid(), form.errors
    form.save()
    mtype.refresh_from_db()
    assert mtype.sms_template == "{name}您好，明天{time}上课。"


names = st.sampled_from(sorted(VARIABLES))
texts = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=20)


@given(parts=st.lists(st.tuples(texts, names), max_size=6), tail=texts,
       values=st.dictionaries(names, st.text(max_size=40), max_size=10))
def test_rendering_fills_every_placeholder_and_sms_values_stay_within_their_length(parts, tail, values):
    template = "".join(f"{text}{{{name}}}" for text, name in parts) + tail
    assert placeholders(template) == list(dict.fromkeys(name for _text, name in parts))
    out = render(template, values, cut=True)
    assert "{" not in out and "}" not in out or any("{" in v or "}" in v for v in values.values())
    assert len(out) <= sms_worst_length(template=template, sign_name="")
    for name, value in sms_params(template, values).items():
        assert len(value) <= VARIABLES[name].max_length


def test_sms_max_length_is_one_chinese_message():
    assert SMS_MAX_LENGTH == 70
