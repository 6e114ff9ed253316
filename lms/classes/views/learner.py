"""The learner's classes on the phone: my classes, the elective catalogue, a class, leave."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.evaluations import api as evaluations_api

from ..enrolment import enrol_self, enrolment_withdraw
from ..leave import leave_preview, leave_report_back, leave_request
from ..models import ATTENDED, Attendance, Enrolment, LeaveRequest, Session, TrainingClass
from ..selectors import attendance_stats_for_class
from .access import learner_class, own_person


@login_required
def my_classes(request):
    """The classes the cadre is enrolled or waiting in, with today's sessions."""
    person = own_person(request)
    enrolments = list(
        Enrolment.objects.filter(person=person).exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("training_class").order_by("-training_class__starts_on")
    )
    class_ids = [e.training_class_id for e in enrolments if e.status == Enrolment.Status.ENROLLED]
    today = timezone.localdate()
    upcoming = list(Session.objects.filter(training_class_id__in=class_ids, date__gte=today)
                    .exclude(state=Session.State.CANCELLED).select_related("training_class")[:5])
    return render(request, "classes/my_classes.html",
                  {"person": person, "enrolments": enrolments, "upcoming": upcoming, "today": today})


@login_required
def catalogue(request):
    """菜单式培训: elective classes open for enrolment, with the places left."""
    person = own_person(request)
    classes = list(
        TrainingClass.objects.filter(is_elective=True, state=TrainingClass.State.ENROLLING)
        .annotate(taken=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)))
        .order_by("starts_on", "name")
    )
    mine = dict(Enrolment.objects.filter(person=person, training_class__in=classes)
                .values_list("training_class_id", "status"))
    for c in classes:
        c.places_left = max(c.capacity - c.taken, 0)
        c.my_status = mine.get(c.pk)
    return render(request, "classes/catalogue.html", {"classes": classes})


@login_required
@require_POST
def enrol(request, pk: int):
    """Choose an elective class; when it is full, join the waiting list."""
    person = own_person(request)
    tc = get_object_or_404(TrainingClass, pk=pk, is_elective=True)
    try:
        row = enrol_self(training_class=tc, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("classes:catalogue")
    if row.status == Enrolment.Status.WAITLISTED:
        messages.warning(request, _("The class is full: you are on the waiting list and will be enrolled "
                                    "when a place frees up."))
    else:
        messages.success(request, _("You are enrolled in %(name)s.") % {"name": tc.name})
    return redirect("classes:class_detail", pk=tc.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    """The learner leaves a class; the row is kept as history."""
    person = own_person(request)
    row = get_object_or_404(Enrolment, training_class_id=pk, person=person)
    if row.source != Enrolment.Source.SELF and row.status == Enrolment.Status.ENROLLED:
        messages.error(request, _("You were assigned to this class: ask the Party school staff to withdraw you."))
        return redirect("classes:class_detail", pk=pk)
    try:
        enrolment_withdraw(enrolment=row, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You have withdrawn from the class."))
    return redirect("classes:my_classes")


@login_required
def class_detail(request, pk: int):
    """A class's sessions with the learner's own attendance, leave and figures."""
    tc, enrolment = learner_class(request, pk)
    sessions = list(Session.objects.filter(training_class=tc).select_related("teacher"))
    marks, leaves, stats = {}, {}, None
    if enrolment is not None:
        marks = dict(Attendance.objects.filter(session__training_class=tc, person_id=enrolment.person_id)
                     .values_list("session_id", "status"))
        own_leave = {lr.pk: lr for lr in LeaveRequest.objects.filter(session__training_class=tc,
                                                                      person_id=enrolment.person_id)}
        leaves = {lr.session_id: lr for lr in own_leave.values()}
        for sid, lr_id in LeaveRequest.covered_sessions.through.objects.filter(
                leaverequest_id__in=own_leave).values_list("session_id", "leaverequest_id"):
            leaves.setdefault(sid, own_leave[lr_id])
        stats = attendance_stats_for_class(training_class=tc).get(enrolment.person_id)
    now = timezone.now()
    enrolled = enrolment is not None and enrolment.status == Enrolment.Status.ENROLLED
    rated = evaluations_api.rated_session_ids(person=enrolment.person, training_class=tc) if enrolled else set()
    labels = dict(Attendance._meta.get_field("status").choices)
    for s in sessions:
        s.my_mark = labels.get(marks.get(s.pk), "")
        s.my_leave = leaves.get(s.pk)
        s.can_ask_leave = enrolment is not None and s.state != Session.State.CANCELLED and now < s.starts() \
            and s.my_leave is None
        s.can_report_back = (s.my_leave is not None and s.my_leave.state == LeaveRequest.State.APPROVED
                             and now >= s.ends())
        s.can_sign_in = enrolment is not None and s.date == timezone.localdate()
        s.can_rate = enrolled and marks.get(s.pk) in ATTENDED and s.pk not in rated
    can_rate_class = (enrolled and evaluations_api.class_has_ended(training_class=tc)
                      and not evaluations_api.class_rated(person=enrolment.person, training_class=tc))
    return render(request, "classes/class_detail.html", {
        "tc": tc, "enrolment": enrolment, "sessions": sessions, "stats": stats, "can_rate_class": can_rate_class})


def _until_date(value: str):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def ask_leave(request, pk: int):
    """请假: ask for leave from a session (and the days after it) before it starts; the rules are shown first."""
    person = own_person(request)
    session = get_object_or_404(Session.objects.select_related("training_class"), pk=pk,
                                training_class__enrolments__person=person)
    data = request.POST if request.method == "POST" else request.GET
    raw_until = data.get("until", "").strip()
    until = _until_date(raw_until)
    error = _("Give the last day of leave as a date.") if raw_until and until is None else None
    if request.method == "POST" and request.POST.get("action") != "preview" and error is None:
        try:
            leave_request(session=session, person=person, kind=request.POST.get("kind", ""),
                          reason=request.POST.get("reason", ""), until_date=until)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your leave request was sent; staff will approve or refuse it."))
            return redirect("classes:class_detail", pk=session.training_class_id)
    preview = leave_preview(session=session, person=person,
                            until_date=until if until and until >= session.date else None)
    return render(request, "classes/ask_leave.html", {
        "session": session, "kinds": LeaveRequest.Kind.choices, "error": error, "data": data,
        "preview": preview, "until": until, "last_day": session.training_class.ends_on,
    })


@login_required
@require_POST
def report_back(request, pk: int):
    """销假: report back after approved leave."""
    person = own_person(request)
    leave = get_object_or_404(LeaveRequest, pk=pk, person=person)
    try:
        leave_report_back(leave=leave, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You have reported back."))
    return redirect("classes:class_detail", pk=leave.session.training_class_id)
