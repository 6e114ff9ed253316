"""Rules every question must satisfy, whether typed in the admin or imported from a file."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models.bank import CATEGORY_NAME_MAX, CATEGORY_PATH_MAX, PATH_SEPARATOR
from .questiondata import QuestionData

TAG_MAX = 100


def question_data_errors(data: QuestionData) -> list[str]:
    """What is wrong with a question, as messages for the author; empty when it is sound."""
    errors = []
    if not data.text.strip():
        errors.append(_("The question text is empty."))
    if not 1 <= data.difficulty <= 5:
        errors.append(_("Difficulty must be between 1 and 5."))
    if data.score < 0 or data.score >= 10000:
        errors.append(_("Marks must be between 0 and 9999."))
    choices = [c for c in data.choices if c.text.strip()]
    n_correct = sum(1 for c in choices if c.is_correct)
    if data.kind == "single":
        if len(choices) < 2:
            errors.append(_("A single-choice question needs at least two options."))
        weighted = any(c.weight is not None for c in choices)
        if n_correct != 1 and not (weighted and n_correct > 1):
            errors.append(_("A single-choice question needs exactly one correct option."))
    elif data.kind == "multiple":
        if len(choices) < 2:
            errors.append(_("A multiple-choice question needs at least two options."))
        if n_correct < 1:
            errors.append(_("A multiple-choice question needs at least one correct option."))
    elif data.kind == "true_false":
        if data.true_false_answer is None:
            errors.append(_("A true-or-false question needs its answer (true or false)."))
    spec_problems = spec_errors(data.kind, data.spec)
    if spec_problems:
        return errors + spec_problems
    if data.kind == "matching":
        pairs = data.spec.get("pairs") or []
        if sum(1 for p in pairs if p["prompt"].strip() and p["answer"].strip()) < 2:
            errors.append(_("A matching question needs at least two pairs of an item and its answer."))
    if data.kind == "numerical":
        answers = data.spec.get("answers") or []
        if not answers:
            errors.append(_("A numerical question needs at least one answer."))
        elif not any(Decimal(str(a.get("fraction", 0))) == 100 for a in answers):
            errors.append(_("A numerical question needs one answer worth full marks."))
    elif data.kind == "fill_blank":
        if not data.blanks:
            errors.append(_("A fill-in question needs at least one blank with an accepted answer."))
        elif any(not [a for a in blank if a.strip()] for blank in data.blanks):
            errors.append(_("Every blank needs at least one accepted answer."))
    graded = data.spec.get("answers") if data.kind == "fill_blank" else None
    if graded is not None and len(data.blanks) > 1:
        errors.append(_("Answers with partial credit are only possible for a question with one blank."))
    for problem in path_errors(data.category_path):
        errors.append(problem[:1].upper() + problem[1:])
    if any(len(tag) > TAG_MAX for tag in data.tags):
        errors.append(_("A tag may be at most %(max)s characters long.") % {"max": TAG_MAX})
    if len(choices) > 26:
        errors.append(_("A question may have at most 26 options."))
    return errors


def _is_number(value, *, star: bool = False) -> bool:
    if star and value == "*":
        return True
    try:
        return Decimal(str(value)).is_finite()
    except (InvalidOperation, ValueError):
        return False


def spec_errors(kind: str, spec) -> list[str]:
    """Whether graded answers (typed as JSON in the editor, or imported) have the shape grading reads."""
    if not isinstance(spec, dict):
        return [_("The graded answers must be a JSON object.")]
    answers = spec.get("answers", [])
    if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
        return [_("“answers” must be a list of objects.")]
    if kind == "numerical":
        good = all(_is_number(a.get("value"), star=True) and _is_number(a.get("tolerance", 0))
                   and _is_number(a.get("fraction")) for a in answers)
        units = spec.get("units", [])
        good = good and isinstance(units, list) and all(
            isinstance(u, dict) and isinstance(u.get("unit"), str) and _is_number(u.get("multiplier"))
            and Decimal(str(u.get("multiplier"))) > 0 for u in units)
        if not good:
            return [_("Each numerical answer needs a number “value” (or *), a “tolerance” and a “fraction” "
                      "(percent); each unit a “unit” and a positive “multiplier”.")]
    elif kind == "matching":
        pairs = spec.get("pairs", [])
        if not isinstance(pairs, list) or not all(
                isinstance(p, dict) and isinstance(p.get("prompt"), str) and isinstance(p.get("answer"), str)
                for p in pairs):
            return [_("Each matching pair needs a “prompt” and an “answer”.")]
    elif kind == "fill_blank" and answers:
        if not all(isinstance(a.get("text"), str) and a["text"].strip() and _is_number(a.get("fraction"))
                   for a in answers):
            return [_("Each graded answer needs a “text” and a “fraction” (percent).")]
    return []


def path_errors(path: str) -> list[str]:
    """Why the bank cannot hold a category path (a level or the whole path too long); empty when it can."""
    levels = [p.strip() for p in path.split(PATH_SEPARATOR) if p.strip()]
    errors = [
        _("the category name “%(name)s…” is %(n)s characters long; at most %(max)s are allowed.")
        % {"name": level[:20], "n": len(level), "max": CATEGORY_NAME_MAX}
        for level in levels if len(level) > CATEGORY_NAME_MAX
    ]
    if len(PATH_SEPARATOR.join(levels)) > CATEGORY_PATH_MAX:
        errors.append(_("the category path is %(n)s characters long; at most %(max)s are allowed.")
                      % {"n": len(PATH_SEPARATOR.join(levels)), "max": CATEGORY_PATH_MAX})
    return errors
