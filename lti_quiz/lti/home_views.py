import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What this tool is and the URLs an LMS admin enters to register it."""
    urls = {
        "login": request.build_absolute_uri(reverse("lti:login")),
        "launch": request.build_absolute_uri(reverse("lti:launch")),
        "jwks": request.build_absolute_uri(reverse("lti:jwks")),
    }
    return render(request, "lti/home.html", {"urls": urls, "practice_lms": settings.PRACTICE_LMS})


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: the database and the shared cache answer; and how
    far behind grade delivery is (queue depth, age of the oldest pending delivery in seconds),
    which never makes the check fail by itself."""
    checks: dict[str, object] = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        for path in settings.HEALTH_REPORTS:
            checks.update(import_string(path)())
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        checks["database"] = "unavailable"
    try:
        cache.set("health-check", "ok", 10)
        if cache.get("health-check") != "ok":
            checks["cache"] = "unavailable"
    except Exception:  # a cache backend raises its own errors (Redis ConnectionError, ...)
        logger.exception("Health check: the cache does not answer")
        checks["cache"] = "unavailable"
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    return JsonResponse(checks, status=200 if healthy else 503)
