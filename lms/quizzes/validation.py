"""Rules every question must satisfy, whether typed in the admin or imported from a file."""

from django.utils.translation import gettext as _

from .questiondata import QuestionData


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
        if n_correct != 1:
            errors.append(_("A single-choice question needs exactly one correct option."))
    elif data.kind == "multiple":
        if len(choices) < 2:
            errors.append(_("A multiple-choice question needs at least two options."))
        if n_correct < 1:
            errors.append(_("A multiple-choice question needs at least one correct option."))
    elif data.kind == "true_false":
        if data.true_false_answer is None:
            errors.append(_("A true-or-false question needs its answer (true or false)."))
    elif data.kind == "fill_blank":
        if not data.blanks:
            errors.append(_("A fill-in question needs at least one blank with an accepted answer."))
        elif any(not [a for a in blank if a.strip()] for blank in data.blanks):
            errors.append(_("Every blank needs at least one accepted answer."))
    if len(choices) > 26:
        errors.append(_("A question may have at most 26 options."))
    return errors
