"""Admin menu item and URLs for completion certificates."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.roles import ORGANISER, STAFF, user_has_role
from lms.core.numbers import parse_id
from lms.core.viewsets import ScopedModelViewSet

from . import admin_views
from .models import ClassCertificateRules, ModeCompletionRules

admin_urls = (
    [
        path("", admin_views.ClassListView.as_view(), name="index"),
        path("class/<int:class_id>/", admin_views.ClassDetailView.as_view(), name="class"),
        path("class/<int:class_id>/issue/", admin_views.batch_start, name="batch_start"),
        path("class/<int:class_id>/zip/", admin_views.class_zip, name="zip"),
        path("class/<int:class_id>/person/<int:person_id>/issue/", admin_views.issue_by_hand, name="issue_by_hand"),
        path("batch/<int:batch_id>/", admin_views.batch_status, name="batch_status"),
        path("class/<int:class_id>/bundle/", admin_views.bundle_start, name="bundle_start"),
        path("bundle/<int:bundle_id>/", admin_views.bundle_status, name="bundle_status"),
        path("bundle/<int:bundle_id>/download/", admin_views.bundle_download, name="bundle_download"),
        path("certificate/<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    ],
    "certificates_admin",
)


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [path("certificates/", include(admin_urls))]


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user_has_role(user, STAFF) or user_has_role(user, ORGANISER)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CertificatesMenuItem(_("Certificates"), reverse("certificates_admin:index"), icon_name="doc-full", order=420)


class ClassRulesCreateView(CreateView):
    """The add form, with the class preselected when opened from a class's certificate page."""

    def get_initial(self):
        initial = super().get_initial()
        class_id = parse_id(self.request.GET.get("training_class"))
        if class_id is not None:
            initial["training_class"] = class_id
        return initial


class ClassCertificateRulesViewSet(ModelViewSet):
    """Per-class design and rule overrides; empty fields use the school-wide certificate settings."""

    model = ClassCertificateRules
    icon = "doc-full"
    menu_label = _("Class certificate rules")
    add_to_admin_menu = False
    url_prefix = "certificates/class-rules"
    name = "certificate_class_rules"
    form_fields = [
        "training_class", "design", "attendance_threshold", "enforce_leave_cap", "require_lessons",
        "require_quiz", "min_notes", "require_trip_report",
    ]
    list_display = ["training_class", "design", "attendance_threshold", "min_notes"]
    search_fields = ["training_class__name"]
    copy_view_enabled = False
    add_view_class = ClassRulesCreateView


@hooks.register("register_admin_viewset")
def register_class_rules_viewset():
    return ClassCertificateRulesViewSet()


class ModeCompletionRulesViewSet(ScopedModelViewSet):
    """The default completion rules of each training mode (seeded for the six modes)."""

    model = ModeCompletionRules
    scope = staticmethod(lambda *, user: ModeCompletionRules.objects.all())
    icon = "cog"
    menu_label = _("Completion rules by training mode")
    add_to_admin_menu = False
    url_prefix = "certificates/mode-rules"
    name = "certificate_mode_rules"
    form_fields = ["mode", "require_attendance", "enforce_leave_cap", "require_lessons", "require_quiz", "min_notes",
                   "require_trip_report"]
    list_display = ["mode", "require_attendance", "enforce_leave_cap", "require_lessons", "min_notes",
                    "require_trip_report"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_mode_rules_viewset():
    return ModeCompletionRulesViewSet()
