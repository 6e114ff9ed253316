"""Prepare snapshotted items for templates: option letters, picks, blank values, answered flags."""

from string import ascii_uppercase


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
    item.essay_text = response.get("text", "")
    item.field_name = f"q{item.position}"
    item.number = item.position + 1


def decorate_items(items) -> list:
    """decorate_item over a list, returning it."""
    for item in items:
        decorate_item(item)
    return items
