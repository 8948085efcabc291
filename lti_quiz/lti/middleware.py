"""Pages under a launch speak the launch's language and show times in its time zone.

A page a launch opens carries the launch id in its URL (`launch_id`, or `deep_link_id` for the
deep-linking picker): cookies do not survive an iframe with third-party cookies blocked, so the
language is read from the stored launch on every request, never from a cookie. Elsewhere (the
launch itself, registration, the API) Django's LocaleMiddleware, listed before this one, has
already chosen from Accept-Language.

A launch id that names nothing is left alone: the page's own guard refuses it, in the language
LocaleMiddleware chose.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from lti_quiz.lib.request_id import launch_request_id_bind
from lti_quiz.lti.context import launch_context_load
from lti_quiz.lti.deep_linking import deep_link_request_load
from lti_quiz.lti.languages import language_for_launch, time_zone_for_launch


class LaunchLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A zone activated for one request must not leak into the next one on this thread.
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        launch_id, deep_link_id = view_kwargs.get("launch_id"), view_kwargs.get("deep_link_id")
        if isinstance(launch_id, str) and (context := launch_context_load(launch_id)):
            launch_request_id_bind(context.launch_request_id)
            # For django.request's line about a refused page, logged after the request ended.
            request.launch_request_id = context.launch_request_id  # type: ignore[attr-defined]
            # The page's guard reads the launch from here: one cache read per page, not two.
            request.launch_context = context  # type: ignore[attr-defined]
            locale, zone = context.locale, time_zone_for_launch(context.custom)
        elif isinstance(deep_link_id, str) and (picking := deep_link_request_load(deep_link_id)):
            locale, zone = picking.locale, None
        else:
            return
        translation.activate(language_for_launch(locale=locale, request=request))
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        if zone is not None:
            timezone.activate(zone)
            # base.html tells local_times.js the zone is the launch's, not a UTC fallback.
            request.launch_time_zone = zone.key  # type: ignore[attr-defined]
