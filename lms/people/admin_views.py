"""Admin views of the roster import: the upload page, its result, and the template download."""

import io
import secrets

from django import forms
from django.core.cache import cache
from django.core.validators import FileExtensionValidator
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.core.admin_pages import TitledBreadcrumbsMixin

from .roster_import import MAX_DATA_ROWS, MAX_FILE_BYTES, NewAccount
from .roster_import import roster_import as roster_import_service
from .roster_template import new_accounts_workbook, roster_template_workbook
from .selectors import organiser_township_id

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCOUNTS_CACHE_SECONDS = 60 * 60


def user_may_import_roster(user) -> bool:
    """Staff who may add cadres; a township organiser never imports, even if granted the permission."""
    return user.is_authenticated and user.has_perm("people.add_person") and organiser_township_id(user) is None


def accounts_download_store(*, accounts: list[NewAccount], user_id: int) -> str:
    """Keep the new accounts' sheet for one download by the importing user; return its token."""
    token = secrets.token_urlsafe(24)
    data = new_accounts_workbook(accounts=accounts)
    cache.set(_accounts_key(token), {"user_id": user_id, "data": data}, ACCOUNTS_CACHE_SECONDS)
    return token


def accounts_download_take(*, token: str, user_id: int) -> bytes | None:
    """The stored sheet, removed on the way out so it can be downloaded only once."""
    key = _accounts_key(token)
    entry = cache.get(key)
    if not entry or entry["user_id"] != user_id:
        return None
    cache.delete(key)
    return entry["data"]


def _accounts_key(token: str) -> str:
    return f"people:roster-accounts:{token}"


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        validators=[FileExtensionValidator(["xlsx"], message=_("Upload an Excel workbook ending in .xlsx."))],
        help_text=_("Use the roster template. At most %(rows)d cadres and %(mb)d MB per file.")
        % {"rows": MAX_DATA_ROWS, "mb": MAX_FILE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_TYPE}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB. Split the roster into several files.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class RosterImportView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, FormView):
    """Upload a roster; show every bad row, or what was imported and the new accounts."""

    template_name = "people/roster_import.html"
    result_template_name = "people/roster_import_result.html"
    form_class = RosterImportForm
    page_title = _("Import roster")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not user_may_import_roster(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("person:index"), "label": _("Cadres")},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, *args, **kwargs):
        token = request.GET.get("accounts")
        if token:
            return self._accounts_download(token)
        return super().get(request, *args, **kwargs)

    def _accounts_download(self, token: str):
        data = accounts_download_take(token=token, user_id=self.request.user.pk)
        if data is None:
            messages.error(
                self.request, _("That account sheet has already been downloaded or has expired.")
            )
            return redirect("person:import")
        return FileResponse(io.BytesIO(data), as_attachment=True, filename="学员初始密码.xlsx", content_type=XLSX_TYPE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("person:import"),
            template_url=reverse("person:import_template"),
            submit_button_label=_("Check and import"),
            submit_button_active_label=_("Importing…"),
            form_is_multipart=True,
        )
        return context

    def form_valid(self, form):
        result = roster_import_service(file=form.cleaned_data["file"], imported_by=self.request.user)
        if not result.ok:
            form.add_error(None, _("Nothing was imported: correct the rows below and upload the file again."))
            return self.render_to_response(self.get_context_data(form=form, errors=result.errors), status=200)
        token = None
        if result.new_accounts:
            token = accounts_download_store(accounts=result.new_accounts, user_id=self.request.user.pk)
        context = self.get_context_data(form=self.form_class(), result=result, accounts_token=token)
        context["index_url"] = reverse("person:index")
        return self.response_class(
            request=self.request, template=[self.result_template_name], context=context, using=self.template_engine
        )


roster_import = RosterImportView.as_view()


def roster_template(request):
    """Download the blank roster template (.xlsx)."""
    if not user_may_import_roster(request.user):
        return permission_denied(request)
    return FileResponse(
        io.BytesIO(roster_template_workbook()), as_attachment=True, filename="干部花名册模板.xlsx",
        content_type=XLSX_TYPE,
    )

