"""Pure grading of one snapshotted question against a learner's answer; no database access."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SINGLE, MULTIPLE, TRUE_FALSE, FILL_BLANK, NUMERICAL, MATCHING, ESSAY, DESCRIPTION = (
    "single", "multiple", "true_false", "fill_blank", "numerical", "matching", "essay", "description",
)
_NUMBER_AND_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
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


def wildcard_match(answer: str, pattern: str, *, case_sensitive: bool = False) -> bool:
    """Moodle's short-answer rule: the whole answer matches the pattern, `*` standing for any text."""
    fold = (lambda t: " ".join(unicodedata.normalize("NFKC", t or "").split())) if case_sensitive else normalise_text
    answer, pattern = fold(answer), fold(pattern)
    if not answer:
        return False
    parts = [re.escape(p) for p in pattern.replace("\\*", "\ue020").split("*")]
    regex = ".*".join(parts).replace("\ue020", r"\*")
    return re.fullmatch(regex, answer, flags=re.DOTALL) is not None


def graded_answer(answers: list[dict], given: str, *, case_sensitive: bool = False) -> dict | None:
    """The first graded short answer the given text matches, as Moodle takes them in order."""
    return next((a for a in answers if wildcard_match(given, a["text"], case_sensitive=case_sensitive)), None)


def _fraction_fill(payload: dict, response: dict) -> tuple[Decimal, bool]:
    graded = payload.get("graded")
    if graded:
        given = (response.get("blanks") or [""])[0]
        match = graded_answer(graded, given, case_sensitive=bool(payload.get("case_sensitive")))
        fraction = max(Decimal(match["fraction"]) / 100, Decimal(0)) if match else Decimal(0)
        return fraction, fraction == 1
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


def number_value(given: str, units: list[dict]) -> Decimal | None:
    """A typed number in the base unit: '1.5', '150 cm' with cm = 100 per base unit; None when unreadable."""
    match = _NUMBER_AND_UNIT.match(unicodedata.normalize("NFKC", given or "").replace(",", ""))
    if not match:
        return None
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:
        return None
    unit = match.group(2)
    if not unit:
        return value
    for u in units:
        if u["unit"].casefold() == unit.casefold():
            return value / Decimal(u["multiplier"] or 1)
    return None


def numerical_answer(answers: list[dict], given: str, units: list[dict]) -> dict | None:
    """The first numerical answer whose tolerance band holds the given number (`*` holds any)."""
    value = number_value(given, units)
    for answer in answers:
        if answer["value"] == "*":
            if str(given or "").strip():
                return answer
            continue
        if value is not None and abs(value - Decimal(answer["value"])) <= Decimal(answer["tolerance"] or 0):
            return answer
    return None


def _fraction_numerical(payload: dict, response: dict) -> tuple[Decimal, bool]:
    spec = payload.get("numerical") or {}
    given = (response.get("blanks") or [""])[0]
    match = numerical_answer(spec.get("answers") or [], given, spec.get("units") or [])
    fraction = max(Decimal(match["fraction"]) / 100, Decimal(0)) if match else Decimal(0)
    return fraction, fraction == 1


def _fraction_matching(payload: dict, response: dict) -> tuple[Decimal, bool]:
    """Moodle's rule: the share of items matched to their own answer."""
    answers = [b[0] for b in payload.get("blanks") or []]
    if not answers:
        return Decimal(0), False
    given = list(response.get("blanks") or []) + [""] * len(answers)
    right = sum(1 for want, got in zip(answers, given, strict=False) if got and got == want)
    return Decimal(right) / len(answers), right == len(answers)


_GRADERS = {
    SINGLE: _fraction_single,
    MULTIPLE: _fraction_multiple,
    TRUE_FALSE: _fraction_true_false,
    FILL_BLANK: _fraction_fill,
    NUMERICAL: _fraction_numerical,
    MATCHING: _fraction_matching,
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
