"""Learner pages: quiz intro, taking a quiz (autosave with a no-JS fallback), finishing and the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.core.numbers import parse_int

from . import expiry, selectors, services
from .models import Attempt
from .presentation import decorate_items


def _items_with_answers(attempt: Attempt):
    return decorate_items(list(attempt.items.order_by("position")))


def _go_result_if_done(attempt: Attempt):
    """Finished attempts (or ones past their deadline, which beat grades) only have a result page."""
    if not attempt.is_in_progress or expiry.attempt_is_expired(attempt=attempt):
        return redirect("quizzes:result", pk=attempt.pk)
    return None


@login_required
def my_quizzes(request):
    """我的测验: every quiz open to the learner, with where it belongs and how they did."""
    return render(request, "quizzes/my_quizzes.html", {"quizzes": selectors.quizzes_for_learner(user=request.user)})


@login_required
def quiz_intro(request, pk: int):
    """The quiz's rules, the learner's earlier attempts and a button to start or resume."""
    quiz = selectors.quiz_for_learner(pk=pk, user=request.user)
    attempts = expiry.attempts_as_graded(attempts=list(selectors.attempts_of_user(user=request.user, quiz=quiz)))
    current = next((a for a in attempts if a.is_in_progress), None)
    used = len(attempts)
    left = None if not quiz.max_attempts else max(quiz.max_attempts - used, 0)
    return render(request, "quizzes/quiz_intro.html", {
        "quiz": quiz, "attempts": attempts, "current": current, "attempts_left": left,
        "is_open": quiz.is_open(), "back_page": quiz.lesson or quiz.course,
    })


@login_required
@require_POST
def attempt_start(request, pk: int):
    """Start a new attempt or resume the open one."""
    quiz = selectors.quiz_for_learner(pk=pk, user=request.user)
    try:
        attempt = services.attempt_start(quiz=quiz, user=request.user)
    except services.QuizError as error:
        messages.error(request, str(error))
        return redirect("quizzes:intro", pk=quiz.pk)
    return redirect("quizzes:take", pk=attempt.pk)


@login_required
def attempt_take(request, pk: int):
    """Show one question (or all, as the quiz says) with the answers saved so far."""
    attempt = selectors.attempt_for_user(user=request.user, pk=pk)
    done = _go_result_if_done(attempt)
    if done:
        return done
    items = _items_with_answers(attempt)
    one_per_screen = attempt.quiz.display_mode == attempt.quiz.DisplayMode.ONE_PER_SCREEN
    position = attempt.position
    if "q" in request.GET:
        position = parse_int(request.GET["q"], default=attempt.position, minimum=0, maximum=10_000)
    position = min(max(position, 0), len(items) - 1)
    shown = [items[position]] if one_per_screen else items
    return render(request, "quizzes/attempt_take.html", {
        "attempt": attempt, "quiz": attempt.quiz, "items": items, "shown": shown,
        "one_per_screen": one_per_screen, "position": position, "total": len(items),
        "has_prev": one_per_screen and position > 0, "has_next": one_per_screen and position < len(items) - 1,
        "seconds_left": _seconds_left(attempt),
    })


def _seconds_left(attempt: Attempt) -> int | None:
    if attempt.deadline is None:
        return None
    return max(int((attempt.deadline - timezone.now()).total_seconds()), 0)


def _posted_answers(attempt: Attempt, data) -> dict[int, dict | None]:
    answers = {}
    for item in attempt.items.all():
        if services.item_posted(item=item, data=data):
            answers[item.position] = services.response_from_post(item=item, data=data)
    return answers


@login_required
@require_POST
def attempt_save(request, pk: int):
    """No-JS fallback: save the posted answers, then move as the pressed button says."""
    attempt = selectors.attempt_for_user(user=request.user, pk=pk)
    go = request.POST.get("go", "next")
    position = parse_int(request.POST.get("position"), default=attempt.position, minimum=0, maximum=10_000)
    target = {"prev": position - 1, "next": position + 1}.get(go)
    if parse_int(go, minimum=0, maximum=10_000) is not None:
        target = parse_int(go)
    try:
        services.attempt_save_answers(
            attempt=attempt, answers=_posted_answers(attempt, request.POST),
            position=target if target is not None else position,
        )
    except services.AttemptClosed as error:
        messages.error(request, str(error))
        services.attempt_submit(attempt=attempt)
        return redirect("quizzes:result", pk=attempt.pk)
    if go == "finish":
        return redirect("quizzes:finish", pk=attempt.pk)
    url = reverse("quizzes:take", kwargs={"pk": attempt.pk})
    return redirect(f"{url}?q={target if target is not None else position}")


@login_required
@require_POST
def attempt_answer(request, pk: int):
    """Autosave one question's answer (fetch from the take page); answers JSON."""
    attempt = selectors.attempt_for_user(user=request.user, pk=pk)
    position = parse_int(request.POST.get("position"), minimum=0, maximum=10_000)
    if position is None:
        return JsonResponse({"error": _("Unknown question.")}, status=400)
    item = attempt.items.filter(position=position).first()
    if item is None:
        raise Http404
    response = services.response_from_post(item=item, data=request.POST)
    try:
        services.attempt_save_answers(attempt=attempt, answers={position: response}, position=position)
    except services.AttemptClosed as error:
        return JsonResponse({"error": str(error), "closed": True}, status=409)
    return JsonResponse({"saved": True, "position": position})


@login_required
def attempt_finish(request, pk: int):
    """Before submitting: which questions are answered; POST submits and grades once."""
    attempt = selectors.attempt_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        if attempt.is_in_progress and request.POST.get("position") is not None:
            try:
                services.attempt_save_answers(attempt=attempt, answers=_posted_answers(attempt, request.POST))
            except services.AttemptClosed:
                pass  # Graded below with what was saved by the deadline.
        services.attempt_submit(attempt=attempt)
        return redirect("quizzes:result", pk=attempt.pk)
    done = _go_result_if_done(attempt)
    if done:
        return done
    items = _items_with_answers(attempt)
    unanswered = [i for i in items if i.kind != "description" and not i.answered]
    return render(request, "quizzes/attempt_finish.html", {
        "attempt": attempt, "quiz": attempt.quiz, "items": items, "unanswered": unanswered,
        "seconds_left": _seconds_left(attempt),
    })


@login_required
def attempt_result(request, pk: int):
    """The learner's score, and answers with explanations when the review policy allows."""
    attempt = selectors.attempt_for_user(user=request.user, pk=pk)
    if attempt.is_in_progress:
        if not expiry.attempt_is_expired(attempt=attempt):
            return redirect("quizzes:take", pk=attempt.pk)
        # Time ran out and beat has not saved the grade yet: show the grade it will save.
        expiry.attempts_as_graded(attempts=[attempt])
    review = selectors.attempt_review_visible(attempt=attempt)
    if not review:
        items = []
    elif hasattr(attempt, "graded_items"):
        items = decorate_items(attempt.graded_items)
    else:
        items = _items_with_answers(attempt)
    return render(request, "quizzes/attempt_result.html", {
        "attempt": attempt, "quiz": attempt.quiz, "review": review, "items": items,
        "essays_waiting": attempt.status == Attempt.Status.AWAITING_GRADING,
    })
