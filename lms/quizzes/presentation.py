"""Prepare snapshotted items for templates: option letters, picks, blank values, answered flags."""

from string import ascii_uppercase

from .grading import graded_answer, numerical_answer


def response_is_answered(response: dict | None) -> bool:
    """Whether a stored answer holds anything the learner gave."""
    if not response:
        return False
    if "choices" in response:
        return bool(response["choices"])
    if "value" in response:
        return response["value"] is not None
    if "blanks" in response:
        return any(str(b).strip() for b in response["blanks"])
    if "text" in response:
        return bool(str(response["text"]).strip())
    return False


def decorate_item(item) -> None:
    """Attach what the question templates read, so they need no logic."""
    response = item.response or {}
    picked = set(response.get("choices") or [])
    item.answered = response_is_answered(item.response)
    item.options = [
        {**o, "letter": ascii_uppercase[i % 26], "picked": o["id"] in picked}
        for i, o in enumerate(item.payload.get("options") or [])
    ]
    item.correct_letters = "".join(o["letter"] for o in item.options if o["correct"])
    item.picked_letters = "".join(o["letter"] for o in item.options if o["picked"])
    item.tf_value = response.get("value")
    item.tf_answer = item.payload.get("answer")
    blanks = item.payload.get("blanks") or []
    given = list(response.get("blanks") or []) + [""] * len(blanks)
    item.blank_fields = [
        {"index": i, "value": given[i], "accepted": " / ".join(accepted)} for i, accepted in enumerate(blanks)
    ]
    prompts = item.payload.get("prompts") or []
    item.match_fields = [
        {"index": i, "prompt": prompt, "value": given[i], "answer": blanks[i][0] if i < len(blanks) else ""}
        for i, prompt in enumerate(prompts)
    ]
    item.match_menu = item.payload.get("menu") or []
    item.answer_feedback = _answer_feedback(item.payload, response)
    item.essay_text = response.get("text", "")
    item.field_name = f"q{item.position}"
    item.number = item.position + 1


def _answer_feedback(payload: dict, response: dict) -> str:
    """The feedback Moodle files attach to the answer given (true/false, graded short and numerical answers)."""
    value = response.get("value")
    if value is not None and payload.get(f"feedback_{'true' if value else 'false'}"):
        return payload[f"feedback_{'true' if value else 'false'}"]
    given = (response.get("blanks") or [""])[0]
    if payload.get("graded"):
        match = graded_answer(payload["graded"], given, case_sensitive=bool(payload.get("case_sensitive")))
        return match.get("feedback", "") if match else ""
    if payload.get("numerical"):
        spec = payload["numerical"]
        match = numerical_answer(spec.get("answers") or [], given, spec.get("units") or [])
        return match.get("feedback", "") if match else ""
    return ""


def decorate_items(items) -> list:
    """decorate_item over a list, returning it."""
    for item in items:
        decorate_item(item)
    return items
