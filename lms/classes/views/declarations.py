"""学时 declarations: the learner's page to declare outside study with evidence and follow each decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..declarations import MAX_EVIDENCE_BYTES, declaration_submit, hours_counted
from ..models import CreditDeclaration, CreditType
from .access import own_person


@login_required
def my_declarations(request):
    """Declare outside study (what, when, how much, type, evidence); see each declaration's state and reason."""
    person = own_person(request)
    error = None
    if request.method == "POST":
        try:
            declaration_submit(
                person=person, credit_type_id=request.POST.get("credit_type", ""),
                title=request.POST.get("title", ""), studied_on=request.POST.get("studied_on", ""),
                units=request.POST.get("units", ""), evidence=request.FILES.get("evidence"),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your declaration was sent; staff will review the evidence."))
            return redirect("classes:declarations")
    year = timezone.localdate().year
    types = list(CreditType.objects.filter(declarable=True))
    for credit_type in types:
        credit_type.left = None if credit_type.yearly_cap is None else max(
            credit_type.yearly_cap - hours_counted(person=person, credit_type=credit_type, year=year), 0)
    declarations = CreditDeclaration.objects.filter(person=person).select_related("credit_type")[:50]
    return render(request, "classes/declarations.html", {
        "types": types, "declarations": declarations, "error": error, "data": request.POST,
        "max_mb": MAX_EVIDENCE_BYTES // (1024 * 1024), "today": timezone.localdate(),
    }, status=400 if error else 200)
