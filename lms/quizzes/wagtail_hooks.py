"""Admin: the question bank, quizzes, imports and exports, essay grading and statistics."""

import django_filters
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.side_panels import PreviewSidePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CopyView, CreateView, EditView, IndexView
from wagtail.admin.views.generic.preview import PreviewOnCreate, PreviewOnEdit
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from lms.accounts.roles import STAFF, user_has_role

from . import admin_views
from .forms import QuestionAdminForm
from .models import Question, QuestionCategory, Quiz

admin_urls = (
    [
        path("question/<int:pk>/preview/", admin_views.question_preview, name="question_preview"),
        path("import/", admin_views.ImportView.as_view(), name="import"),
        path("import/template/", admin_views.import_template, name="import_template"),
        path("export/", admin_views.export_bank, name="export"),
        path("essays/", admin_views.EssayQueueView.as_view(), name="essays"),
        path("essays/<int:pk>/", admin_views.essay_grade, name="essay_grade"),
        path("quiz/<int:pk>/statistics/", admin_views.QuizStatisticsView.as_view(), name="statistics"),
        path("quiz/<int:pk>/statistics/export/", admin_views.quiz_statistics_export, name="statistics_export"),
    ],
    "quizzes_admin",
)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [path("quizzes/", include(admin_urls))]


class QuestionFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=QuestionCategory.objects.all())

    class Meta:
        model = Question
        fields = ["category", "kind", "difficulty", "is_active"]


class QuestionIndexView(IndexView):
    """The bank, with import, export and template buttons and a learner preview per question."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(HeaderButton(_("Import or export"), url=reverse("quizzes_admin:import"),
                                    icon_name="upload", priority=30))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(ListingMenuItem(_("Preview as a learner"), icon_name="view", priority=5,
                                       url=reverse("quizzes_admin:question_preview", kwargs={"pk": instance.pk})))
        return buttons


class _LivePreviewMixin:
    """Adds Wagtail's live preview panel (the learner's view, updated as staff type) to the question editor."""

    preview_url_name = None

    def get_preview_url(self):
        return reverse(self.preview_url_name, args=[self.object.pk] if isinstance(self, EditView) else [])

    def get_side_panels(self):
        side_panels = list(super().get_side_panels())
        side_panels.append(PreviewSidePanel(self.form.instance, self.request, preview_url=self.get_preview_url()))
        return MediaContainer(side_panels)


class QuestionCreateView(_LivePreviewMixin, CreateView):
    pass


class QuestionCopyView(_LivePreviewMixin, CopyView):
    pass


class QuestionEditView(_LivePreviewMixin, EditView):
    pass


class QuestionViewSet(ModelViewSet):
    model = Question
    name = "quiz_questions"
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    copy_view_class = QuestionCopyView
    icon = "help"
    menu_label = _("Question bank")
    search_fields = ["text", "title", "explanation"]
    filterset_class = QuestionFilterSet
    list_display = ["__str__", "kind", "category", "difficulty", "score"]
    list_per_page = 50
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionAdminForm)
    copy_view_enabled = True
    inspect_view_enabled = False

    def get_queryset(self, request):
        return Question.objects.select_related("category")

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(preview_url_name=self.get_url_name("preview_on_add"), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(preview_url_name=self.get_url_name("preview_on_edit"), **kwargs)

    @property
    def preview_on_add_view(self):
        return self.construct_view(PreviewOnCreate, form_class=self.get_form_class())

    @property
    def preview_on_edit_view(self):
        return self.construct_view(PreviewOnEdit, form_class=self.get_form_class(for_update=True))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("preview/", self.preview_on_add_view, name="preview_on_add"),
            path("preview/<int:pk>/", self.preview_on_edit_view, name="preview_on_edit"),
        ]


class QuestionCategoryViewSet(ModelViewSet):
    model = QuestionCategory
    name = "quiz_categories"
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    search_fields = ["name", "path"]
    list_display = ["path", "sort_order"]
    form_fields = ["name", "parent", "sort_order"]


class QuizIndexView(IndexView):
    """Quizzes, with the essay queue button and statistics per quiz."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(HeaderButton(_("Essay grading"), url=reverse("quizzes_admin:essays"),
                                    icon_name="edit", priority=30))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(ListingMenuItem(_("Statistics"), icon_name="table", priority=5,
                                       url=reverse("quizzes_admin:statistics", kwargs={"pk": instance.pk})))
        buttons.append(ListingMenuItem(_("View as a learner"), icon_name="view", priority=6,
                                       url=reverse("quizzes:intro", kwargs={"pk": instance.pk})))
        return buttons


class QuizViewSet(ModelViewSet):
    model = Quiz
    name = "quizzes_quiz"
    index_view_class = QuizIndexView
    icon = "tasks"
    menu_label = _("Quizzes")
    search_fields = ["title"]
    list_filter = ["is_published", "review_policy"]
    list_display = [
        "title", "course", "lesson",
        Column("is_published", label=_("published"), sort_key="is_published",
               accessor=lambda quiz: _("Published") if quiz.is_published else _("Not published")),
        "closes_at",
    ]
    copy_view_enabled = True

    def get_queryset(self, request):
        return Quiz.objects.select_related("course", "lesson")


class QuizViewSetGroup(ViewSetGroup):
    menu_label = _("Quizzes")
    menu_icon = "tasks"
    menu_order = 250
    items = (QuizViewSet, QuestionViewSet, QuestionCategoryViewSet)


@hooks.register("register_admin_viewset")
def register_quiz_viewsets():
    return QuizViewSetGroup()


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or user_has_role(request.user, STAFF)


@hooks.register("register_admin_menu_item")
def register_essay_menu_item():
    return StaffMenuItem(_("Essay grading"), reverse("quizzes_admin:essays"), icon_name="edit", order=251)
