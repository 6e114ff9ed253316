"""A teacher's sessions, where they attach each lesson plan before the session is held."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..lesson_plans import session_attach_lesson_plan
from ..models import Session


def _teacher(request):
    teacher = getattr(request.user, "teacher", None)
    if teacher is None:
        raise Http404
    return teacher


@login_required
def my_sessions(request):
    """The teacher's coming and recent sessions, with their lesson plans."""
    teacher = _teacher(request)
    since = timezone.localdate() - datetime.timedelta(days=30)
    sessions = (Session.objects.filter(teacher=teacher, date__gte=since).exclude(state=Session.State.CANCELLED)
                .select_related("training_class", "lesson_plan").order_by("date", "starts_at")[:60])
    return render(request, "classes/teaching.html", {"teacher": teacher, "sessions": sessions})


@login_required
@require_POST
def upload_lesson_plan(request, pk: int):
    """Attach a lesson plan to one of the teacher's sessions."""
    session = get_object_or_404(Session.objects.select_related("training_class"), pk=pk, teacher=_teacher(request))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the lesson plan file."))
        return redirect("classes:teaching")
    try:
        session_attach_lesson_plan(session=session, upload=upload, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The lesson plan of “%(topic)s” was attached.") % {"topic": session.topic})
    return redirect("classes:teaching")
