"""One error format for the whole API: ``{"code", "message", "fields"}``.

Every expected failure (bad JSON, schema errors, missing token, role, unknown id,
conflicts) is turned into a 4xx JSON body here; nothing a client sends may cause a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from amiable.core.errors import ApplicationError, ErrorCode

logger = logging.getLogger(__name__)

BODY_FIELD = "body"
QUERY_PARAM = "params"  # every list handler names its query schema so


def error_response(
    *,
    status: int,
    code: str,
    message: str,
    fields: Mapping[str, Sequence[str]] | None = None,
) -> JsonResponse:
    """The JSON error body every failure uses."""
    body = {
        "code": str(code),
        "message": str(message),
        "fields": {
            key: [str(item) for item in value] for key, value in (fields or {}).items()
        },
    }
    response = JsonResponse(
        body, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _field_path(loc: Sequence[Any]) -> str:
    """('body', 'payload', 'lines', 0, 'quantity') -> 'lines.0.quantity'."""
    parts = list(loc)
    source = parts.pop(0) if parts else BODY_FIELD
    if source in {"body", "form"} and parts:
        parts.pop(0)  # the handler's body (or JSON-or-form) parameter name
    elif source == "query" and len(parts) > 1 and parts[0] == QUERY_PARAM:
        parts.pop(0)  # the handler's query schema parameter name
    path = ".".join(str(part) for part in parts)
    return path or (BODY_FIELD if source in {"body", "form"} else str(source))


def _ctx(error: Mapping[str, Any], name: str) -> Any:
    return (error.get("ctx") or {}).get(name, "")


# Pydantic's messages are English only: the ones a client meets most, in the
# client's language. Others (rare) keep pydantic's text.
_MESSAGE_GROUPS: dict[tuple[str, ...], Callable[[Mapping[str, Any]], str]] = {
    ("missing",): lambda e: _("This field is required."),
    ("extra_forbidden",): lambda e: _("Unknown field."),
    ("model_attributes_type", "dict_type", "model_type"): lambda e: _(
        "Expected a JSON object."
    ),
    ("list_type",): lambda e: _("Expected a list."),
    ("string_type",): lambda e: _("Expected a text."),
    ("int_type", "int_parsing", "int_from_float"): lambda e: _(
        "Expected a whole number."
    ),
    ("float_type", "float_parsing"): lambda e: _("Expected a number."),
    ("decimal_type", "decimal_parsing"): lambda e: _("Expected a decimal number."),
    ("bool_type", "bool_parsing"): lambda e: _("Expected true or false."),
    ("date_type", "date_parsing", "date_from_datetime_parsing"): lambda e: _(
        "Expected a date (YYYY-MM-DD)."
    ),
    ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"): lambda e: _(
        "Expected a date and time (ISO 8601)."
    ),
    ("uuid_parsing",): lambda e: _("Expected a UUID."),
    ("url_parsing",): lambda e: _("Enter a valid URL."),
    ("json_invalid",): lambda e: _("The request body is not valid JSON."),
    ("string_too_long",): lambda e: (
        _("At most %(count)s characters.") % {"count": _ctx(e, "max_length")}
    ),
    ("string_too_short",): lambda e: (
        _("At least %(count)s characters.") % {"count": _ctx(e, "min_length")}
    ),
    ("too_long",): lambda e: (
        _("At most %(count)s items.") % {"count": _ctx(e, "max_length")}
    ),
    ("too_short",): lambda e: (
        _("At least %(count)s items.") % {"count": _ctx(e, "min_length")}
    ),
    ("greater_than",): lambda e: (
        _("Must be greater than %(limit)s.") % {"limit": _ctx(e, "gt")}
    ),
    ("greater_than_equal",): lambda e: (
        _("Must be at least %(limit)s.") % {"limit": _ctx(e, "ge")}
    ),
    ("less_than",): lambda e: (
        _("Must be less than %(limit)s.") % {"limit": _ctx(e, "lt")}
    ),
    ("less_than_equal",): lambda e: (
        _("Must be at most %(limit)s.") % {"limit": _ctx(e, "le")}
    ),
    ("enum", "literal_error"): lambda e: (
        _("Expected one of: %(choices)s.") % {"choices": _ctx(e, "expected")}
    ),
}
_MESSAGES = {
    kind: message for kinds, message in _MESSAGE_GROUPS.items() for kind in kinds
}


def validation_fields(errors: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Group pydantic/ninja errors by dotted field path."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        path = _field_path(error.get("loc", ()))
        translate = _MESSAGES.get(str(error.get("type", "")))
        message = translate(error) if translate else str(error.get("msg", ""))
        message = message.removeprefix("Value error, ")
        fields.setdefault(path, []).append(message)
    return fields


def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return error_response(
        status=exc.status, code=exc.code, message=exc.message, fields=exc.fields
    )


def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(
        status=422,
        code=ErrorCode.VALIDATION,
        message=_("The request is not valid."),
        fields=validation_fields(exc.errors),
    )


def _authentication_error(
    request: HttpRequest, exc: AuthenticationError
) -> HttpResponse:
    return error_response(
        status=401,
        code=ErrorCode.NOT_AUTHENTICATED,
        message=_("Authentication required: send a valid bearer token."),
    )


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        return error_response(
            status=429, code=ErrorCode.RATE_LIMITED, message=_("Too many requests.")
        )
    if exc.status_code == 400:
        return error_response(
            status=400,
            code=ErrorCode.MALFORMED,
            message=_("The request body is not valid JSON."),
        )
    if exc.status_code == 401:
        return _authentication_error(request, AuthenticationError())
    if exc.status_code == 403:
        return error_response(
            status=403,
            code=ErrorCode.PERMISSION_DENIED,
            message=_("CSRF check failed.")
            if "CSRF" in exc.message
            else _("You are not allowed to do this."),
        )
    if exc.status_code == 404:
        return _not_found(request, Http404())
    return error_response(
        status=exc.status_code, code="http_error", message=exc.message
    )


def _unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A multipart body without its boundary, or one past Django's size limits.
    return error_response(
        status=400,
        code=ErrorCode.MALFORMED,
        message=_("The request body cannot be read."),
    )


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(status=404, code=ErrorCode.NOT_FOUND, message=_("Not found."))


def _django_validation_error(
    request: HttpRequest, exc: DjangoValidationError
) -> HttpResponse:
    fields = (
        {
            name: [str(m) for m in messages]
            for name, messages in exc.message_dict.items()
        }
        if hasattr(exc, "error_dict")
        else {}
    )
    return error_response(
        status=422,
        code=ErrorCode.VALIDATION,
        message=" ".join(str(message) for message in exc.messages),
        fields=fields,
    )


def _integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Services check uniqueness first; this catches the race they cannot see.
    logger.warning("Integrity error mapped to 409: %s", exc)
    return error_response(
        status=409,
        code=ErrorCode.DUPLICATE,
        message=_("This conflicts with an existing record."),
    )


def _unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected API error on %s %s", request.method, request.path)
    return error_response(
        status=500,
        code="server_error",
        message=_("Something went wrong on our side. It has been logged."),
    )


Handler = Callable[[HttpRequest, Any], HttpResponse]
HANDLERS: list[tuple[type[Exception], Handler]] = [
    (ApplicationError, _application_error),
    (NinjaValidationError, _validation_error),
    (AuthenticationError, _authentication_error),
    (HttpError, _http_error),
    (Http404, _not_found),
    (DjangoValidationError, _django_validation_error),
    (IntegrityError, _integrity_error),
    (MultiPartParserError, _unreadable_body),
    (RequestDataTooBig, _unreadable_body),
    (TooManyFieldsSent, _unreadable_body),
    (Exception, _unexpected_error),
]


def install_error_handlers(api: NinjaAPI) -> None:
    """Register every mapping on ``api`` (the most specific class wins)."""
    for exception_class, handler in HANDLERS:
        api.add_exception_handler(exception_class, handler)


def method_not_allowed(allowed: Sequence[str]) -> JsonResponse:
    response = error_response(
        status=405,
        code="method_not_allowed",
        message=_("This method is not allowed here."),
    )
    response["Allow"] = ", ".join(sorted(allowed))
    return response


def path_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """The catch-all under /api/v1/: an unknown path is a JSON 404 too."""
    return error_response(status=404, code=ErrorCode.NOT_FOUND, message=_("Not found."))
