"""The audit page of the admin: filter entries by person, object, action, path and date; export to Excel."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.core.admin_pages import TitledBreadcrumbsMixin

from .context import CHANNEL_LABELS
from .exports import MAX_EXPORT_ROWS, audit_workbook
from .retention import retention_days
from .selectors import (
    ACTION_LABELS,
    AuditFilters,
    audit_entries,
    entry_action_label,
    entry_actor_name,
    entry_changes,
    entry_channel_label,
    may_read_audit_log,
    model_choices,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person (name or sign-in name)"), required=False, max_length=150)
    model = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)
    action = forms.ChoiceField(label=_("Action"), required=False)
    channel = forms.ChoiceField(label=_("Path"), required=False)
    date_from = forms.DateField(label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["model"].choices = everything + model_choices()
        self.fields["action"].choices = everything + list(ACTION_LABELS.items())
        self.fields["channel"].choices = everything + list(CHANNEL_LABELS.items())

    def filters(self) -> AuditFilters:
        """The valid filters (an invalid date is ignored and reported by the form)."""
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilters(**{name: data.get(name) or (None if name.startswith("date") else "")
                               for name in AuditFilters.__dataclass_fields__})


class AuditLogView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Entries newest first, fifty to a page; `?export=xlsx` downloads the filtered entries."""

    template_name = "audit/entries.html"
    page_title = _("Audit log")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not may_read_audit_log(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = AuditFilterForm(request.GET or None)
        self.entries = audit_entries(filters=self.form.filters() if request.GET else AuditFilters())
        if request.GET.get("export") == "xlsx":
            return self._export()
        return super().get(request, *args, **kwargs)

    def _export(self):
        data = audit_workbook(entries=self.entries[:MAX_EXPORT_ROWS])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.entries, PER_PAGE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("export", None)
        context.update(
            form=self.form,
            page=page,
            rows=[self._row(entry) for entry in page],
            query=query.urlencode(),
            export_url=f"{reverse('audit:entries')}?{query.urlencode()}&export=xlsx".replace("?&", "?"),
            retention_days=retention_days(),
        )
        return context

    @staticmethod
    def _row(entry) -> dict:
        model = entry.content_type.model_class()
        extra = entry.additional_data or {}
        return {
            "entry": entry,
            "actor": entry_actor_name(entry),
            "role": extra.get("role", ""),
            "action": entry_action_label(entry),
            "model": model._meta.verbose_name if model else "",
            "changes": entry_changes(entry),
            "channel": entry_channel_label(entry),
            "path": extra.get("path", ""),
        }


audit_log = AuditLogView.as_view()
