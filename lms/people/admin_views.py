"""Admin views of the roster import (filled in by the roster import work)."""

from django.http import HttpResponse


def roster_import(request):
    return HttpResponse("TODO")


def roster_template(request):
    return HttpResponse("TODO")
