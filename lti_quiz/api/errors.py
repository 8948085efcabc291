"""The API's one error format, for every 4xx (and the rare 500):

    {"error": {"status": 400, "code": "invalid", "message": "A sentence a person can read.",
               "fields": {"choices": ["Mark exactly one choice correct."]}}}

`fields` maps each invalid field to its messages (nested fields as dotted paths such as
"choices.1.text"); it is {} when the error is not about fields. Quiz-room errors are mapped
to HTTP here and only here.
"""

import logging
import math
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from lti_quiz.lib.errors import DomainError, InvalidData

logger = logging.getLogger(__name__)

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it: fetch it again, then retry."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def error_body(
    status_code: int, code: str, message: str, fields: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "status": status_code,
            "code": code,
            "message": message,
            "fields": dict(fields or {}),
        }
    }


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"choices.1.text": ["..."]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            # A nested object's own errors ("not an object", "may not be empty") are its field's.
            path = (
                prefix if key == NON_FIELD and prefix else f"{prefix}.{key}" if prefix else str(key)
            )
            fields.update(flatten_errors(value, path))
    elif isinstance(detail, list | tuple):
        if all(isinstance(item, str) for item in detail):
            if detail:
                fields[prefix or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if isinstance(item, str):
                    fields.setdefault(prefix or NON_FIELD, []).append(str(item))
                elif item:
                    fields.update(
                        flatten_errors(item, f"{prefix}.{index}" if prefix else str(index))
                    )
    elif detail not in (None, ""):
        fields[prefix or NON_FIELD] = [str(detail)]
    return fields


def invalid_message(fields: Mapping[str, list[str]]) -> str:
    if len(fields) == 1:
        name, messages = next(iter(fields.items()))
        first = messages[0] if messages else "is invalid."
        return first if name == NON_FIELD else f"{name}: {first}"
    return f"{len(fields)} fields are invalid: {', '.join(fields)}."


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every exception out of an API view → the format."""
    headers: dict[str, str] = {}
    fields: dict[str, list[str]] = {}

    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(_too_big_message())
    elif isinstance(exc, RecursionError):
        # Python's JSON parser gives up on very deep nesting this way.
        exc = exceptions.ParseError("The JSON body is nested too deeply.")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        )

    if isinstance(exc, DomainError):
        # Each domain error says its status and code once (lib.errors).
        status_code, code, message = exc.status, exc.code, str(exc.message)
        if isinstance(exc, InvalidData):
            fields = {name: [str(m) for m in messages] for name, messages in exc.errors.items()}
    elif isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        status_code, code, message = exc.status_code, "invalid", invalid_message(fields)
    elif isinstance(exc, exceptions.APIException):
        status_code, code = exc.status_code, exc.default_code
        message = str(exc.detail) if not isinstance(exc.detail, list | dict) else exc.default_detail
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(math.ceil(exc.wait))  # type: ignore[attr-defined]
    elif isinstance(exc, IntegrityError):
        # A unique constraint lost a race with a concurrent request (the services check first).
        logger.warning("API request hit an integrity error: %s", exc)
        status_code, code = status.HTTP_409_CONFLICT, "conflict"
        message = "Another change got there first: reload and try again."
    else:
        logger.exception("Unhandled error in API view %s", context.get("view"))
        status_code, code = status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error"
        message = "Something went wrong on our side; the error has been logged."

    set_rollback()
    return Response(error_body(status_code, code, message, fields), status_code, headers=headers)


def _too_big_message() -> str:
    """Django's RequestDataTooBig: a form field or JSON body past DATA_UPLOAD_MAX_MEMORY_SIZE
    (question files have their own limit, checked in `files`)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    size = f"{limit / 2**20:.1f} MB" if limit >= 2**20 else f"{limit:,} bytes"
    return (
        f"The request body is larger than {size} (DATA_UPLOAD_MAX_MEMORY_SIZE). A question "
        "file goes to /api/v1/banks/{id}/import/ as the body or as a multipart file upload."
    )


@csrf_exempt  # it changes nothing; a CSRF 403 page would hide the real answer
def not_found_view(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown URLs under /api/ answer in the API's format instead of an HTML page."""
    message = f"There is no API endpoint at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.view_name != "api:not-found":
            message += f" Did you mean {request.path}/ (with a trailing slash)?"
    return JsonResponse(error_body(404, "not_found", message), status=404)
