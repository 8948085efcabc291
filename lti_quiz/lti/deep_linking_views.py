"""The deep linking picker: /lti/deep-link/<id>/ (GET shows it, POST answers the platform).

The id in the URL is the secret (an iframe in the LMS may not get our cookies back), as for the
activity pages; it is single use: the answer is sent once.
"""

import logging
import typing as t

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_quiz.lti import errors
from lti_quiz.lti.claims import Claim
from lti_quiz.lti.context import roles_are_staff
from lti_quiz.lti.deep_linking import (
    DeepLinkInvalid,
    content_item,
    deep_link_request_forget,
    deep_link_request_load,
    deep_link_request_save,
    link_settings_parse,
    quiz_options,
    response_jwt,
)
from lti_quiz.lti.framing import lms_framed
from lti_quiz.lti.gradebook import default_review_scores
from lti_quiz.lti.models import Registration
from lti_quiz.lti.platforms import platform_family
from lti_quiz.lti.refusals import refusal_page
from lti_quiz.quiz.models import ReviewScores, ScoringPolicy

logger = logging.getLogger(__name__)


class DeepLinkingNotStaff(errors.LtiLaunchError):
    status = 403
    message = _(
        "Only instructors can add the quiz to a course. Ask your instructor, or open the quiz "
        "from the course page."
    )


class DeepLinkingRequestInvalid(errors.LtiLaunchError):
    message = _(
        "The LMS asked for content in a way the quiz tool cannot answer (it must accept a "
        "resource link and say where to send it). Tell your LMS administrator."
    )


def deep_link_start(
    request: HttpRequest, *, registration: Registration, claims: dict[str, t.Any]
) -> HttpResponse:
    """A validated LtiDeepLinkingRequest: staff go on to the picker; anyone else is refused."""
    roles = claims.get(Claim.ROLES) or []
    if not roles_are_staff(roles):
        raise DeepLinkingNotStaff(f"deep linking request with roles {roles!r}")
    try:
        deep_link_id = deep_link_request_save(registration=registration, claims=claims)
    except DeepLinkInvalid as error:
        raise DeepLinkingRequestInvalid(str(error)) from error
    logger.info("LTI deep linking request %s from registration %s", deep_link_id, registration.pk)
    return HttpResponseRedirect(reverse("lti:deep_link", args=[deep_link_id]), status=303)


def _expired(request: HttpRequest) -> HttpResponse:
    return refusal_page(
        request,
        "This page was already used or has timed out. Go back to your course and add the "
        "activity again.",
        status=404,
        title="This selection has expired",
    )


@csrf_exempt  # see the module docstring: the id in the URL is the secret
@require_http_methods(["GET", "POST"])
@lms_framed
def picker(request: HttpRequest, deep_link_id: str) -> HttpResponse:
    dl_request = deep_link_request_load(deep_link_id)
    registration = (
        Registration.objects.active().filter(pk=dl_request.registration_id).first()
        if dl_request
        else None
    )
    if dl_request is None or registration is None:
        return _expired(request)
    options = quiz_options()
    first = options[0]["quiz"] if options else None
    family = platform_family(registration.platform_family)
    context: dict[str, t.Any] = {
        "options": options,
        "policies": ScoringPolicy.choices,
        "review_choices": ReviewScores.choices,
        "family": family,
        # The form starts from the quiz's own settings and what suits this LMS: adding it
        # unchanged is one click.
        "values": {
            "attempts_allowed": str(first.attempts_allowed) if first else "0",
            "scoring_policy": first.scoring_policy if first else "",
            "shuffle_choices": ("true" if first.shuffle_choices else "false") if first else "",
            "review_scores": default_review_scores(family),
        },
    }
    if request.method == "GET":
        return render(request, "lti/deep_linking/picker.html", context)
    try:
        link = link_settings_parse(request.POST)
    except DeepLinkInvalid as error:
        logger.warning("Deep linking picker %s refused: %s", deep_link_id, error)
        context.update(error=str(error), values=request.POST)
        return render(request, "lti/deep_linking/picker.html", context, status=400)
    item = content_item(link=link, launch_url=request.build_absolute_uri(reverse("lti:launch")))
    token = response_jwt(request=dl_request, registration=registration, items=[item])
    deep_link_request_forget(deep_link_id)
    logger.info(
        "LTI deep linking response %s: quiz %s, custom %s",
        deep_link_id,
        link.quiz.slug,
        link.custom,
    )
    return render(
        request,
        "lti/deep_linking/autopost.html",
        {"action": dl_request.return_url, "jwt": token, "title": link.quiz.title},
    )
