"""Staff admin pages: class overview and state actions, plan, bulk enrolment, leave, 四落实, roll-up, shortfalls."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.accounts import scope
from lms.accounts.roles import DEPUTY_HEAD, user_has_role
from lms.core.admin_pages import TitledBreadcrumbsMixin
from lms.core.numbers import parse_id, parse_year
from lms.core.text import search_text
from lms.people.models import Post
from lms.people.selectors import organiser_township_id, townships_visible_to, villages_visible_to

from .class_state import NEXT_STATE, class_advance
from .enrolment import STAFF_ENROL_STATES, enrol_from_excel, enrol_matching, enrolment_withdraw
from .exports import four_implementations_workbook, pdf_available, render_pdf
from .four_implementations import four_implementations_for_class
from .leave import leave_cap_warning, leave_decide, leave_may_decide
from .models import Enrolment, LeaveRequest, Session, TrainingClass, TrainingPlan
from .records import records_for_people
from .rollup import class_rollup, participation_rollup, participation_totals, rollup_totals
from .scoping import classes_visible_to, is_school_staff, named_township_id
from .selectors import attendance_stats_for_class

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHORT_PER_PAGE = 50


def _visible_class(request, pk) -> TrainingClass:
    return get_object_or_404(classes_visible_to(user=request.user), pk=pk)


def _staff_only(request) -> None:
    if not is_school_staff(request.user):
        raise Http404


def _year(request) -> int:
    return parse_year(request.GET.get("year"))


class ClassOverviewView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """One class: state and its next step, plan, sessions with roster links, enrolment figures."""

    template_name = "classes/admin/class_overview.html"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.tc = _visible_class(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.tc)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tc = self.tc
        counts = dict(Enrolment.objects.filter(training_class=tc).values("status").annotate(n=Count("pk"))
                      .values_list("status", "n"))
        next_state = NEXT_STATE.get(tc.state)
        context.update(
            tc=tc, plan=TrainingPlan.objects.filter(training_class=tc).select_related("approved_by").first(),
            sessions=Session.objects.filter(training_class=tc).select_related("teacher", "lesson_plan"),
            counts=counts, may_write=is_school_staff(self.request.user),
            next_state=next_state, next_label=TrainingClass.State(next_state).label if next_state else "",
            pending_leave=LeaveRequest.objects.filter(session__training_class=tc,
                                                      state=LeaveRequest.State.PENDING).count(),
        )
        return context


@require_POST
def class_advance_view(request, pk):
    """Move a class to its next state, or say why it cannot."""
    _staff_only(request)
    tc = _visible_class(request, pk)
    try:
        class_advance(training_class=tc, to_state=request.POST.get("to", ""), user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The class is now “%(state)s”.") % {
            "state": TrainingClass.State(TrainingClass.objects.get(pk=tc.pk).state).label})
    return redirect("classes_admin:overview", pk=tc.pk)


class PlanForm(forms.ModelForm):
    class Meta:
        model = TrainingPlan
        fields = ["aims", "schedule", "assessment"]


class PlanEditView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Write or change the training plan while it is not yet approved."""

    template_name = "classes/admin/plan_form.html"
    page_title = gettext_lazy("Training plan")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        _staff_only(request)
        self.tc = _visible_class(request, kwargs["pk"])
        self.plan = TrainingPlan.objects.filter(training_class=self.tc).first() or TrainingPlan(training_class=self.tc)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PlanForm(instance=self.plan))
        context.update(tc=self.tc, locked=self.plan.is_approved)
        return context

    def post(self, request, *args, **kwargs):
        if self.plan.is_approved:
            messages.error(request, _("An approved plan cannot be changed."))
            return redirect("classes_admin:overview", pk=self.tc.pk)
        form = PlanForm(request.POST, instance=self.plan)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, _("The training plan was saved."))
        return redirect("classes_admin:overview", pk=self.tc.pk)


class EnrolForm(forms.Form):
    township = forms.ModelChoiceField(label=gettext_lazy("Township or town"), queryset=None, required=False)
    village = forms.ModelChoiceField(label=gettext_lazy("Village or community"), queryset=None, required=False)
    post = forms.ModelChoiceField(label=gettext_lazy("Post"), queryset=Post.objects.all(), required=False)
    file = forms.FileField(label=gettext_lazy("Or an Excel list of mobile numbers (.xlsx)"), required=False,
                           help_text=gettext_lazy("First column: mobile numbers, one per row, under a heading row."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_visible_to(user=user)
        self.fields["village"].queryset = villages_visible_to(user=user)


class EnrolView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Enrol in bulk (township, village, post, Excel list) and withdraw; see the waiting list."""

    template_name = "classes/admin/enrol.html"
    page_title = gettext_lazy("Enrolment")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.tc = _visible_class(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", EnrolForm(user=self.request.user))
        rows = (Enrolment.objects.filter(training_class=self.tc)
                .select_related("person__village__township").order_by("status", "enrolled_at", "pk"))
        township_id = named_township_id(user=self.request.user)
        if township_id is not None:
            rows = rows.filter(person__village__township_id=township_id)
        enrol_open = self.tc.state in STAFF_ENROL_STATES
        if not is_school_staff(self.request.user) or not enrol_open:
            context["form"] = None
        plan = TrainingPlan.objects.filter(training_class=self.tc).first() if not enrol_open else None
        context.update(tc=self.tc, rows=list(rows), may_write=is_school_staff(self.request.user),
                       enrol_open=enrol_open, plan=plan,
                       taken=Enrolment.objects.filter(training_class=self.tc, status=Enrolment.Status.ENROLLED).count())
        return context

    def post(self, request, *args, **kwargs):
        _staff_only(request)
        if "withdraw" in request.POST:
            row = get_object_or_404(Enrolment, training_class=self.tc, pk=parse_id(request.POST["withdraw"]))
            try:
                promoted = enrolment_withdraw(enrolment=row, reason=request.POST.get("reason", ""), by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(name)s withdrawn.") % {"name": row.person.name} + (
                    " " + _("%(name)s moved up from the waiting list.") % {"name": promoted.person.name}
                    if promoted else ""))
            return redirect("classes_admin:enrol", pk=self.tc.pk)
        form = EnrolForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            if data["file"]:
                result = enrol_from_excel(training_class=self.tc, data=data["file"].read(), by=request.user)
            else:
                result = enrol_matching(training_class=self.tc, by=request.user, township=data["township"],
                                        village=data["village"], post=data["post"])
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(form=form, errors=exc.messages))
        messages.success(request, _("%(e)s enrolled, %(w)s on the waiting list, %(a)s already in the class.") % {
            "e": len(result.enrolled), "w": len(result.waitlisted), "a": len(result.already)})
        return redirect("classes_admin:enrol", pk=self.tc.pk)


class FourImplementationsView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """四落实 of one class: four checks green or red with reasons, learners near or over the leave cap."""

    template_name = "classes/admin/four_implementations.html"
    header_icon = "tasks"

    def get_page_title(self):
        return _("Four implementations: %(name)s") % {"name": self.tc.name}

    def dispatch(self, request, *args, **kwargs):
        self.tc = _visible_class(request, kwargs["pk"])
        self.township_id = named_township_id(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        results = [four_implementations_for_class(training_class=self.tc, township_id=self.township_id)]
        if fmt == "xlsx":
            return _xlsx(four_implementations_workbook(results=results), f"four-implementations-{self.tc.pk}")
        if fmt == "pdf" and pdf_available():
            body = render_pdf(template="classes/admin/four_implementations_pdf.html", context={"results": results})
            response = HttpResponse(body, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="four-implementations-{self.tc.pk}.pdf"'
            return response
        self.fi = results[0]
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stats = attendance_stats_for_class(training_class=self.tc)
        watched = Enrolment.objects.filter(training_class=self.tc, person_id__in=[
            pid for pid, s in stats.items() if s.over_leave_cap or s.near_leave_cap]).select_related("person")
        if self.township_id is not None:
            watched = watched.filter(person__village__township_id=self.township_id)
        enrolments = {e.person_id: e for e in watched}
        context.update(
            tc=self.tc, fi=self.fi, pdf=pdf_available(),
            watch=[(enrolments[pid], stats[pid]) for pid in enrolments], may_write=is_school_staff(self.request.user),
        )
        return context


@require_POST
def flag_over_cap(request, pk, enrolment_id):
    """Staff confirm a learner is over the leave cap (they lose the certificate)."""
    _staff_only(request)
    tc = _visible_class(request, pk)
    row = get_object_or_404(Enrolment, training_class=tc, pk=enrolment_id)
    if not attendance_stats_for_class(training_class=tc)[row.person_id].over_leave_cap:
        messages.error(request, _("%(name)s is not over the leave cap.") % {"name": row.person.name})
    else:
        row.leave_cap_flagged_at = timezone.now()
        row.save(update_fields=["leave_cap_flagged_at"])
        messages.success(request, _("%(name)s is flagged over the leave cap.") % {"name": row.person.name})
    return redirect("classes_admin:four", pk=tc.pk)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


class RollupView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Classes, person-times and credit hours per organiser, mode and year; every class's four checks."""

    template_name = "classes/admin/rollup.html"
    page_title = gettext_lazy("Training roll-up")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        self.year = _year(request)
        classes = classes_visible_to(user=request.user).filter(year=self.year)
        self.township_id = organiser_township_id(request.user)
        self.rows, self.checks = class_rollup(classes=classes, township_id=named_township_id(user=request.user))
        self.participation = participation_rollup(classes=classes, township_id=self.township_id)
        if request.GET.get("format") == "xlsx":
            return _xlsx(four_implementations_workbook(results=list(self.checks.values()),
                                                       participation=self.participation,
                                                       by_village=self.township_id is not None),
                         f"rollup-{self.year}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        context.update(year=self.year, rows=self.rows, totals=rollup_totals(self.rows),
                       participation=self.participation, by_village=self.township_id is not None,
                       participation_totals=participation_totals(self.participation),
                       results=sorted(self.checks.values(), key=lambda fi: (fi.training_class.starts_on,
                                                                             fi.training_class.name)),
                       years=range(this_year + 1, this_year - 5, -1))
        return context


class ShortfallView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Cadres in scope whose class hours fall short of the concentrated requirement, with their full record."""

    template_name = "classes/admin/shortfall.html"
    page_title = gettext_lazy("Short of the annual requirement")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        people = scope.record_people(self.request.user).filter(is_active=True)
        query = search_text(self.request.GET.get("q"))
        if query:
            people = people.filter(Q(name__icontains=query) | Q(phone__startswith=query))
        page = Paginator(people, SHORT_PER_PAGE).get_page(self.request.GET.get("page"))
        records = records_for_people(people=page.object_list, year=year)
        only_short = self.request.GET.get("all") != "1"
        rows = [r for r in records if not only_short or not r.meets_requirement]
        this_year = timezone.localdate().year
        context.update(year=year, page=page, rows=rows, only_short=only_short, q=query,
                       years=range(this_year, this_year - 5, -1))
        return context


def leave_visible_to(*, user):
    """Leave requests a user may read: the deputy head every class's, others those of the classes they see."""
    qs = LeaveRequest.objects.all()
    if user.is_superuser or user_has_role(user, DEPUTY_HEAD):
        return qs
    qs = qs.filter(session__training_class__in=classes_visible_to(user=user))
    township_id = named_township_id(user=user)
    return qs if township_id is None else qs.filter(person__village__township_id=township_id)


class LeaveRequestsView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Pending leave in one queue per approver (class teacher, 教务, deputy head), warning near the 1/7 cap."""

    template_name = "classes/admin/leave_requests.html"
    page_title = gettext_lazy("Leave requests")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pending = list(leave_visible_to(user=user).filter(state=LeaveRequest.State.PENDING)
                       .select_related("person__village", "session__training_class")
                       .prefetch_related("covered_sessions", "session__training_class__staff_in_charge")
                       .order_by("session__date", "pk")[:300])
        queues = []
        for tier, label in LeaveRequest.Tier.choices:
            rows = [(lr, leave_cap_warning(leave=lr), leave_may_decide(user=user, leave=lr))
                    for lr in pending if lr.tier == tier]
            queues.append({"tier": tier, "label": label, "rows": rows, "mine": any(r[2] for r in rows)})
        context.update(queues=queues, settings_days=(settings.LEAVE_CLASS_TEACHER_MAX_DAYS,
                                                     settings.LEAVE_ACADEMIC_MAX_DAYS))
        return context


@require_POST
def leave_decide_view(request, pk):
    """The approver of the request's tier approves or refuses it."""
    leave = get_object_or_404(leave_visible_to(user=request.user), pk=pk)
    try:
        leave_decide(leave=leave, approve=request.POST.get("decision") == "approve", by=request.user,
                     note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("classes_admin:leave")
