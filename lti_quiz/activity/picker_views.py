"""The deep linking picker: /lti/deep-link/<id>/ (GET shows it, POST answers the platform).

The id in the URL is the secret (an iframe in the LMS may not get our cookies back), as for the
activity pages; it is single use: the answer is sent once.
"""

import logging
import typing as t

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lti_quiz.activity.errors import DeepLinkExpired
from lti_quiz.activity.gradebook import default_review_scores
from lti_quiz.activity.guards import refused
from lti_quiz.activity.picker import content_item, link_settings_parse, quiz_options
from lti_quiz.lti.deep_linking import (
    DeepLinkInvalid,
    deep_link_request_forget,
    deep_link_request_load,
    response_jwt,
)
from lti_quiz.lti.framing import lms_framed
from lti_quiz.lti.models import Registration
from lti_quiz.lti.platforms import platform_family
from lti_quiz.quiz.models import ReviewScores, ReviewWhen, ScoringPolicy
from lti_quiz.quiz.placement_rules import review_parts, rules_as_text

logger = logging.getLogger(__name__)


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
        return refused(request, DeepLinkExpired())
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
            "one_question_per_page": "false",
        },
    }
    context["review_when"] = ReviewWhen.choices
    _rules_context(context, rules_as_text(None, request.POST if request.method == "POST" else None))
    if request.method == "GET":
        return render(request, "activity/deep_linking/picker.html", context)
    try:
        link = link_settings_parse(request.POST)
    except DeepLinkInvalid as error:
        logger.warning("Deep linking picker %s refused: %s", deep_link_id, error)
        context.update(error=str(error), values=request.POST)
        return render(request, "activity/deep_linking/picker.html", context, status=400)
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
        "activity/deep_linking/autopost.html",
        {"action": dl_request.return_url, "jwt": token, "title": link.quiz.title},
    )


def _rules_context(context: dict[str, t.Any], texts: dict[str, str]) -> None:
    context.update(rules=texts, review_parts=review_parts(texts))
