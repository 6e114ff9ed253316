"""API tokens in the Wagtail admin, for Party school staff."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.classes.scoping import is_school_staff

from . import admin_views


class TokensMenuItem(MenuItem):
    def is_shown(self, request):
        return is_school_staff(request.user)


_urls = [
    path("", admin_views.tokens, name="index"),
    path("<int:pk>/revoke/", admin_views.token_revoke_view, name="revoke"),
]


@hooks.register("register_admin_urls")
def register_token_urls():
    return [path("api-tokens/", include((_urls, "api_tokens"), namespace="api_tokens"))]


@hooks.register("register_settings_menu_item")
def register_tokens_menu_item():
    return TokensMenuItem(_("API tokens"), reverse("api_tokens:index"), icon_name="key", order=900)
