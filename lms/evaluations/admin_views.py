"""Staff pages of 评教: results per teacher and topic with charts, per class, Excel export, the class rule."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.classes.scoping import classes_visible_to, is_school_staff, named_township_id
from lms.core.admin_pages import TitledBreadcrumbsMixin
from lms.core.numbers import parse_year

from .api import evaluation_required
from .charts import bar_chart
from .exports import evaluations_workbook
from .models import INDICATORS, Evaluation
from .selectors import (
    comments,
    evaluations_in,
    low_score,
    min_responses,
    results_by_class,
    results_by_session,
    results_by_teacher,
    results_by_topic,
)
from .services import evaluation_requirement_set

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    return parse_year(request.GET.get("year", ""))


def scoped_evaluations(*, user, year: int | None = None, classes=None):
    """Evaluations a user may read: of the classes they see, and an organiser only their township's learners."""
    visible = classes_visible_to(user=user) if classes is None else classes
    qs = evaluations_in(classes=visible, year=year)
    township_id = named_township_id(user=user)
    return qs if township_id is None else qs.filter(person__village__township_id=township_id)


class ResultsView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """A year's results per teacher and per topic, low scores flagged, bars with the table as text."""

    template_name = "evaluations/admin/results.html"
    page_title = gettext_lazy("Teaching evaluations")
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        evaluations = scoped_evaluations(user=self.request.user, year=year)
        this_year = timezone.localdate().year
        teachers, topics = results_by_teacher(evaluations=evaluations), results_by_topic(evaluations=evaluations)
        context.update(
            year=year, years=range(this_year, this_year - 5, -1), indicators=INDICATORS,
            teachers=teachers, topics=topics, teacher_chart=bar_chart(teachers), topic_chart=bar_chart(topics),
            classes=results_by_class(evaluations=evaluations), comments=comments(evaluations=evaluations, limit=20),
            total=evaluations.count(), low_score=low_score(), min_responses=min_responses(),
        )
        return context


def results_export(request):
    """The year's results as Excel."""
    if not request.user.is_authenticated:
        raise Http404
    year = _year(request)
    data = evaluations_workbook(evaluations=scoped_evaluations(user=request.user, year=year))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="evaluations-{year}.xlsx"'
    return response


class ClassResultsView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """One class: the completion rule, results per session and of the class as a whole, comments."""

    template_name = "evaluations/admin/class_results.html"
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        self.tc = get_object_or_404(classes_visible_to(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Teaching evaluations: %(name)s") % {"name": self.tc.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluations = scoped_evaluations(user=self.request.user, classes=[self.tc])
        whole = results_by_class(evaluations=evaluations)
        sessions = results_by_session(evaluations=evaluations)
        context.update(
            tc=self.tc, indicators=INDICATORS, sessions=sessions, session_chart=bar_chart(sessions),
            whole=whole[0] if whole else None, comments=comments(evaluations=evaluations, limit=100),
            required=evaluation_required(training_class=self.tc), may_write=is_school_staff(self.request.user),
            rated=Evaluation.objects.filter(training_class=self.tc, session__isnull=True).count(),
        )
        return context


@require_POST
def class_requirement(request, pk):
    """Staff switch the class's 评教 completion rule on or off."""
    if not is_school_staff(request.user):
        raise Http404
    tc = get_object_or_404(classes_visible_to(user=request.user), pk=pk)
    required = request.POST.get("required") == "1"
    evaluation_requirement_set(training_class=tc, required=required)
    messages.success(request, _("评教 is now required for completion.") if required
                     else _("评教 is no longer required for completion."))
    return redirect("evaluations_admin:class", pk=tc.pk)
