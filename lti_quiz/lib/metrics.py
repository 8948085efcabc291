"""Prometheus metrics, served at /metrics to whoever holds METRICS_TOKEN or comes from
METRICS_ALLOWED_IPS (404 when neither is set: metrics off; 403 to anyone else).

prometheus_client directly rather than django-prometheus: gunicorn runs several worker
processes, and a scrape reaches one of them, so counters and histograms must be summed across
processes; prometheus_client's multiprocess mode does that (PROMETHEUS_MULTIPROC_DIR, set by
`make serve`: every process writes its values to files there, the scrape adds them up).
django-prometheus exports through the same mechanism but brings some forty metrics of its own,
wraps the database and cache backends (which we replace: lib/redis_cache.py) and needs its
middleware at both ends of the chain; what operations need here is five figures.

Collectors read at scrape time are named in settings.METRICS_COLLECTORS (the grades room's
reads the delivery queue from the database, so every process reports the same truth whoever
answers the scrape).
"""

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

# One line per request (LOG_REQUESTS=1, what `make serve` sets): method, view, status and time,
# under the request's id; the URL is left out (a launch id in it is a secret).
request_logger = logging.getLogger("lti_quiz.request")

REQUEST_SECONDS = Histogram(
    "lti_quiz_request_seconds",
    "Time to answer a request, by view (its URL name) and method.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
LAUNCHES = Counter("lti_quiz_launches", "LTI launches accepted (id_token POSTs answered).")
SUBMITS = Counter("lti_quiz_submits", "Final quiz submits accepted.")

# A view's URL name and the method whose accepted answer counts as a launch or a submit.
_LAUNCH = ("lti:launch", "POST")
_SUBMIT = ("activity:quiz", "POST")


class MetricsMiddleware:
    """Times every request by view; counts accepted launches and submits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match is not None else "unresolved"
        seconds = time.perf_counter() - started
        REQUEST_SECONDS.labels(view=view, method=request.method or "").observe(seconds)
        if settings.LOG_REQUESTS:
            request_logger.info(
                "%s %s %s",
                request.method,
                view,
                response.status_code,
                extra={
                    "method": request.method,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
        if response.status_code < 400:
            if (view, request.method) == _LAUNCH:
                LAUNCHES.inc()
            elif (view, request.method) == _SUBMIT:
                SUBMITS.inc()
        return response


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUEST_SECONDS, LAUNCHES, SUBMITS):
            registry.register(collector)
    for path in settings.METRICS_COLLECTORS:
        registry.register(import_string(path)())
    return registry


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@require_GET
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format, for the scraper only."""
    if not settings.METRICS_TOKEN and not settings.METRICS_ALLOWED_NETWORKS:
        raise Http404("Metrics are off: set METRICS_TOKEN or METRICS_ALLOWED_IPS.")
    if not _allowed(request):
        return HttpResponseForbidden(
            gettext("The metrics are only for the scraper: send its bearer token.")
        )
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
