"""The 评教 results pages in the Wagtail admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.roles import ORGANISER, user_has_role
from lms.classes.scoping import is_school_staff

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", admin_views.ResultsView.as_view(), name="results"),
        path("export/", admin_views.results_export, name="export"),
        path("class/<int:pk>/", admin_views.ClassResultsView.as_view(), name="class"),
        path("class/<int:pk>/requirement/", admin_views.class_requirement, name="requirement"),
    ]
    return [path("evaluations/", include((urls, "evaluations_admin")))]


class _ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_school_staff(request.user) or user_has_role(request.user, ORGANISER)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return _ResultsMenuItem(_("Teaching evaluations"), reverse("evaluations_admin:results"), icon_name="pick",
                            order=313)
