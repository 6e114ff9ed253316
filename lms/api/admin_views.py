"""API tokens in the admin: staff create them for an account (the token is shown once), see their use, revoke them."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.classes.scoping import is_school_staff
from lms.core.admin_pages import TitledBreadcrumbsMixin

from .models import ApiToken
from .tokens import token_create, token_revoke

EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("One year")), ("", _("Never"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=80,
                           help_text=_("For example: 县委组织部干部信息库同步"))
    username = forms.CharField(label=_("Account the token acts as"), max_length=150,
                               help_text=_("The token has this account's role and sees only what it may see."))
    expires_in = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, required=False, initial="90")

    def clean_username(self):
        user = get_user_model().objects.filter(username=self.cleaned_data["username"].strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this sign-in name."))
        return user


class TokenListView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, FormView):
    """Every token with its account, creation, expiry, last use and state; the form creates a new one."""

    template_name = "api/tokens.html"
    form_class = TokenForm
    page_title = _("API tokens")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not is_school_staff(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"username": self.request.user.username, "expires_in": "90"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = ApiToken.objects.select_related("user", "created_by").order_by("-created_at")[:500]
        context["now"] = timezone.now()
        context["docs_url"] = "/api/v1/docs"
        return context

    def form_valid(self, form):
        days = form.cleaned_data["expires_in"]
        expires_at = timezone.now() + datetime.timedelta(days=int(days)) if days else None
        token, raw = token_create(user=form.cleaned_data["username"], name=form.cleaned_data["name"],
                                  by=self.request.user, expires_at=expires_at)
        context = self.get_context_data(form=self.form_class(initial=self.get_initial()), new_token=raw,
                                        new_token_obj=token)
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response


tokens = TokenListView.as_view()


@require_POST
def token_revoke_view(request, pk: int):
    """Revoke a token; it stops working at once."""
    if not is_school_staff(request.user):
        return permission_denied(request)
    token = get_object_or_404(ApiToken, pk=pk)
    token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect(reverse("api_tokens:index"))
