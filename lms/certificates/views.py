"""Learners' certificate list and download, and the public verification page."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lms.core.files import private_file_response

from .selectors import certificate_by_code, certificate_of_user, certificates_of_user, class_hours_of_user


@login_required
def my_certificates(request):
    """The learner's certificates (mobile page)."""
    certificates = list(certificates_of_user(user=request.user))
    hours = class_hours_of_user(user=request.user, class_ids=[c.training_class_id for c in certificates])
    for certificate in certificates:
        certificate.credit_hours = hours.get(certificate.training_class_id, Decimal("0"))
    return render(request, "certificates/mine.html", {"certificates": certificates})


@login_required
def download(request, pk: int):
    """The learner's own valid certificate PDF; another learner's, or a revoked one, is 404."""
    certificate = certificate_of_user(user=request.user, pk=pk)
    if not certificate.pdf or not certificate.is_valid:
        raise Http404("no PDF, or the certificate is revoked")
    return private_file_response(request, certificate.pdf, filename=f"{certificate.serial}.pdf", attachment=True)


@never_cache
def verify(request, code: str):
    """Public page: who holds the certificate, for which class and dates, and whether it is valid."""
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", status=404)
    return render(request, "certificates/verify.html", {"certificate": certificate})
