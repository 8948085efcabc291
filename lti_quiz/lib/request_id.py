"""The request id: one string that ties together every log line of a request, and of the grade
delivery the request queued (the delivery keeps it; the worker logs under it).

Taken from an incoming X-Request-ID header when it is well formed (a proxy or load balancer in
front sets one), otherwise made here; sent back in the response's X-Request-ID.
"""

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Letters, digits and a few separators, 8 to 64 characters: what proxies send (UUIDs, hex,
# AWS's "Root=1-..."), never anything that could break a log line or a header.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+-]{7,63}")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request (or grade delivery) being handled, "" outside of one."""
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(header: str | None) -> str:
    """The incoming header's value if it is well formed, else a new id."""
    if header and WELL_FORMED.fullmatch(header):
        return header
    return new_request_id()


@contextlib.contextmanager
def bound_request_id(request_id: str) -> Iterator[None]:
    """Log under `request_id` inside the block (a worker handling a delivery)."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    """First in the chain: every later log line of the request carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        with bound_request_id(request_id):
            response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record (empty outside a request), for any formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # django.request logs a refused request after the middleware has returned: the id
            # is then read from the request the record carries.
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", "")
        return True
