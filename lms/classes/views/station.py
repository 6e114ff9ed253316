"""A station operator records the group who watched a session together at their station."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lms.core.numbers import parse_ids

from ..attendance import attendance_record_station_group
from ..models import Attendance, Enrolment, Session
from .access import own_person


@login_required
def station_group(request, pk: int):
    """Tick who watched; only the operator of the session's station reaches this page."""
    operator = own_person(request)
    session = get_object_or_404(Session.objects.select_related("training_class", "station"), pk=pk,
                                station__operator=operator)
    learners = list(Enrolment.objects.filter(training_class_id=session.training_class_id,
                                             status=Enrolment.Status.ENROLLED)
                    .select_related("person__village").order_by("person__village__name", "person__name"))
    recorded = dict(Attendance.objects.filter(session=session).values_list("person_id", "status"))
    error = None
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("present"))
        try:
            attendance_record_station_group(session=session, person_ids=ids, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The group of %(n)s was recorded.") % {"n": len(ids)})
            return redirect("classes:station_group", pk=session.pk)
    return render(request, "classes/station_group.html",
                  {"session": session, "learners": learners, "recorded": recorded, "error": error})


@login_required
def station_sessions(request):
    """Sessions held at the stations this cadre operates."""
    operator = own_person(request)
    sessions = Session.objects.filter(station__operator=operator).select_related("training_class", "station")
    return render(request, "classes/station_sessions.html", {"sessions": sessions[:50]})
