"""Staff pages in the Wagtail admin: question preview, import/export, essay grading, quiz statistics."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.accounts.roles import STAFF, user_has_role
from lms.core.admin_pages import TitledBreadcrumbsMixin

from . import exporters, selectors, services, statistics
from .forms import EssayGradeForm, ExportForm, ImportForm
from .importers import parse_file
from .models import AttemptItem, Question, Quiz
from .presentation import decorate_item
from .questiondata import ImportFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ESSAYS_PER_PAGE = 20


def staff_only(user) -> None:
    """Quiz staff pages are for the Party school staff."""
    if not (user.is_superuser or user_has_role(user, STAFF)):
        raise PermissionDenied


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def question_preview(request, pk: int):
    """The question exactly as a learner sees it on the take page (options shuffled if the quiz shuffles)."""
    staff_only(request.user)
    question = get_object_or_404(Question, pk=pk)
    return render(request, "quizzes/question_preview.html",
                  {"item": selectors.question_preview_item(question), "question": question})


class _Crumbs:
    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class ImportView(_Crumbs, WagtailAdminTemplateMixin, TemplateView):
    """Upload an Excel, GIFT or Moodle XML file; any error saves nothing and lists every bad row or line."""

    template_name = "quizzes/admin/import.html"
    page_title = gettext_lazy("Import questions")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        staff_only(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        context["export_form"] = ExportForm()
        return context

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                questions = parse_file(fmt=form.cleaned_data["format"], content=form.cleaned_data["file"].read())
                created = services.bank_import(questions=questions, default_category=form.cleaned_data["category"])
            except ImportFailed as failure:
                errors = failure.errors
            else:
                messages.success(request, _("%(n)s questions imported.") % {"n": len(created)})
                return redirect("quizzes_admin:import")
        return self.render_to_response(self.get_context_data(form=form, import_errors=errors))


def import_template(request):
    """The blank Excel template with a help sheet."""
    staff_only(request.user)
    return _download(exporters.template_workbook(), "question-bank-template.xlsx", XLSX)


def export_bank(request):
    """The bank (or one category with its subcategories) as the Excel template or GIFT."""
    staff_only(request.user)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return redirect("quizzes_admin:import")
    questions = exporters.bank_questions(category=form.cleaned_data["category"])
    if form.cleaned_data["format"] == "excel":
        return _download(exporters.template_workbook(questions), "question-bank.xlsx", XLSX)
    text, skipped = exporters.gift_text(questions)
    if skipped:
        note = _("// %(n)s fill-in questions with several blanks cannot be written in GIFT; export to Excel "
                 "to keep them.") % {"n": len(skipped)}
        text = f"{note}\n\n{text}"
    return _download(text.encode("utf-8"), "question-bank.gift.txt", "text/plain; charset=utf-8")


class EssayQueueView(_Crumbs, WagtailAdminTemplateMixin, TemplateView):
    """Essay answers waiting for a mark, oldest first."""

    template_name = "quizzes/admin/essay_queue.html"
    page_title = gettext_lazy("Essay grading")
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        staff_only(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.essay_queue(), ESSAYS_PER_PAGE).get_page(self.request.GET.get("page"))
        context["page"] = page
        return context


def essay_grade(request, pk: int):
    """Mark one essay with a rubric comment, then go to the next in the queue."""
    staff_only(request.user)
    item = get_object_or_404(AttemptItem.objects.select_related("attempt__quiz", "attempt__user"), pk=pk,
                             kind=Question.Kind.ESSAY)
    form = EssayGradeForm(request.POST or None, max_score=item.max_score,
                          initial={"score": item.score, "comment": item.comment})
    if request.method == "POST" and form.is_valid():
        try:
            services.essay_grade(item=item, score=form.cleaned_data["score"],
                                 comment=form.cleaned_data["comment"], grader=request.user)
        except services.QuizError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Essay graded."))
            following = selectors.essay_queue().first()
            return redirect("quizzes_admin:essay_grade", pk=following.pk) if following else redirect(
                "quizzes_admin:essays")
    decorate_item(item)
    return render(request, "quizzes/admin/essay_grade.html", {
        "item": item, "form": form, "page_title": _("Grade an essay"), "header_icon": "edit",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("quizzes_admin:essays"), "label": _("Essay grading")},
            {"url": "", "label": _("Grade an essay")},
        ],
    })


class QuizStatisticsView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Score distribution, pass rate, average time, and each question's facility and discrimination."""

    template_name = "quizzes/admin/statistics.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        staff_only(request.user)
        self.quiz = get_object_or_404(Quiz, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Statistics: %(quiz)s") % {"quiz": self.quiz.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("quizzes_quiz:index"), "label": _("Quizzes")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(quiz=self.quiz, stats=statistics.quiz_statistics(quiz=self.quiz),
                       questions=statistics.question_statistics(quiz=self.quiz))
        return context


def quiz_statistics_export(request, pk: int):
    """The quiz's statistics and results as Excel."""
    staff_only(request.user)
    quiz = get_object_or_404(Quiz, pk=pk)
    return _download(statistics.statistics_workbook(quiz=quiz), f"quiz-{quiz.pk}-results.xlsx", XLSX)
