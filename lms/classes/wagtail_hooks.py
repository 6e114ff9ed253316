"""Admin viewsets and pages for training classes, sessions, enrolments, leave and credit rules."""

import django_filters
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from lms.accounts import scope
from lms.accounts.roles import DEPUTY_HEAD, ORGANISER, user_has_role
from lms.core.viewsets import ScopedModelViewSet

from . import admin_views, declaration_admin
from .documents import document_serve_check
from .models import CreditRule, CreditType, Enrolment, RequirementSetting, Session, TrainingClass
from .scoping import classes_visible_to, is_school_staff


def _classes_for_request(request):
    return classes_visible_to(user=request.user) if request else TrainingClass.objects.none()


def sessions_visible_to(*, user):
    """Sessions of classes the user may see."""
    return scope.sessions(user)


def enrolments_visible_to(*, user):
    """Enrolments the user may see: an organiser only their township's cadres', county classes included."""
    return scope.enrolments(user).filter(training_class__in=classes_visible_to(user=user))


class TrainingClassFilterSet(WagtailFilterSet):
    class Meta:
        model = TrainingClass
        fields = ["year", "mode", "state", "organiser_township", "is_elective"]


class TrainingClassViewSet(ScopedModelViewSet):
    model = TrainingClass
    scope = staticmethod(classes_visible_to)
    icon = "group"
    menu_label = _("Training classes")
    name = "classes_class"
    url_prefix = "classes/class"
    search_fields = ["name"]
    filterset_class = TrainingClassFilterSet
    list_display = [
        TitleColumn("name", label=_("name"), get_url=lambda obj: reverse("classes_admin:overview", args=[obj.pk])),
        "year", "mode", "state", "starts_on", "capacity",
    ]
    list_export = ["name", "year", "term", "mode", "state", "starts_on", "ends_on", "capacity",
                   "planned_credit_hours", "fee_per_learner"]
    export_filename = "training-classes"
    form_fields = [
        "name", "year", "term", "mode", "organiser_township", "courses", "starts_on", "ends_on", "place_kind",
        "place_village", "place_station", "place_address", "capacity", "staff_in_charge", "is_elective",
        "planned_credit_hours", "fee_per_learner", "attendance_threshold", "notes_required", "assessment_held_on",
    ]


class SessionFilterSet(WagtailFilterSet):
    training_class = django_filters.ModelChoiceFilter(label=_("Training class"), queryset=_classes_for_request)

    class Meta:
        model = Session
        fields = ["training_class", "state", "half_day"]


class SessionViewSet(ScopedModelViewSet):
    model = Session
    scope = staticmethod(sessions_visible_to)
    icon = "date"
    menu_label = _("Sessions")
    name = "classes_session"
    url_prefix = "classes/session"
    search_fields = ["topic"]
    filterset_class = SessionFilterSet
    list_display = [
        "topic", Column("training_class", label=_("training class"), accessor="training_class"),
        "date", "starts_at", "ends_at", "teacher", "credit_hours", "state",
    ]
    list_export = ["training_class.name", "date", "starts_at", "ends_at", "topic", "teacher.name", "credit_hours",
                   "state"]
    form_fields = ["training_class", "date", "starts_at", "ends_at", "half_day", "topic", "teacher", "place",
                   "station", "credit_hours", "lesson_plan", "state", "reschedule_reason"]


class EnrolmentFilterSet(WagtailFilterSet):
    training_class = django_filters.ModelChoiceFilter(label=_("Training class"), queryset=_classes_for_request)

    class Meta:
        model = Enrolment
        fields = ["training_class", "status", "source"]


class EnrolmentViewSet(ScopedModelViewSet):
    model = Enrolment
    scope = staticmethod(enrolments_visible_to)
    icon = "user"
    menu_label = _("Enrolments")
    name = "classes_enrolment"
    url_prefix = "classes/enrolment"
    filterset_class = EnrolmentFilterSet
    add_view_enabled = False
    list_display = ["person", Column("training_class", label=_("training class"), accessor="training_class"),
                    "status", "source", "enrolled_at", "withdrawn_at"]
    list_export = ["person.name", "person.phone", "training_class.name", "status", "source", "enrolled_at",
                   "withdrawn_at", "withdraw_reason"]
    form_fields = ["withdraw_reason"]


class CreditRuleViewSet(ScopedModelViewSet):
    model = CreditRule
    scope = staticmethod(lambda *, user: CreditRule.objects.all())
    icon = "cog"
    menu_label = _("Credit rules")
    name = "classes_credit_rule"
    url_prefix = "classes/credit-rule"
    list_display = ["kind", "year", "min_minutes", "credit_hours"]
    form_fields = ["kind", "year", "min_minutes", "credit_hours"]


class CreditTypeViewSet(ScopedModelViewSet):
    model = CreditType
    scope = staticmethod(lambda *, user: CreditType.objects.all())
    icon = "cog"
    menu_label = _("Credit-hour types")
    name = "classes_credit_type"
    url_prefix = "classes/credit-type"
    list_display = ["name", "unit", "hours_per_unit", "multiple", "yearly_cap", "category", "is_required",
                    "declarable"]
    form_fields = ["code", "name", "unit", "hours_per_unit", "multiple", "yearly_cap", "category", "is_required",
                   "declarable", "sort_order"]


class RequirementSettingViewSet(ScopedModelViewSet):
    model = RequirementSetting
    scope = staticmethod(lambda *, user: RequirementSetting.objects.select_related("post"))
    icon = "cog"
    menu_label = _("Annual requirements")
    name = "classes_requirement"
    url_prefix = "classes/requirement"
    list_display = ["post", "year", "concentrated_hours", "online_hours"]
    form_fields = ["post", "year", "concentrated_hours", "online_hours"]


class ClassesViewSetGroup(ViewSetGroup):
    menu_label = _("Training classes")
    menu_icon = "group"
    menu_order = 300
    items = (TrainingClassViewSet, SessionViewSet, EnrolmentViewSet, CreditRuleViewSet, CreditTypeViewSet,
             RequirementSettingViewSet)


@hooks.register("register_admin_viewset")
def register_classes_viewsets():
    return ClassesViewSetGroup()


admin_urls = (
    [
        path("class/<int:pk>/overview/", admin_views.ClassOverviewView.as_view(), name="overview"),
        path("class/<int:pk>/advance/", admin_views.class_advance_view, name="advance"),
        path("class/<int:pk>/plan/", admin_views.PlanEditView.as_view(), name="plan"),
        path("class/<int:pk>/enrol/", admin_views.EnrolView.as_view(), name="enrol"),
        path("class/<int:pk>/four/", admin_views.FourImplementationsView.as_view(), name="four"),
        path("class/<int:pk>/flag/<int:enrolment_id>/", admin_views.flag_over_cap, name="flag"),
        path("rollup/", admin_views.RollupView.as_view(), name="rollup"),
        path("shortfall/", admin_views.ShortfallView.as_view(), name="shortfall"),
        path("leave/", admin_views.LeaveRequestsView.as_view(), name="leave"),
        path("leave/<int:pk>/decide/", admin_views.leave_decide_view, name="leave_decide"),
        path("declarations/", declaration_admin.DeclarationsView.as_view(), name="declarations"),
        path("declarations/<int:pk>/evidence/", declaration_admin.declaration_evidence_view,
             name="declaration_evidence"),
        path("declarations/<int:pk>/decide/", declaration_admin.declaration_decide_view, name="declaration_decide"),
    ],
    "classes_admin",
)


@hooks.register("register_admin_urls")
def register_classes_admin_urls():
    return [path("training/", include(admin_urls))]


class _ScopedMenuItem(MenuItem):
    def is_shown(self, request):
        return is_school_staff(request.user) or user_has_role(request.user, ORGANISER)


class _LeaveMenuItem(_ScopedMenuItem):
    def is_shown(self, request):
        return super().is_shown(request) or user_has_role(request.user, DEPUTY_HEAD)


@hooks.register("register_admin_menu_item")
def register_rollup_menu_item():
    return _ScopedMenuItem(_("Four implementations roll-up"), reverse("classes_admin:rollup"), icon_name="table",
                           order=310)


@hooks.register("register_admin_menu_item")
def register_shortfall_menu_item():
    return _ScopedMenuItem(_("Training records"), reverse("classes_admin:shortfall"), icon_name="warning",
                           order=311)


@hooks.register("register_admin_menu_item")
def register_leave_menu_item():
    return _LeaveMenuItem(_("Leave requests"), reverse("classes_admin:leave"), icon_name="date", order=312)


@hooks.register("register_admin_menu_item")
def register_declarations_menu_item():
    return _ScopedMenuItem(_("Study-hour declarations"), reverse("classes_admin:declarations"), icon_name="doc-full",
                           order=313)


hooks.register("before_serve_document", document_serve_check)
