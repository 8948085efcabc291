"""What an LMS administrator types in: /lti/login/ and /lti/launch/ (/lti/jwks/ is in keys.py).

Both are CSRF-exempt: the platform's browser form POST carries no Django CSRF token, and the
OIDC state (checked against its cookie) and the single-use nonce are what protect them.
"""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from pylti1p3.exception import LtiException, OIDCException

from lti_quiz.lti import errors
from lti_quiz.lti.claims import Claim, MessageType
from lti_quiz.lti.context import launch_context_create
from lti_quiz.lti.deep_linking import deep_link_request_accept
from lti_quiz.lti.framing import lms_framed
from lti_quiz.lti.languages import language_for_launch, locale_from_claims
from lti_quiz.lti.launch import LtiMessageLaunch, PlatformStorageNeeded
from lti_quiz.lti.login import LtiOidcLogin, restart_url
from lti_quiz.lti.refusals import error_page
from lti_quiz.lti.submission_review import submission_review_launch

logger = logging.getLogger(__name__)


def error_response(
    request: HttpRequest, error: errors.LtiLaunchError, **log: object
) -> HttpResponse:
    """The page a person sees for a refused login or launch; the reason goes to the log."""
    details = " ".join(f"{key}={value!r}" for key, value in log.items() if value)
    logger.warning(
        "LTI %s refused: %s: %s %s", request.path, type(error).__name__, error.reason, details
    )
    return error_page(request, error)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@lms_framed  # an error page here shows inside the LMS's iframe, not a blocked frame
def login(request: HttpRequest) -> HttpResponse:
    """Third-party initiated login (Security Framework §5.1.1.1): off to the platform's auth URL."""
    # redirect_uri must be exactly what the platform has registered as our launch URL.
    launch_url = request.build_absolute_uri(reverse("lti:launch"))
    try:
        oidc_login = LtiOidcLogin(request)
        response = oidc_login.redirect(launch_url)
        if oidc_login.storage:
            # Cookie-less iframes: the page stores state and nonce in the platform, then goes on
            # to the same auth URL. The cookie is still set for browsers that keep it.
            page = render(
                request,
                "lti/storage_login.html",
                {
                    "storage": {
                        "target": oidc_login.storage["target"],
                        "origin": oidc_login.storage["origin"],
                        "state": oidc_login.state,
                        "nonce": oidc_login.nonce,
                        "next": response["Location"],
                    }
                },
            )
            for cookie in response.cookies.values():
                page.cookies[cookie.key] = cookie
            return page
        return response
    except errors.LtiLaunchError as error:
        return error_response(request, error, iss=request.GET.get("iss") or request.POST.get("iss"))
    except (LtiException, OIDCException) as error:
        return error_response(request, errors.LoginRequestInvalid(str(error)))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@lms_framed
def launch(request: HttpRequest) -> HttpResponse:
    """Validate the id_token once, keep a LaunchContext, and send the browser to the activity."""
    if request.method in ("GET", "HEAD"):
        return _launch_url_explained(request)
    message_launch = LtiMessageLaunch(request)
    try:
        try:
            message_launch.validate()
        except PlatformStorageNeeded as needed:
            return _platform_storage_page(request, message_launch, needed)
        message_type = message_launch.message_type
        if message_type == MessageType.DEEP_LINKING:
            deep_link_id = deep_link_request_accept(
                registration=message_launch.registration.model,
                claims=message_launch.claims,
            )
            response = HttpResponseRedirect(
                reverse("activity:deep_link", args=[deep_link_id]), status=303
            )
            message_launch.update_response(response)
            return response
        if message_type == MessageType.SUBMISSION_REVIEW:
            # An instructor opened a learner's submission from the gradebook.
            context = submission_review_launch(
                registration=message_launch.registration.model, claims=message_launch.claims
            )
        elif message_type != MessageType.RESOURCE_LINK:
            raise errors.MessageTypeNotSupported(f"{message_type} is not handled")
        else:
            context = launch_context_create(
                registration=message_launch.registration.model, claims=message_launch.claims
            )
    except errors.LtiLaunchError as error:
        claims = message_launch.unverified_claims()
        # The refusal is said in the language the launch asked for: choosing a language is
        # all an unverified claim is trusted with.
        translation.activate(
            language_for_launch(locale=locale_from_claims(claims or {}), request=request)
        )
        return error_response(
            request,
            error,
            iss=claims.get("iss"),
            aud=claims.get("aud"),
            deployment_id=claims.get(Claim.DEPLOYMENT_ID),
            sub=claims.get("sub"),
        )
    except LtiException as error:
        return error_response(request, errors.LaunchTokenInvalid(str(error)))
    logger.info(
        "LTI launch %s: registration %s, link %s, sub %s, roles %s",
        context.launch_id,
        context.registration_id,
        context.resource_link_id,
        context.sub,
        list(context.roles),
    )
    # 303: the browser follows with a GET, so reloading the page never re-posts the id_token.
    url = (
        reverse("activity:submission", args=[context.launch_id])
        if context.message_type == MessageType.SUBMISSION_REVIEW
        else _activity_url(context.launch_id)
    )
    response = HttpResponseRedirect(url, status=303)
    message_launch.update_response(response)  # removes the used state cookie
    return response


def _platform_storage_page(
    request: HttpRequest, message_launch: LtiMessageLaunch, needed: PlatformStorageNeeded
) -> HttpResponse:
    """Ask the platform's storage frame for state and nonce, then re-post the launch with them.

    Nothing is trusted from this page: the re-posted launch runs every check, and the login
    state is consumed only then. If the platform does not answer, offer a new window.
    """
    storage = needed.login["storage"]
    nonce = message_launch.unverified_claims().get("nonce")
    login_params = storage.get("login_params") or {}
    return render(
        request,
        "lti/storage_launch.html",
        {
            "storage": {
                "target": storage["target"],
                "origin": storage["origin"],
                "state": needed.state,
                "nonce": nonce if isinstance(nonce, str) else "",
            },
            "id_token": request.POST.get("id_token", ""),
            "state": needed.state,
            "launch_url": reverse("lti:launch"),
            "new_window_url": restart_url(login_params),
        },
    )


def _launch_url_explained(request: HttpRequest) -> HttpResponse:
    """A GET of the launch URL: Moodle checks it this way on every save of a tool or activity
    ("MoodleBot"), admins paste it into a browser, link checkers send a HEAD. Say what the
    address is for."""
    logger.info(
        "%s of the launch URL (user agent %r): answered with what it is for",
        request.method,
        request.headers.get("User-Agent", "")[:200],
    )
    return render(request, "lti/launch_url.html")


def _activity_url(launch_id: str) -> str:
    return reverse("activity:home", args=[launch_id])
