"""Numerical questions (计算题): how their graded answers read to staff and learners."""

from decimal import Decimal


def answer_display(answer: dict) -> str:
    """One answer as '3.14 ± 0.01', or '*' for 'any other value'."""
    if answer["value"] == "*":
        return "*"
    tolerance = Decimal(answer.get("tolerance") or 0)
    return answer["value"] if not tolerance else f"{answer['value']} ± {tolerance.normalize():f}"


def numerical_display(spec: dict) -> list[str]:
    """The full-marks answers, with the base unit if there is one."""
    units = spec.get("units") or []
    unit = f" {units[0]['unit']}" if units else ""
    return [answer_display(a) + unit for a in spec.get("answers") or []
            if a["value"] != "*" and Decimal(a["fraction"]) == 100]
