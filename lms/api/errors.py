"""API errors: JSON with a stable code and a Chinese message, whatever went wrong."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class ApiError(Exception):
    """An error with its HTTP status, stable code and message."""

    def __init__(self, status: int, code: str, message: str, errors: list | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors or []


class Throttled(ApiError):
    def __init__(self, retry_after: int):
        super().__init__(429, "rate_limited", _("Too many requests; wait a minute and try again."))
        self.retry_after = retry_after


def forbidden(message: str | None = None) -> ApiError:
    """The caller's role may not use this endpoint."""
    return ApiError(403, "forbidden", message or _("Your role may not use this endpoint."))


def _body(code: str, message: str, errors: list | None = None) -> dict:
    body = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return body


def _field_error(error: dict) -> dict:
    """Pydantic's {loc, msg} or the paginator's {name: message} as {field, message}."""
    if "loc" in error:
        return {"field": ".".join(str(p) for p in error["loc"][1:]), "message": error.get("msg", "")}
    field, message = next(iter(error.items()), ("", ""))
    if field == "cursor":
        message = _("The cursor is not valid; start again from the first page.")
    return {"field": str(field), "message": str(message)}


def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        response = api.create_response(request, _body(exc.code, exc.message, exc.errors), status=exc.status)
        if isinstance(exc, Throttled):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, _body("unauthenticated", _("Sign in, or send a valid API token (Authorization: Bearer …).")),
            status=401,
        )

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        errors = [_field_error(e) for e in exc.errors]
        return api.create_response(request, _body("invalid", _("The request is not valid."), errors), status=422)

    @api.exception_handler(ValidationError)
    def refused(request, exc: ValidationError):
        errors = [{"field": "", "message": str(m)} for m in exc.messages]
        return api.create_response(request, _body("refused", "；".join(exc.messages), errors), status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, _body("not_found", _("Not found.")), status=404)

    @api.exception_handler(PermissionDenied)
    def denied(request, exc):
        return api.create_response(request, _body("forbidden", _("Your role may not use this endpoint.")), status=403)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed"}.get(exc.status_code, "error")
        return api.create_response(request, _body(code, str(exc.message)), status=exc.status_code)
