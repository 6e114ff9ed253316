"""The inbox (消息中心) on the learner portal, and each person's notification preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.roles import is_learner_only

from .catalogue import Category
from .forms import QuietHoursForm
from .selectors import inbox_for_user, message_for_user, preference_rows, quiet_hours_for
from .services import message_mark_read, messages_mark_all_read, preferences_save

PER_PAGE = 20


@login_required
def inbox(request):
    """The person's messages, newest first, unread ones marked."""
    page = Paginator(inbox_for_user(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def message_detail(request, pk: int):
    """One message in full (reading it here does not mark it read: the button does)."""
    return render(request, "notifications/detail.html", {"message": message_for_user(user=request.user, pk=pk)})


@login_required
@require_POST
def message_open(request, pk: int):
    """Mark the message read and go to the page it concerns."""
    message = message_mark_read(message=message_for_user(user=request.user, pk=pk))
    target = message.url if message.url and url_has_allowed_host_and_scheme(message.url, None) else None
    return redirect(target or "notifications:detail", *([] if target else [message.pk]))


@login_required
@require_POST
def read_all(request):
    count = messages_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s messages marked read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    """Channels per message type, quiet hours and the daily SMS cap."""
    rows = preference_rows(user=request.user)
    if is_learner_only(request.user):
        rows = [r for r in rows if r["type"].category != Category.STAFF]
    quiet = quiet_hours_for(user=request.user)
    form = QuietHoursForm(request.POST or None, instance=quiet)
    if request.method == "POST" and form.is_valid():
        choices = {r["type"].pk: tuple(f"{ch}_{r['type'].pk}" in request.POST for ch in ("in_app", "sms", "email"))
                   for r in rows}
        try:
            preferences_save(user=request.user, choices=choices, quiet_start=form.cleaned_data["starts_at"],
                             quiet_end=form.cleaned_data["ends_at"], daily_sms_cap=form.cleaned_data["daily_sms_cap"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"rows": rows, "form": form})
