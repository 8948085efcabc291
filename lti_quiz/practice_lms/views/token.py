"""The OAuth 2 token endpoint: client_credentials with a signed JWT assertion (RFC 7523)."""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lti_quiz.practice_lms import endpoints, vocab
from lti_quiz.practice_lms.access import access_token_issue
from lti_quiz.practice_lms.assertions import ClientAssertionError, client_assertion_verify
from lti_quiz.practice_lms.models import Counter

logger = logging.getLogger("lti_quiz.practice_lms")


def oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    logger.warning("practice LMS token request refused: %s: %s", error, description)
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    Counter.bump(Counter.TOKEN_REQUESTS)
    form = request.POST
    if form.get("grant_type") != "client_credentials":
        return oauth_error(
            "unsupported_grant_type",
            f"grant_type must be 'client_credentials', got {form.get('grant_type')!r}.",
        )
    if form.get("client_assertion_type") != vocab.JWT_BEARER:
        return oauth_error(
            "invalid_request",
            f"client_assertion_type must be {vocab.JWT_BEARER!r}, "
            f"got {form.get('client_assertion_type')!r}.",
        )
    if not form.get("client_assertion"):
        return oauth_error("invalid_request", "client_assertion is missing.")
    scopes = form.get("scope", "").split()
    if not scopes:
        return oauth_error("invalid_scope", "scope is missing: ask for the scopes you need.")
    unknown = [scope for scope in scopes if scope not in vocab.ALLOWED_SCOPES]
    if unknown:
        return oauth_error(
            "invalid_scope", f"Scopes not granted to this tool: {', '.join(unknown)}."
        )

    try:
        tool = client_assertion_verify(
            form["client_assertion"], token_url=endpoints.token_url(request)
        )
    except ClientAssertionError as exc:
        return oauth_error("invalid_client", str(exc), status=401)

    issued = access_token_issue(tool=tool, scopes=list(dict.fromkeys(scopes)))
    response = JsonResponse(
        {
            "access_token": issued.token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "scope": " ".join(issued.scopes),
        }
    )
    response["Cache-Control"] = "no-store"
    return response
