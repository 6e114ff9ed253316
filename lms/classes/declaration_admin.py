"""Staff pages for 学时 declarations: the queue with evidence, and approve / adjust / refuse with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.core.admin_pages import TitledBreadcrumbsMixin
from lms.people.selectors import people_visible_to

from .declarations import declaration_decide
from .models import CreditDeclaration
from .scoping import is_school_staff


def declarations_visible_to(*, user):
    """Declarations of the cadres the user may see."""
    return CreditDeclaration.objects.filter(person__in=people_visible_to(user=user)).select_related(
        "person__village__township", "credit_type", "decided_by")


class DeclarationsView(TitledBreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView):
    """Waiting declarations first, then the latest decided ones."""

    template_name = "classes/admin/declarations.html"
    page_title = gettext_lazy("Study-hour declarations")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = declarations_visible_to(user=self.request.user)
        context.update(
            pending=list(qs.filter(state=CreditDeclaration.State.PENDING).order_by("created_at")[:100]),
            decided=list(qs.exclude(state=CreditDeclaration.State.PENDING).order_by("-decided_at")[:30]),
            may_write=is_school_staff(self.request.user),
        )
        return context


def declaration_evidence_view(request, pk: int):
    """The evidence file, for staff and organisers in scope."""
    declaration = get_object_or_404(declarations_visible_to(user=request.user), pk=pk)
    if not declaration.evidence:
        raise Http404
    return FileResponse(declaration.evidence.open("rb"), filename=declaration.evidence.name.rsplit("/", 1)[-1])


@require_POST
def declaration_decide_view(request, pk: int):
    """Approve as claimed, approve adjusted hours, or refuse; a reason where the learner needs one."""
    if not is_school_staff(request.user):
        raise Http404
    declaration = get_object_or_404(declarations_visible_to(user=request.user), pk=pk)
    try:
        declaration_decide(declaration=declaration, approve=request.POST.get("decision") == "approve",
                           by=request.user, hours=request.POST.get("hours", ""),
                           reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("classes_admin:declarations")
