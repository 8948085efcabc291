"""OAuth 2 access tokens the platform issues, and the Bearer check on its service endpoints."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from lti_quiz.practice_lms.models import AccessToken, ToolRecord, token_digest

TOKEN_LIFETIME = 3600


@dataclass(frozen=True)
class IssuedToken:
    token: str
    scopes: tuple[str, ...]
    expires_in: int


def access_token_issue(*, tool: ToolRecord, scopes: list[str]) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    AccessToken.objects.create(
        tool=tool,
        token_hash=token_digest(token),
        scopes=" ".join(scopes),
        expires_at=timezone.now() + timedelta(seconds=TOKEN_LIFETIME),
    )
    return IssuedToken(token=token, scopes=tuple(scopes), expires_in=TOKEN_LIFETIME)


class ServiceError(Exception):
    """A service request the platform refuses: HTTP status and a message in words."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        response = JsonResponse({"error": self.message}, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def bearer_check(request: HttpRequest, *, any_of: tuple[str, ...]) -> AccessToken:
    """The request's access token, if it is live and carries one of the `any_of` scopes."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ServiceError(
            401,
            "An access token is required: send 'Authorization: Bearer <token>'.",
            {"WWW-Authenticate": 'Bearer realm="practice-lms"'},
        )
    access = AccessToken.objects.find(token.strip())
    if access is None or access.is_expired:
        raise ServiceError(
            401,
            "The access token is unknown or expired: request a new one.",
            {"WWW-Authenticate": 'Bearer realm="practice-lms", error="invalid_token"'},
        )
    if not access.scope_set & set(any_of):
        raise ServiceError(
            403,
            f"The access token lacks the scope this needs (one of: {', '.join(any_of)}).",
            {"WWW-Authenticate": 'Bearer realm="practice-lms", error="insufficient_scope"'},
        )
    return access


def type_id_check(request: HttpRequest, access: AccessToken) -> None:
    """Service URLs carry ?type_id=<tool> (like Moodle's): refuse calls that lost it."""
    type_id = request.GET.get("type_id", "")
    if type_id != str(access.tool_id):
        raise ServiceError(
            403,
            f"type_id must be {access.tool_id}, got {type_id!r}: use the service URL exactly as "
            "given, and insert path segments (like /scores) before its query string.",
        )
