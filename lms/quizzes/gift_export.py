"""Write bank questions as Moodle GIFT that Moodle's importer and ours read back to the same questions.

The bank's own settings Moodle has no place for (difficulty, marks, multiple-choice scoring) travel in
`// [difficulty:…] [marks:…] [scoring:…]` comments, which Moodle ignores."""

from decimal import Decimal

from .importers.textformat import looks_like_html
from .models import Question

_GIFT_SPECIAL = ["\\", "~", "=", "#", "{", "}", ":"]


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters and keep line breaks inside one question."""
    for char in _GIFT_SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _fmt(text: str) -> str:
    return "html" if looks_like_html(text) else "plain"


def _part(text: str, question_fmt: str) -> str:
    """An answer or feedback, with its own [format] marker when it differs from the question's."""
    fmt = _fmt(text)
    # A part that itself starts with '[' gets its marker, so the text is never read as one.
    marker = f"[{fmt}]" if text and (fmt != question_fmt or text.lstrip().startswith("[")) else ""
    return marker + gift_escape(text)


def _weight(value: Decimal) -> str:
    return f"%{Decimal(value).normalize():f}%"


def _choices(question):
    return sorted(question.choices.all(), key=lambda c: (c.sort_order, c.pk))


def _blanks(question):
    return sorted(question.blanks.all(), key=lambda b: (b.sort_order, b.pk))


def _feedback(text: str, fmt: str) -> str:
    return f"#{_part(text, fmt)}" if text else ""


def _choice_answers(question, fmt: str) -> str:
    choices = _choices(question)
    parts = []
    if question.kind == Question.Kind.SINGLE:
        for c in choices:
            weight = Decimal(100) if c.weight is None and c.is_correct else (c.weight or Decimal(0))
            if weight == 100 and c.is_correct:
                parts.append(f"={_part(c.text, fmt)}{_feedback(c.feedback, fmt)}")
            else:
                mark = _weight(weight) if weight else ""
                parts.append(f"~{mark}{_part(c.text, fmt)}{_feedback(c.feedback, fmt)}")
        return " ".join(parts)
    n_right = sum(1 for c in choices if c.is_correct) or 1
    for c in choices:
        weight = c.weight if c.weight is not None else (
            Decimal(100) / n_right if c.is_correct else Decimal(-100) / n_right)
        parts.append(f"~{_weight(weight.quantize(Decimal('0.00001')))}{_part(c.text, fmt)}"
                     f"{_feedback(c.feedback, fmt)}")
    return " ".join(parts)


def _numerical_answers(spec: dict, fmt: str) -> str | None:
    if spec.get("units"):
        return None
    parts, wrong = [], ""
    for a in spec.get("answers") or []:
        if a["value"] == "*":
            if Decimal(a["fraction"]) != 0 or wrong:
                return None
            wrong = f" ~{_feedback(a.get('feedback', ''), fmt) or '#'}"
            continue
        tolerance = Decimal(a.get("tolerance") or 0)
        number = f"{a['value']}:{tolerance.normalize():f}" if tolerance else a["value"]
        parts.append(f"={_weight(Decimal(a['fraction']))}{number}{_feedback(a.get('feedback', ''), fmt)}")
    return "#" + " ".join(parts) + wrong


def _answers(question, fmt: str) -> str | None:
    """The answer block's inside, or None when GIFT cannot hold the question."""
    kind, spec = question.kind, question.answer_spec or {}
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return _choice_answers(question, fmt)
    if kind == Question.Kind.TRUE_FALSE:
        word = "T" if question.true_false_answer else "F"
        right = spec.get("feedback_true" if question.true_false_answer else "feedback_false", "")
        wrong = spec.get("feedback_false" if question.true_false_answer else "feedback_true", "")
        if right or wrong:
            return f"{word}#{_part(wrong, fmt)}#{_part(right, fmt)}"
        return word
    if kind == Question.Kind.FILL_BLANK:
        blanks = _blanks(question)
        if len(blanks) != 1 or spec.get("case_sensitive"):
            return None
        graded = spec.get("answers")
        if graded:
            return " ".join(f"={_weight(Decimal(a['fraction']))}{gift_escape(a['text'])}"
                            f"{_feedback(a.get('feedback', ''), fmt)}" for a in graded)
        return " ".join(f"={gift_escape(a)}" for a in blanks[0].answers())
    if kind == Question.Kind.NUMERICAL:
        return _numerical_answers(spec, fmt)
    if kind == Question.Kind.MATCHING:
        pairs = spec.get("pairs") or []
        if any("->" in p["prompt"] or "->" in p["answer"] for p in pairs):
            return None
        return " ".join(f"={_part(p['prompt'], fmt)} -> {gift_escape(p['answer'])}" for p in pairs)
    if kind == Question.Kind.ESSAY:
        return ""  # GIFT has no place for the graders' reference answer
    return None


def _comments(question) -> str:
    hints = [f"[difficulty:{question.difficulty}]", f"[marks:{question.score.normalize():f}]"]
    if question.kind == Question.Kind.MULTIPLE:
        hints.append(f"[scoring:{question.multiple_scoring}]")
    hints += [f"[tag:{tag.name}]" for tag in question.tags.all()]
    return "// " + " ".join(hints) + "\n"


def gift_text(questions) -> tuple[str, list[Question]]:
    """The questions as GIFT, and those GIFT cannot hold (several blanks, units, case-sensitive answers)."""
    lines, skipped, category = [], [], None
    for q in questions:
        fmt = _fmt(q.text)
        answers = _answers(q, fmt)
        if answers is None and q.kind != Question.Kind.DESCRIPTION:
            skipped.append(q)
            continue
        if q.category.path != category:
            category = q.category.path
            lines.append(f"$CATEGORY: $course$/top/{category}\n")
        title = f"::{gift_escape(q.title)}::" if q.title else ""
        text = f"[{fmt}]{gift_escape(q.text)}"
        if answers is None:
            lines.append(f"{_comments(q)}{title}{text}\n")
            continue
        general = f" ####{_part(q.explanation, fmt)}" if q.explanation else ""
        lines.append(f"{_comments(q)}{title}{text} {{{answers}{general}}}\n")
    return "\n".join(lines), skipped
