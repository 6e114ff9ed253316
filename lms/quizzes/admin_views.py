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

from . import exporters, gift_export, import_staging, selectors, services, statistics, xml_export
from .forms import EssayGradeForm, ExportForm, ImportForm
from .importers import read_file, report_summary
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
    """Upload an Excel, GIFT or Moodle XML file, see what it holds, then import the good questions or cancel.

    Nothing is saved until the user confirms; the confirmed import is one transaction."""

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
        action = request.POST.get("action", "preview")
        if action in ("confirm", "cancel"):
            return self._finish(request, action)
        form = ImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            category = form.cleaned_data["category"]
            try:
                report = read_file(fmt=form.cleaned_data["format"], content=content)
            except ImportFailed as failure:
                errors = failure.errors
            else:
                token = import_staging.upload_stage(content=content, fmt=form.cleaned_data["format"],
                                                    category=category, filename=upload.name[:200],
                                                    user_id=request.user.pk)
                summary = report_summary(report, default_category=category)
                return self.render_to_response(self.get_context_data(
                    form=form, preview=summary, token=token, filename=upload.name, default_category=category))
        return self.render_to_response(self.get_context_data(form=form, import_errors=errors))

    def _finish(self, request, action: str):
        token = request.POST.get("token", "")
        staged = import_staging.upload_load(token=token, user_id=request.user.pk)
        if staged is None:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("quizzes_admin:import")
        if action == "cancel":
            import_staging.upload_discard(token=token)
            messages.info(request, _("Import cancelled; nothing was saved."))
            return redirect("quizzes_admin:import")
        content, meta = staged
        try:
            report = read_file(fmt=meta["format"], content=content)
            if not report.questions:
                raise ImportFailed([_("The file holds no question that can be imported.")])
            created = services.bank_import(questions=report.questions, default_category=meta["category"])
        except ImportFailed as failure:
            return self.render_to_response(self.get_context_data(import_errors=failure.errors))
        import_staging.upload_discard(token=token)
        refused = len({r.line for r in report.refusals})
        if refused:
            messages.success(request, _("%(n)s questions imported; %(m)s refused questions were left out.")
                             % {"n": len(created), "m": refused})
        else:
            messages.success(request, _("%(n)s questions imported.") % {"n": len(created)})
        return redirect("quizzes_admin:import")


def import_template(request):
    """The blank Excel template with a help sheet."""
    staff_only(request.user)
    return _download(exporters.template_workbook(), "question-bank-template.xlsx", XLSX)


def export_bank(request):
    """The bank, one category with its subcategories, or one quiz's questions as Excel, GIFT or Moodle XML."""
    staff_only(request.user)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return redirect("quizzes_admin:import")
    questions = exporters.bank_questions(category=form.cleaned_data["category"], quiz=form.cleaned_data["quiz"])
    fmt = form.cleaned_data["format"]
    if fmt == "excel":
        return _download(exporters.template_workbook(questions), "question-bank.xlsx", XLSX)
    if fmt == "xml":
        content, skipped = xml_export.moodle_xml(questions)
        if skipped:
            note = _("%(n)s fill-in questions with several blanks cannot be written in Moodle XML; export to "
                     "Excel to keep them.") % {"n": len(skipped)}
            content = content.replace(b"<quiz>", f"<quiz>\n  <!-- {note} -->".encode(), 1)
        return _download(content, "question-bank.moodle.xml", "application/xml; charset=utf-8")
    text, skipped = gift_export.gift_text(questions)
    if skipped:
        note = _("// %(n)s questions cannot be written in GIFT (fill-ins with several blanks, numerical answers "
                 "with units, case-sensitive answers); export to Moodle XML or Excel to keep them.") % {
            "n": len(skipped)}
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
