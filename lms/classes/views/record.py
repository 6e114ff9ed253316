"""The training record (学习档案): on the learner's phone, for staff in scope, as Excel and PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lms.core.numbers import parse_year

from ..exports import pdf_available, record_workbook, render_pdf
from ..records import category_label, record_for
from .access import own_person, record_person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    return parse_year(request.GET.get("year"))


def _page(request, person, own: bool):
    record = record_for(person=person, year=_year(request))
    return render(request, "classes/record.html", {
        "record": record, "own": own, "pdf": pdf_available(),
        "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        "labels": {"concentrated": category_label("concentrated"), "online": category_label("online")},
    })


def _download(request, person, kind: str):
    record = record_for(person=person, year=_year(request))
    name = f"record-{person.pk}-{record.year}"
    if kind == "pdf":
        if not pdf_available():
            raise Http404
        body = render_pdf(template="classes/record_pdf.html", context={
            "record": record, "labels": {"concentrated": category_label("concentrated"),
                                         "online": category_label("online")}})
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(record_workbook(record=record), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def my_record(request):
    """The learner's own record for a year."""
    return _page(request, own_person(request), own=True)


@login_required
def my_record_download(request, kind: str):
    """The learner's own record as Excel or PDF."""
    return _download(request, own_person(request), kind)


@login_required
def person_record(request, pk: int):
    """Anyone's record in the user's scope (others are 404)."""
    return _page(request, record_person(request, pk), own=False)


@login_required
def person_record_download(request, pk: int, kind: str):
    """Anyone's record in scope as Excel or PDF."""
    return _download(request, record_person(request, pk), kind)
