"""The health page (database, broker and whether a worker answers) and the site icon."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.translation import gettext as _

from .health import broker_status, jobs_status, worker_status


def health(request):
    """Report each dependency; 200 when the database and broker answer, else 503."""
    checks = {"database": _database_status(), "broker": broker_status(), "worker": worker_status()}
    if checks["database"]["ok"]:
        checks["jobs"] = jobs_status()
    healthy = checks["database"]["ok"] and checks["broker"]["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "detail": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return {"ok": False, "detail": _("Database unreachable: %(error)s") % {"error": exc}}


def favicon(request):
    """Browsers ask for /favicon.ico on every page; send them to the static (cached) icon."""
    return redirect(static("favicon.ico"), permanent=True)
