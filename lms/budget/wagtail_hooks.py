"""A menu entry in the Wagtail admin leading to the budget dashboard."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import sees_budget_reports


class BudgetMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_budget_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_budget_menu_item():
    return BudgetMenuItem(_("Training budget"), reverse("budget:dashboard"), icon_name="table", order=410)
