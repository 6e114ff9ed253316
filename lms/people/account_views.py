"""Admin pages for sign-in accounts: issue for a selection, the one-time password sheet, one cadre's account."""

import io

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from lms.classes import api as classes_api

from .admin_views import XLSX_TYPE, accounts_download_store
from .county_profile import county_profile
from .models import Person, Post, Township
from .roster_import import NewAccount
from .roster_template import new_accounts_workbook
from .selectors import organiser_township_id, people_visible_to
from .sign_in_accounts import account_deactivate, account_password_reset, account_reactivate, accounts_issue

SHEET_SECONDS = 60 * 60


def user_may_manage_accounts(user) -> bool:
    """Party school staff who may change cadres; a township organiser only reads."""
    return user.is_authenticated and user.has_perm("people.change_person") and organiser_township_id(user) is None


class AccountSelectionForm(forms.Form):
    """Which cadres: any mix of a township, a post and a class; nothing chosen means every cadre in office."""

    township = forms.ModelChoiceField(label=_("Township or town"), queryset=Township.objects.all(), required=False)
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.all(), required=False)
    training_class = forms.ModelChoiceField(
        label=_("Training class"), required=False,
        queryset=classes_api.classes_for_choice(),
    )

    def people(self):
        """The selected cadres in office."""
        qs = Person.objects.filter(is_active=True)
        data = self.cleaned_data
        if data.get("township"):
            qs = qs.filter(village__township=data["township"])
        if data.get("post"):
            qs = qs.filter(posts=data["post"])
        if data.get("training_class"):
            qs = qs.filter(classes_api.enrolled_in(data["training_class"]))
        return qs.distinct()


def _sheet_key(token: str) -> str:
    return f"people:account-sheet:{token}"


def _sheet_store(*, accounts, user_id: int) -> str:
    """Keep the printable sheet (and the Excel one) for the issuing user for an hour."""
    token = accounts_download_store(accounts=accounts, user_id=user_id)
    cache.set(_sheet_key(token), {"user_id": user_id, "accounts": [(a.name, a.phone, a.password) for a in accounts]},
              SHEET_SECONDS)
    return token


def _sheet_take(*, token: str, user_id: int):
    entry = cache.get(_sheet_key(token))
    if not entry or entry["user_id"] != user_id:
        return None
    return entry["accounts"]


def accounts_issue_view(request):
    """Choose cadres, see how many lack an account, then issue them all in one action."""
    if not user_may_manage_accounts(request.user):
        return permission_denied(request)
    form = AccountSelectionForm(request.POST if request.method == "POST" else request.GET or None)
    preview = None
    if form.is_bound and form.is_valid():
        people = form.people()
        preview = {"selected": people.count(), "without": people.filter(user__isnull=True).count()}
        if request.method == "POST":
            result = accounts_issue(people=people, by=request.user)
            token = _sheet_store(accounts=result.issued, user_id=request.user.pk) if result.issued else None
            return render(request, "people/accounts_issued.html", {
                "page_title": _("Accounts issued"), "result": result, "token": token,
                "index_url": reverse("person:index"),
            })
    return render(request, "people/accounts_issue.html", {
        "page_title": _("Issue sign-in accounts"), "form": form, "preview": preview,
    })


def accounts_sheet_view(request, token: str):
    """The one-time passwords, as a printable page or (format=xlsx) an Excel workbook, for the issuing user."""
    if not user_may_manage_accounts(request.user):
        return permission_denied(request)
    rows = _sheet_take(token=token, user_id=request.user.pk)
    if rows is None:
        raise Http404(_("That password sheet has expired: reset the passwords of those who did not get one."))
    if request.GET.get("format") == "xlsx":
        data = new_accounts_workbook(accounts=[NewAccount(*row) for row in rows])
        return FileResponse(io.BytesIO(data), as_attachment=True, filename="学员初始密码.xlsx", content_type=XLSX_TYPE)
    return render(request, "people/accounts_sheet.html", {"rows": rows})


def account_view(request, pk: int):
    """One cadre's sign-in account: issue, reset the password, deactivate a leaver or reactivate."""
    if not user_may_manage_accounts(request.user):
        return permission_denied(request)
    person = get_object_or_404(Person.objects.select_related("user", "village__township"), pk=pk)
    return render(request, "people/account.html", {
        "page_title": _("Sign-in account of %(name)s") % {"name": person.name}, "person": person,
        "new_account": None,
    })


@require_POST
def account_action_view(request, pk: int, action: str):
    """Run one account action from the account page; the new password (if any) is shown once."""
    if not user_may_manage_accounts(request.user):
        return permission_denied(request)
    person = get_object_or_404(Person, pk=pk)
    new_account = None
    try:
        if action == "issue":
            result = accounts_issue(people=Person.objects.filter(pk=person.pk), by=request.user)
            if result.skipped:
                raise ValidationError(result.skipped[0][2])
            new_account = result.issued[0] if result.issued else None
        elif action == "reset":
            new_account = account_password_reset(person=person, by=request.user)
        elif action == "deactivate":
            account_deactivate(person=person, by=request.user)
            messages.success(request, _("%(name)s is out of office and can no longer sign in.") % {"name": person.name})
        elif action == "reactivate":
            account_reactivate(person=person, by=request.user)
            messages.success(request, _("%(name)s is in office again and may sign in.") % {"name": person.name})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if new_account is None:
        return redirect("person:account", pk=person.pk)
    person.refresh_from_db()
    return render(request, "people/account.html", {
        "page_title": _("Sign-in account of %(name)s") % {"name": person.name}, "person": person,
        "new_account": new_account,
    })


def county_profile_view(request):
    """The county profile page: education, age, 一肩挑, stars and stations, from the data."""
    if not (request.user.is_authenticated and request.user.has_perm("people.view_person")):
        return permission_denied(request)
    return render(request, "people/county_profile.html", {
        "page_title": _("County profile"), "profile": county_profile(people=people_visible_to(user=request.user)),
    })
