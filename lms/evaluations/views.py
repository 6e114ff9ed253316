"""Learner pages of 评教 (pending list, rating forms) and the teacher's own anonymous results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lms.classes.models import Enrolment, Session, TrainingClass
from lms.people.selectors import person_for_user

from .models import INDICATOR_HELP, INDICATORS, Evaluation, Score
from .selectors import comments, min_responses, pending_for_person, results_by_teacher, results_by_topic
from .services import evaluation_submit_class, evaluation_submit_session


def _own_person(request):
    person = person_for_user(user=request.user)
    if person is None:
        raise Http404
    return person


def _form_context(data, error):
    indicators = [{"code": code, "label": label, "help": INDICATOR_HELP[code], "value": str(data.get(code, ""))}
                  for code, label in INDICATORS]
    return {"indicators": indicators, "scale": Score.choices, "error": error, "comment": data.get("comment", "")}


@login_required
def pending(request):
    """待评教: the sessions and classes the learner may still rate."""
    person = _own_person(request)
    sessions, classes = pending_for_person(person=person)
    return render(request, "evaluations/pending.html", {"sessions": sessions, "classes": classes})


def _rate(request, *, template, subject, submit, done_url):
    error = None
    if request.method == "POST":
        try:
            submit(scores=request.POST, comment=request.POST.get("comment", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Thank you: your rating was saved. Teachers never see who rated."))
            return redirect(done_url)
    return render(request, template, {"subject": subject} | _form_context(request.POST, error),
                  status=400 if error else 200)


@login_required
def rate_session(request, pk: int):
    """Rate one session on the five indicators."""
    person = _own_person(request)
    session = get_object_or_404(Session.objects.select_related("training_class", "teacher"), pk=pk,
                                training_class__enrolments__person=person,
                                training_class__enrolments__status=Enrolment.Status.ENROLLED)
    if Evaluation.objects.filter(session=session, person=person).exists():
        messages.info(request, _("You have already rated this."))
        return redirect("evaluations:pending")
    return _rate(request, template="evaluations/rate.html", subject=session,
                 submit=lambda **kw: evaluation_submit_session(session=session, person=person, **kw),
                 done_url="evaluations:pending")


@login_required
def rate_class(request, pk: int):
    """Rate a class as a whole at its end."""
    person = _own_person(request)
    tc = get_object_or_404(TrainingClass, pk=pk, enrolments__person=person,
                           enrolments__status=Enrolment.Status.ENROLLED)
    if Evaluation.objects.filter(training_class=tc, person=person, session__isnull=True).exists():
        messages.info(request, _("You have already rated this."))
        return redirect("evaluations:pending")
    return _rate(request, template="evaluations/rate.html", subject=tc,
                 submit=lambda **kw: evaluation_submit_class(training_class=tc, person=person, **kw),
                 done_url="evaluations:pending")


@login_required
def teacher_results(request):
    """A teacher's own results: averages and comments, never names, and only from enough ratings."""
    teacher = getattr(request.user, "teacher", None)
    if teacher is None:
        raise Http404
    own = Evaluation.objects.filter(teacher=teacher)
    rows = results_by_teacher(evaluations=own)
    enough = bool(rows) and rows[0].responses >= min_responses()
    return render(request, "evaluations/teacher_results.html", {
        "teacher": teacher, "row": rows[0] if enough else None, "indicators": INDICATORS,
        "topics": results_by_topic(evaluations=own) if enough else [],
        "comments": comments(evaluations=own, limit=30) if enough else [], "min_responses": min_responses(),
    })
