"""Staff pages in the Wagtail admin: classes, per-learner rules, issue runs with progress, zip, revoke."""

import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.accounts.roles import STAFF, user_has_role
from lms.accounts.scope import record_people
from lms.people.models import Person

from . import services
from .bundles import bundle_progress, certificate_bundle_start
from .models import Certificate, CertificateBundle, ClassCertificateRules, IssueBatch
from .rules import completion_for_class, rules_for_class
from .selectors import batch_progress, certificates_visible_to, classes_visible_to

CLASSES_PER_PAGE = 30


def _staff_only(user) -> None:
    if not (user.is_superuser or user_has_role(user, STAFF)):
        raise PermissionDenied


class ClassListView(WagtailAdminTemplateMixin, TemplateView):
    """Classes with their certificate counts."""

    template_name = "certificates/admin/class_list.html"
    page_title = gettext_lazy("Completion certificates")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = classes_visible_to(user=self.request.user).annotate(
            issued=Count("certificates", filter=Q(certificates__revoked_at__isnull=True))
        ).order_by("-year", "-ends_on", "name")
        context["page"] = Paginator(qs, CLASSES_PER_PAGE).get_page(self.request.GET.get("page"))
        return context


class ClassDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One class: each learner's rules, met or not and why, their certificate, and the issue run."""

    template_name = "certificates/admin/class_detail.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.training_class = get_object_or_404(classes_visible_to(user=request.user), pk=kwargs["class_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.training_class)

    def get_breadcrumbs_items(self):
        from django.urls import reverse

        return self.breadcrumbs_items + [
            {"url": reverse("certificates_admin:index"), "label": _("Completion certificates")},
            {"url": "", "label": str(self.training_class)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tc = self.training_class
        certificates = {c.person_id: c for c in certificates_visible_to(user=self.request.user).filter(
            training_class=tc)}
        in_scope = set(record_people(self.request.user).filter(enrolments__training_class=tc).values_list(
            "pk", flat=True))
        rows = [
            {"completion": row, "certificate": certificates.get(row.person.pk)}
            for row in completion_for_class(training_class=tc) if row.person.pk in in_scope
        ]
        own_rules = ClassCertificateRules.objects.filter(training_class=tc).first()
        context.update(
            own_rules=own_rules, training_class=tc, rows=rows, rules=rules_for_class(training_class=tc),
            is_closed=tc.state == tc.State.CLOSED,
            may_write=self.request.user.is_superuser or user_has_role(self.request.user, STAFF),
            batch=IssueBatch.objects.filter(training_class=tc).first(),
            bundle=CertificateBundle.objects.filter(training_class=tc).first(),
            eligible=sum(1 for row in rows if row["completion"].eligible),
            issued=sum(1 for c in certificates.values() if c.is_valid),
        )
        return context


JOB_DELAYED = gettext_lazy("The issue run is saved, but the background service does not answer just now. It starts "
                           "by itself when the service is back; nothing needs to be done again.")


def _class_for(request, class_id: int):
    return get_object_or_404(classes_visible_to(user=request.user), pk=class_id)


@require_POST
def batch_start(request, class_id: int):
    """Start the issue job for a closed class."""
    _staff_only(request.user)
    training_class = _class_for(request, class_id)
    try:
        batch = services.certificate_batch_start(training_class=training_class, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if batch.dispatch.sent is False:
            messages.warning(request, JOB_DELAYED)
        else:
            messages.success(request, _("Issuing certificates: the progress is shown below."))
    return redirect("certificates_admin:class", class_id=class_id)


def batch_status(request, batch_id: int):
    """JSON progress of an issue run, polled by the progress bar."""
    batch = get_object_or_404(
        IssueBatch.objects.filter(training_class__in=classes_visible_to(user=request.user)), pk=batch_id
    )
    return JsonResponse(batch_progress(batch=batch))


@require_POST
def issue_by_hand(request, class_id: int, person_id: int):
    """Issue one learner's certificate by hand, with a reason."""
    _staff_only(request.user)
    training_class = _class_for(request, class_id)
    person = get_object_or_404(Person, pk=person_id)
    try:
        certificate = services.certificate_issue_by_hand(
            training_class=training_class, person=person, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Certificate %(serial)s issued.") % {"serial": certificate.serial})
    return redirect("certificates_admin:class", class_id=class_id)


@require_POST
def revoke(request, pk: int):
    """Revoke a certificate with a reason."""
    _staff_only(request.user)
    certificate = get_object_or_404(
        Certificate.objects.filter(training_class__in=classes_visible_to(user=request.user)), pk=pk
    )
    try:
        services.certificate_revoke(certificate=certificate, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Certificate %(serial)s revoked.") % {"serial": certificate.serial})
    return redirect("certificates_admin:class", class_id=certificate.training_class_id)


def class_zip(request, class_id: int):
    """Every valid certificate PDF of a class in one zip."""
    training_class = _class_for(request, class_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for certificate in certificates_visible_to(user=request.user).filter(training_class=training_class,
                                                                         revoked_at__isnull=True):
            if certificate.pdf:
                with certificate.pdf.open("rb") as handle:
                    archive.writestr(f"{certificate.number:03d}-{certificate.holder_name}.pdf", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    filename = f"certificates-{training_class.year}-{training_class.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def bundle_start(request, class_id: int):
    """Start building the class's certificate bundle (zip with a manifest) in the worker."""
    _staff_only(request.user)
    training_class = _class_for(request, class_id)
    certificate_bundle_start(training_class=training_class, user=request.user)
    messages.success(request, _("Building the zip of all certificates: the progress is shown below."))
    return redirect("certificates_admin:class", class_id=class_id)


def _visible_bundle(request, bundle_id: int) -> CertificateBundle:
    return get_object_or_404(
        CertificateBundle.objects.filter(training_class__in=classes_visible_to(user=request.user)), pk=bundle_id)


def bundle_status(request, bundle_id: int):
    """JSON progress of a bundle, polled by the progress bar."""
    return JsonResponse(bundle_progress(bundle=_visible_bundle(request, bundle_id)))


def bundle_download(request, bundle_id: int):
    """The finished zip of a bundle."""
    bundle = _visible_bundle(request, bundle_id)
    if bundle.state != CertificateBundle.State.DONE or not bundle.file:
        raise Http404("the bundle is not ready")
    tc = bundle.training_class
    return FileResponse(bundle.file.open("rb"), as_attachment=True, content_type="application/zip",
                        filename=f"certificates-{tc.year}-{tc.pk}.zip")
