"""Message templates: `{variable}` placeholders, checked against the type's variables and the SMS length."""

import re

from django.utils.translation import gettext as _

from .catalogue import VARIABLES

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# One SMS to a Chinese mobile is 70 characters, the sign name (【…】) included; longer ones are split and billed
# as several, so a template must fit even with every variable at its longest.
SMS_MAX_LENGTH = 70


class TemplateError(ValueError):
    """A template staff wrote cannot be used; the message says why, in Chinese."""


def placeholders(template: str) -> list[str]:
    """The variable names a template uses, in order of first use."""
    seen: list[str] = []
    for name in PLACEHOLDER.findall(template):
        if name not in seen:
            seen.append(name)
    return seen


def template_check(*, template: str, allowed: tuple[str, ...]) -> None:
    """Refuse a template with an unknown variable or an unpaired brace."""
    unknown = [name for name in placeholders(template) if name not in allowed]
    if unknown:
        raise TemplateError(
            _("Unknown variable %(names)s. This message type may use: %(allowed)s.")
            % {"names": "、".join("{" + n + "}" for n in unknown), "allowed": "、".join("{" + n + "}" for n in allowed)}
        )
    if "{" in PLACEHOLDER.sub("", template) or "}" in PLACEHOLDER.sub("", template):
        raise TemplateError(_("A brace is not paired: write variables as {name}."))


def sms_worst_length(*, template: str, sign_name: str) -> int:
    """The length of the SMS with every variable at its longest, the sign name in 【】 included."""
    fixed = PLACEHOLDER.sub("", template)
    variables = sum(VARIABLES[name].max_length for name in PLACEHOLDER.findall(template) if name in VARIABLES)
    return len(fixed) + variables + (len(sign_name) + 2 if sign_name else 0)


def sms_template_check(*, template: str, allowed: tuple[str, ...], sign_name: str) -> None:
    """Refuse an SMS template that could run over one message."""
    template_check(template=template, allowed=allowed)
    length = sms_worst_length(template=template, sign_name=sign_name)
    if length > SMS_MAX_LENGTH:
        raise TemplateError(
            _("The SMS may reach %(length)s characters with its variables at their longest and the sign name; "
              "one SMS holds at most %(max)s. Shorten it by %(over)s characters.")
            % {"length": length, "max": SMS_MAX_LENGTH, "over": length - SMS_MAX_LENGTH}
        )


def render(template: str, context: dict, *, cut: bool = False) -> str:
    """Fill the placeholders; with cut, each value is shortened to its variable's longest (for SMS)."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        text = str(context.get(name, ""))
        limit = VARIABLES[name].max_length if cut and name in VARIABLES else None
        if limit is not None and len(text) > limit:
            text = text[: limit - 1] + "…"
        return text

    return PLACEHOLDER.sub(value, template)


def sms_params(template: str, context: dict) -> dict[str, str]:
    """The template's variables with their values cut for SMS, in order (provider template parameters)."""
    return {name: render("{" + name + "}", context, cut=True) for name in placeholders(template)}
