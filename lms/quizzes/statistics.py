"""Per-quiz and per-question statistics over graded attempts, and their Excel export."""

import io
from collections import Counter, defaultdict
from decimal import Decimal
from string import ascii_uppercase

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import expiry
from .importers.textformat import html_to_text, looks_like_html
from .models import Attempt, AttemptItem, Question, Quiz

BUCKETS = 10


def _plain(text: str) -> str:
    """Imported rich text as plain text for tables and spreadsheets."""
    return html_to_text(text) if looks_like_html(text) else text


def _expired_graded(quiz: Quiz) -> list[Attempt]:
    """Attempts whose time ran out, graded in memory as beat will grade them (pages never write)."""
    return [a for a in expiry.expired_results(quiz=quiz) if a.status == Attempt.Status.GRADED]


def quiz_statistics(*, quiz: Quiz) -> dict:
    """Attempts, pass rate, average score and time, and the score distribution in tenths."""
    expired = _expired_graded(quiz)
    rows = list(
        Attempt.objects.filter(quiz=quiz, status=Attempt.Status.GRADED)
        .values_list("percent", "passed", "started_at", "submitted_at")
    ) + [(a.percent, a.passed, a.started_at, a.submitted_at) for a in expired]
    learners = set(Attempt.objects.filter(quiz=quiz, status=Attempt.Status.GRADED).values_list("user_id", flat=True))
    n = len(rows)
    distribution = [0] * BUCKETS
    for percent, *_rest in rows:
        distribution[min(int(percent or 0) // (100 // BUCKETS), BUCKETS - 1)] += 1
    durations = [(done - start).total_seconds() for _p, _ok, start, done in rows if done and start]
    return {
        "attempts": n,
        "learners": len(learners | {a.user_id for a in expired}),
        "pass_rate": (Decimal(sum(1 for r in rows if r[1])) * 100 / n).quantize(Decimal("0.1")) if n else None,
        "average_percent": (sum((r[0] or 0 for r in rows), Decimal(0)) / n).quantize(Decimal("0.1")) if n else None,
        "average_minutes": round(sum(durations) / len(durations) / 60, 1) if durations else None,
        "distribution": [
            {"label": f"{i * 10}–{i * 10 + 9 if i < BUCKETS - 1 else 100}", "count": c,
             "share": round(c * 100 / n) if n else 0}
            for i, c in enumerate(distribution)
        ],
    }


def question_statistics(*, quiz: Quiz) -> list[dict]:
    """Per bank question: facility, discrimination (top third minus bottom third) and option pick counts."""
    expired = _expired_graded(quiz)
    ranked = list(
        Attempt.objects.filter(quiz=quiz, status=Attempt.Status.GRADED).values_list("percent", "pk")
    ) + [(a.percent, a.pk) for a in expired]
    ranked.sort(key=lambda r: (-(r[0] or 0), r[1]))
    attempts = [pk for _percent, pk in ranked]
    third = len(attempts) // 3
    top, bottom = set(attempts[:third]), set(attempts[len(attempts) - third:]) if third else set()
    items = list(AttemptItem.objects.filter(attempt_id__in=attempts).exclude(kind=Question.Kind.DESCRIPTION)
                 .exclude(attempt_id__in=[a.pk for a in expired]).values_list(
        "attempt_id", "question_id", "kind", "text", "score", "max_score", "response", "payload"
    )) + [(i.attempt_id, i.question_id, i.kind, i.text, i.score, i.max_score, i.response, i.payload)
          for a in expired for i in a.graded_items if i.kind != Question.Kind.DESCRIPTION]
    grouped: dict = defaultdict(lambda: {"n": 0, "sum": 0.0, "top": [], "bottom": [], "picks": Counter()})
    for attempt_id, question_id, kind, text, score, max_score, response, payload in items:
        key = question_id or f"deleted-{text[:30]}"
        g = grouped[key]
        g.setdefault("text", text)
        g.setdefault("kind", kind)
        g.setdefault("options", payload.get("options") or [])
        g.setdefault("tf_answer", payload.get("answer"))
        share = float(score or 0) / float(max_score) if max_score else 0.0
        g["n"] += 1
        g["sum"] += share
        if attempt_id in top:
            g["top"].append(share)
        if attempt_id in bottom:
            g["bottom"].append(share)
        response = response or {}
        for choice in response.get("choices") or []:
            g["picks"][choice] += 1
        if kind == Question.Kind.TRUE_FALSE and response.get("value") is not None:
            g["picks"][str(response["value"]).lower()] += 1
    result = []
    for key, g in grouped.items():
        mean = lambda xs: sum(xs) / len(xs) if xs else None  # noqa: E731
        top_f, bottom_f = mean(g["top"]), mean(g["bottom"])
        options = sorted(g["options"], key=lambda o: o["id"])
        picks = [
            {"label": ascii_uppercase[i % 26], "text": o["text"], "correct": o["correct"], "count": g["picks"][o["id"]]}
            for i, o in enumerate(options)
        ]
        if g["kind"] == Question.Kind.TRUE_FALSE:
            picks = [{"label": _("True"), "text": "", "correct": g["tf_answer"] is True, "count": g["picks"]["true"]},
                     {"label": _("False"), "text": "", "correct": g["tf_answer"] is False,
                      "count": g["picks"]["false"]}]
        result.append({
            "question_id": key if isinstance(key, int) else None, "text": _plain(g["text"]), "kind": g["kind"],
            "answered": g["n"], "facility": round(g["sum"] / g["n"], 2) if g["n"] else None,
            "discrimination": round(top_f - bottom_f, 2) if top_f is not None and bottom_f is not None else None,
            "picks": picks,
        })
    result.sort(key=lambda r: (r["facility"] if r["facility"] is not None else 2))
    return result


def quiz_results_rows(*, quiz: Quiz):
    """Each finished attempt with its learner, for the results sheet."""
    return (
        Attempt.objects.filter(quiz=quiz).exclude(status=Attempt.Status.IN_PROGRESS)
        .select_related("user__person__village__township").order_by("user__username", "number")
    )


def statistics_workbook(*, quiz: Quiz) -> bytes:
    """The quiz's summary, question analysis and every result as an Excel workbook."""
    stats, questions = quiz_statistics(quiz=quiz), question_statistics(quiz=quiz)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary.append([_("Quiz"), quiz.title])
    summary.append([_("Graded attempts"), stats["attempts"]])
    summary.append([_("Pass rate (%)"), float(stats["pass_rate"]) if stats["pass_rate"] is not None else ""])
    summary.append([_("Average score (%)"),
                    float(stats["average_percent"]) if stats["average_percent"] is not None else ""])
    summary.append([_("Average time (minutes)"), stats["average_minutes"] or ""])
    summary.append([])
    summary.append([_("Score band (%)"), _("Attempts")])
    for band in stats["distribution"]:
        summary.append([band["label"], band["count"]])
    sheet = workbook.create_sheet(_("Questions")[:31])
    sheet.append([_("Question"), _("Type"), _("Answered"), _("Facility"), _("Discrimination"), _("Option picks")])
    kinds = dict(Question.Kind.choices)
    for q in questions:
        picks = "；".join(f"{p['label']}{'✓' if p['correct'] else ''}: {p['count']}" for p in q["picks"])
        sheet.append([q["text"], str(kinds.get(q["kind"], q["kind"])), q["answered"], q["facility"],
                      q["discrimination"], picks])
    results = workbook.create_sheet(_("Results")[:31])
    results.append([_("Learner"), _("Township or town"), _("Village or community"), _("Attempt"), _("Score"),
                    _("Percent"), _("Passed"), _("Minutes")])
    for a in quiz_results_rows(quiz=quiz):
        person = getattr(a.user, "person", None)
        seconds = a.duration_seconds()
        results.append([
            a.user.display_name(), person.village.township.name if person else "",
            person.village.name if person else "", a.number, float(a.score or 0), float(a.percent or 0),
            _("Yes") if a.passed else (_("No") if a.passed is False else _("Waiting")),
            round(seconds / 60, 1) if seconds is not None else "",
        ])
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
