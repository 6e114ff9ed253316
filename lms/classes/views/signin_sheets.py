"""Staff pages of sign-in sheets: download the A4 PDF, upload the signed scan, open a kept scan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..models import SignInSheetScan
from ..signin_sheets import MAX_SCAN_BYTES, signin_sheet_pdf, signin_sheet_scan_upload
from .access import staff_session


@login_required
def sheet_pdf(request, pk: int):
    """The session's A4 sign-in sheet to print."""
    session = staff_session(request, pk)
    response = HttpResponse(signin_sheet_pdf(session=session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-in-sheet-{session.date:%Y%m%d}-{session.pk}.pdf"'
    return response


@login_required
def sheet_page(request, pk: int):
    """Print the sheet; afterwards upload the signed scan (PDF, JPG or PNG up to 10 MB)."""
    session = staff_session(request, pk)
    error = None
    if request.method == "POST":
        try:
            signin_sheet_scan_upload(session=session, upload=request.FILES.get("scan"), by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The signed sheet was kept as evidence of this session's sign-in."))
            return redirect("classes:signin_sheet", pk=session.pk)
    return render(request, "classes/signin_sheet.html", {
        "session": session, "scans": session.sheet_scans.select_related("uploaded_by"), "error": error,
        "max_mb": MAX_SCAN_BYTES // (1024 * 1024),
    }, status=400 if error else 200)


@login_required
def sheet_scan(request, pk: int):
    """One kept scan, served only to those who may mark the session (never from a public media URL)."""
    scan = get_object_or_404(SignInSheetScan.objects.select_related("session"), pk=pk)
    staff_session(request, scan.session_id)
    return FileResponse(scan.file.open("rb"), content_type=scan.content_type)
