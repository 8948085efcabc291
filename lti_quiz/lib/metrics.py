"""Prometheus metrics, served at /metrics to whoever holds METRICS_TOKEN or comes from
METRICS_ALLOWED_IPS (404 when neither is set: metrics off; 403 to anyone else).

prometheus_client directly rather than django-prometheus: gunicorn runs several worker
processes, and a scrape reaches one of them, so counters and histograms must be summed across
processes; prometheus_client's multiprocess mode does that (PROMETHEUS_MULTIPROC_DIR, set by
`make serve`: every process writes its values to files there, the scrape adds them up).
django-prometheus exports through the same mechanism but brings some forty metrics of its own,
wraps the database and cache backends (which we replace: lib/redis_cache.py) and needs its
middleware at both ends of the chain; what operations need here is five figures.

The figures about grade delivery are read from the database at scrape time, so every process
reports the same truth whoever answers the scrape: deliveries by state, queue depth (deliveries
pending) and the age of the oldest pending one.
"""

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

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


def delivery_queue() -> dict[str, object]:
    """Queue depth (grade deliveries pending) and the age in seconds of the oldest pending one
    (0 when none): what /health/ and /metrics report."""
    from lti_quiz.grades.models import GradeDelivery

    pending = GradeDelivery.objects.pending().aggregate(depth=Count("pk"), oldest=Min("created_at"))
    oldest = pending["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
    return {"queue_depth": pending["depth"], "oldest_pending_seconds": round(max(age, 0.0), 3)}


class DeliveryCollector(Collector):
    """Grade-delivery figures read from the database when scraped."""

    def collect(self) -> Iterable[Metric]:
        from lti_quiz.grades.models import GradeDelivery

        by_state = GaugeMetricFamily(
            "lti_quiz_grade_deliveries", "Grade deliveries by state.", labels=["state"]
        )
        counts = dict(GradeDelivery.objects.values_list("state").annotate(n=Count("pk")).order_by())
        for state in GradeDelivery.State.values:
            by_state.add_metric([state], counts.get(state, 0))
        yield by_state
        queue = delivery_queue()
        yield GaugeMetricFamily(
            "lti_quiz_grade_queue_depth",
            "Grade deliveries waiting to be sent.",
            value=float(queue["queue_depth"]),  # type: ignore[arg-type]
        )
        yield GaugeMetricFamily(
            "lti_quiz_grade_oldest_pending_seconds",
            "Age of the oldest grade delivery waiting to be sent (0 when none).",
            value=float(queue["oldest_pending_seconds"]),  # type: ignore[arg-type]
        )


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUEST_SECONDS, LAUNCHES, SUBMITS):
            registry.register(collector)
    registry.register(DeliveryCollector())
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
        return HttpResponseForbidden("Metrics need the bearer token or an allowed address.")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
