"""Admin pages: the inbox of staff, officers and organisers; bulk announcements with progress; the SMS file log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from lms.accounts.roles import STAFF, user_has_role

from .forms import AnnouncementForm
from .models import Announcement
from .selectors import announcement_recipients, inbox_for_user, message_for_user
from .services import announcement_create, message_mark_read, messages_mark_all_read
from .sms.console import sms_file_lines

PER_PAGE = 30


def staff_only(user) -> None:
    if not (user.is_superuser or user_has_role(user, STAFF)):
        raise PermissionDenied


class _Crumbs:
    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class AdminInboxView(_Crumbs, WagtailAdminTemplateMixin, TemplateView):
    """The signed-in person's own messages (staff, officers, organisers)."""

    template_name = "notifications/admin/inbox.html"
    page_title = gettext_lazy("Messages")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = Paginator(inbox_for_user(user=self.request.user), PER_PAGE).get_page(
            self.request.GET.get("page"))
        return context


@require_POST
def admin_message_open(request, pk: int):
    """Mark the message read and open the page it concerns."""
    message = message_mark_read(message=message_for_user(user=request.user, pk=pk))
    if message.url and url_has_allowed_host_and_scheme(message.url, None):
        return redirect(message.url)
    return redirect("notifications_admin:inbox")


@require_POST
def admin_read_all(request):
    messages_mark_all_read(user=request.user)
    return redirect("notifications_admin:inbox")


class AnnouncementView(_Crumbs, WagtailAdminTemplateMixin, TemplateView):
    """Write an announcement, preview how many learners it reaches, then send it."""

    template_name = "notifications/admin/announce.html"
    page_title = gettext_lazy("New announcement")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        staff_only(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AnnouncementForm())
        context["recent"] = Announcement.objects.select_related("created_by")[:10]
        return context

    def post(self, request, *args, **kwargs):
        form = AnnouncementForm(request.POST)
        context = {"form": form}
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("action") != "send":
                context["preview_count"] = announcement_recipients(
                    audience=data["audience"], training_class=data["training_class"], township=data["township"]
                ).count()
            else:
                try:
                    announcement = announcement_create(by=request.user, **data)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Sending to %(count)s learners.") % {"count": announcement.total})
                    return redirect("notifications_admin:announcement", announcement.pk)
        return self.render_to_response(self.get_context_data(**context))


class AnnouncementProgressView(_Crumbs, WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/admin/announcement.html"
    page_title = gettext_lazy("Announcement")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        staff_only(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["announcement"] = get_object_or_404(Announcement, pk=self.kwargs["pk"])
        return context


def announcement_progress(request, pk: int):
    """How far sending has come, for the progress bar."""
    staff_only(request.user)
    a = get_object_or_404(Announcement, pk=pk)
    return JsonResponse({"done": a.done, "total": a.total, "percent": a.percent, "finished": a.state == a.State.SENT})


class SmsLogView(_Crumbs, WagtailAdminTemplateMixin, TemplateView):
    """Today's SMS written by the built-in file backend (what real phones would have received)."""

    template_name = "notifications/admin/sms_log.html"
    page_title = gettext_lazy("SMS written to file today")
    header_icon = "mobile-alt"

    def dispatch(self, request, *args, **kwargs):
        staff_only(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = sms_file_lines()
        return context
