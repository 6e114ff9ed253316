"""The audit page in the Wagtail admin, for budget officers and Party school staff."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .selectors import may_read_audit_log


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_audit_log(request.user)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include((urls, "audit"), namespace="audit"))]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(_("Audit log"), reverse("audit:entries"), icon_name="history", order=900)
