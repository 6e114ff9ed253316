"""Admin viewsets for the county's townships, villages, stations, cadres and teachers."""

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import HeaderButton

from lms.core.viewsets import ScopedModelViewSet

from . import selectors
from .account_views import (
    account_action_view,
    account_view,
    accounts_issue_view,
    accounts_sheet_view,
    county_profile_view,
    user_may_manage_accounts,
)
from .admin_views import roster_import, roster_template
from .models import Person, Post, Station, Teacher, Township, Village
from .privacy import mask_phone, phone_shown, sees_ethnicity


def _verbose(model, field: str):
    """A field's own label, as the heading of its human-readable export column."""
    return model._meta.get_field(field).verbose_name


def _villages_for_request(request):
    return selectors.villages_visible_to(user=request.user) if request else Village.objects.none()


def _townships_for_request(request):
    return selectors.townships_visible_to(user=request.user) if request else Township.objects.none()


class PersonFilterSet(WagtailFilterSet):
    village__township = django_filters.ModelChoiceFilter(
        label=_("Township or town"), queryset=_townships_for_request
    )
    village = django_filters.ModelChoiceFilter(label=_("Village or community"), queryset=_villages_for_request)
    posts = django_filters.ModelChoiceFilter(label=_("Post"), queryset=Post.objects.all())

    class Meta:
        model = Person
        fields = ["village__township", "village", "posts", "gender", "education", "is_active"]


class PhoneColumn(Column):
    """The mobile number, masked (138****5678) for roles that do not contact learners."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        user = getattr(request, "user", None)
        context["value"] = phone_shown(user=user, phone=instance.phone, owner_user_id=instance.user_id) \
            if user is not None else mask_phone(instance.phone)
        return context


class PersonIndexView(IndexView):
    """The cadre list, with buttons to import a roster and download its template."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not sees_ethnicity(request.user):
            self.list_export = [name for name in self.list_export if name != "ethnicity"]

    def to_row_dict(self, item):
        """Exports mask the phone for roles that do not need it."""
        row = super().to_row_dict(item)
        if "phone" in row:
            row["phone"] = phone_shown(user=self.request.user, phone=item.phone, owner_user_id=item.user_id)
        return row

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(_("Import roster"), url=reverse("person:import"), icon_name="upload", priority=30)
            )
            buttons.append(
                HeaderButton(
                    _("Download roster template"), url=reverse("person:import_template"),
                    icon_name="download", priority=40,
                )
            )
        buttons.append(HeaderButton(_("County profile"), url=reverse("person:county_profile"), icon_name="table",
                                    priority=60))
        if user_may_manage_accounts(self.request.user):
            buttons.append(
                HeaderButton(_("Issue sign-in accounts"), url=reverse("person:accounts_issue"), icon_name="key",
                             priority=50)
            )
        return buttons

    def get_list_more_buttons(self, instance):
        """Each cadre's menu also opens their sign-in account (issue, reset, deactivate)."""
        buttons = list(super().get_list_more_buttons(instance))
        if user_may_manage_accounts(self.request.user):
            buttons.append(MenuItem(_("Sign-in account"), url=reverse("person:account", args=[instance.pk]),
                                    icon_name="key", priority=35))
        return buttons


class PersonViewSet(ScopedModelViewSet):
    model = Person
    index_view_class = PersonIndexView
    scope = selectors.people_visible_to
    icon = "user"
    menu_label = _("Cadres")
    add_to_admin_menu = False
    search_fields = ["name", "phone"]
    filterset_class = PersonFilterSet
    list_display = [
        "name",
        Column("village", label=_("village or community"), accessor="village"),
        Column("posts", label=_("posts held"), accessor="posts_display"),
        PhoneColumn("phone", label=_("mobile number")),
        "birth_year",
    ]
    list_export = [
        "name", "get_gender_display", "ethnicity", "birth_year", "get_education_display", "phone",
        "village.township.name", "village.name", "posts_display", "party_joined_on",
    ]
    export_headings = {
        "get_gender_display": _verbose(Person, "gender"),
        "get_education_display": _verbose(Person, "education"),
        "village.township.name": _("Township or town"),
        "village.name": _("Village or community"),
        "posts_display": _("Posts held"),
    }
    export_filename = "cadres"
    form_fields = [
        "name", "gender", "ethnicity", "birth_year", "education", "phone",
        "village", "posts", "party_joined_on", "is_active",
    ]
    inspect_view_fields = [
        "name", "gender", "ethnicity", "birth_year", "education", "phone",
        "village", "posts", "party_joined_on", "is_active", "user",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", roster_import, name="import"),
            path("import/template/", roster_template, name="import_template"),
            path("accounts/", accounts_issue_view, name="accounts_issue"),
            path("county-profile/", county_profile_view, name="county_profile"),
            path("accounts/sheet/<str:token>/", accounts_sheet_view, name="accounts_sheet"),
            path("<int:pk>/account/", account_view, name="account"),
            path("<int:pk>/account/<str:action>/", account_action_view, name="account_action"),
        ]


class TownshipViewSet(ScopedModelViewSet):
    model = Township
    scope = selectors.townships_visible_to
    icon = "site"
    menu_label = _("Townships and towns")
    search_fields = ["name"]
    list_display = ["name", "kind", "county"]
    list_export = ["name", "get_kind_display", "county.name"]
    export_headings = {"get_kind_display": _verbose(Township, "kind"), "county.name": _verbose(Township, "county")}
    form_fields = ["county", "name", "kind", "sort_order"]
    export_filename = "townships"


class VillageFilterSet(WagtailFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township or town"), queryset=_townships_for_request)

    class Meta:
        model = Village
        fields = ["township", "kind", "star_rating"]


class VillageViewSet(ScopedModelViewSet):
    model = Village
    scope = selectors.villages_visible_to
    icon = "home"
    menu_label = _("Villages and communities")
    search_fields = ["name"]
    filterset_class = VillageFilterSet
    list_display = ["name", "township", "kind", "star_rating"]
    list_export = ["township.name", "name", "get_kind_display", "star_rating"]
    export_headings = {"township.name": _("Township or town"), "get_kind_display": _verbose(Village, "kind")}
    form_fields = ["township", "name", "kind", "star_rating"]
    export_filename = "villages"


class StationFilterSet(WagtailFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township or town"), queryset=_townships_for_request)

    class Meta:
        model = Station
        fields = ["level", "township"]


class StationViewSet(ScopedModelViewSet):
    model = Station
    scope = selectors.stations_visible_to
    icon = "desktop"
    menu_label = _("Remote-education stations")
    search_fields = ["name", "address"]
    filterset_class = StationFilterSet
    list_display = ["name", "level", "township", "village", "operator"]
    list_export = ["name", "get_level_display", "township_name", "village_name", "address", "operator_name"]
    export_headings = {
        "get_level_display": _verbose(Station, "level"),
        "township_name": _("Township or town"),
        "village_name": _("Village or community"),
        "operator_name": _("Operator"),
    }
    form_fields = ["name", "level", "county", "township", "village", "address", "operator", "equipment"]
    export_filename = "stations"


class PostViewSet(ScopedModelViewSet):
    model = Post
    scope = staticmethod(lambda *, user: Post.objects.all())
    icon = "tag"
    menu_label = _("Posts")
    list_display = ["name", "code", "sort_order"]
    form_fields = ["name", "code", "sort_order"]


class TeacherViewSet(ScopedModelViewSet):
    model = Teacher
    scope = staticmethod(lambda *, user: Teacher.objects.all())
    icon = "user"
    menu_label = _("Teachers")
    search_fields = ["name", "title"]
    list_display = ["name", "title"]
    list_export = ["name", "title"]
    form_fields = ["name", "title", "bio", "user"]


class CountyViewSetGroup(ViewSetGroup):
    menu_label = _("County and people")
    menu_icon = "group"
    menu_order = 200
    items = (PersonViewSet, VillageViewSet, TownshipViewSet, StationViewSet, PostViewSet, TeacherViewSet)


@hooks.register("register_admin_viewset")
def register_county_viewsets():
    return CountyViewSetGroup()
