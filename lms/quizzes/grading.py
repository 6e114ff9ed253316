"""Pure grading of one snapshotted question against a learner's answer; no database access."""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

SINGLE, MULTIPLE, TRUE_FALSE, FILL_BLANK, ESSAY, DESCRIPTION = (
    "single", "multiple", "true_false", "fill_blank", "essay", "description",
)
CENT = Decimal("0.01")


def normalise_text(text: str) -> str:
    """Fold full-width forms to half-width, collapse spaces and ignore case, so equivalent answers compare equal."""
    folded = unicodedata.normalize("NFKC", text or "")
    return " ".join(folded.split()).casefold()


def option_weights(options: list[dict]) -> dict[int, Decimal]:
    """Each option's share of the marks: stored weights, else correct ones split evenly and wrong ones negative."""
    if any(o.get("weight") not in (None, "") for o in options):
        return {o["id"]: Decimal(str(o.get("weight") or 0)) / 100 for o in options}
    n_correct = sum(1 for o in options if o["correct"]) or 1
    share = Decimal(1) / n_correct
    return {o["id"]: (share if o["correct"] else -share) for o in options}


def _fraction_single(payload: dict, response: dict) -> tuple[Decimal, bool]:
    picked = response.get("choices") or []
    if len(picked) != 1:
        return Decimal(0), False
    option = next((o for o in payload.get("options", []) if o["id"] == picked[0]), None)
    if option is None:
        return Decimal(0), False
    if option.get("weight") not in (None, ""):
        return max(Decimal(str(option["weight"])) / 100, Decimal(0)), bool(option["correct"])
    return (Decimal(1) if option["correct"] else Decimal(0)), bool(option["correct"])


def _fraction_multiple(payload: dict, response: dict) -> tuple[Decimal, bool]:
    options = payload.get("options", [])
    correct = {o["id"] for o in options if o["correct"]}
    picked = set(response.get("choices") or []) & {o["id"] for o in options}
    exact = picked == correct
    scoring = payload.get("scoring", "all")
    if exact:
        return Decimal(1), True
    if scoring == "half":
        return (Decimal("0.5") if picked and picked < correct else Decimal(0)), False
    if scoring == "weighted":
        weights = option_weights(options)
        total = sum((weights[i] for i in picked), Decimal(0))
        return min(max(total, Decimal(0)), Decimal(1)), False
    return Decimal(0), False


def _fraction_true_false(payload: dict, response: dict) -> tuple[Decimal, bool]:
    value = response.get("value")
    ok = value is not None and value == payload.get("answer")
    return (Decimal(1) if ok else Decimal(0)), ok


def _fraction_fill(payload: dict, response: dict) -> tuple[Decimal, bool]:
    blanks = payload.get("blanks") or []
    if not blanks:
        return Decimal(0), False
    given = list(response.get("blanks") or [])
    given += [""] * (len(blanks) - len(given))
    right = 0
    for accepted, answer in zip(blanks, given, strict=False):
        norm = normalise_text(answer)
        if norm and norm in {normalise_text(a) for a in accepted}:
            right += 1
    return Decimal(right) / len(blanks), right == len(blanks)


_GRADERS = {
    SINGLE: _fraction_single,
    MULTIPLE: _fraction_multiple,
    TRUE_FALSE: _fraction_true_false,
    FILL_BLANK: _fraction_fill,
}


def grade(*, kind: str, payload: dict, response: dict | None, max_score: Decimal) -> tuple[Decimal | None, bool | None]:
    """Score and correctness of an objective answer; (None, None) for an essay, which staff grade."""
    if kind == ESSAY:
        return None, None
    if kind == DESCRIPTION:
        return Decimal(0), None
    fraction, ok = _GRADERS[kind](payload, response or {})
    return (Decimal(max_score) * fraction).quantize(CENT, rounding=ROUND_HALF_UP), ok


def is_objective(kind: str) -> bool:
    """Whether the machine grades this kind."""
    return kind in _GRADERS


def items_grade(*, items, now) -> None:
    """Score every item of an attempt in place; objective ones (and descriptions) count as graded now."""
    for item in items:
        item.score, item.is_correct = grade(
            kind=item.kind, payload=item.payload, response=item.response, max_score=item.max_score
        )
        if is_objective(item.kind) or item.kind == DESCRIPTION:
            item.graded_at = now


def attempt_total(*, attempt, items, now) -> None:
    """Add up the items on the attempt in place; it is graded once no essay waits for staff."""
    attempt.score = sum((i.score or Decimal(0) for i in items), Decimal(0))
    waiting = any(i.kind == ESSAY and i.graded_at is None for i in items)
    if attempt.max_score:
        attempt.percent = (attempt.score * 100 / attempt.max_score).quantize(CENT)
    else:
        attempt.percent = Decimal(100)
    if waiting:
        attempt.status, attempt.passed = "awaiting", None
    else:
        attempt.status, attempt.graded_at = "graded", now
        attempt.passed = attempt.percent >= attempt.quiz.pass_mark
