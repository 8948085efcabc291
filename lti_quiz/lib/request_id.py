"""The request id: one string that ties together every log line of a request, and of the grade
delivery the request queued (the delivery keeps it; the worker logs under it).

A page opened by a launch also logs the launch's own request id (`launch_request_id`): the
launch context keeps it, so the login, the launch, every page after it, the submit and the
grade delivery's send are found by one search, however many requests they took.

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
_launch: contextvars.ContextVar[str] = contextvars.ContextVar("launch_request_id", default="")


def current_request_id() -> str:
    """The id of the request (or grade delivery) being handled, "" outside of one."""
    return _current.get()


def current_launch_request_id() -> str:
    """The request id of the launch the current page belongs to, "" outside of one."""
    return _launch.get()


def launch_request_id_bind(launch_request_id: str) -> None:
    """For the rest of the current request: its page belongs to this launch. The request's
    middleware unbinds it when the request ends."""
    _launch.set(launch_request_id)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(header: str | None) -> str:
    """The incoming header's value if it is well formed, else a new id."""
    if header and WELL_FORMED.fullmatch(header):
        return header
    return new_request_id()


@contextlib.contextmanager
def bound_request_id(request_id: str, launch_request_id: str = "") -> Iterator[None]:
    """Log under `request_id` (and the launch's) inside the block: a request, or a worker
    handling a delivery."""
    token, launch_token = _current.set(request_id), _launch.set(launch_request_id)
    try:
        yield
    finally:
        _current.reset(token)
        _launch.reset(launch_token)


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
    """Puts `request_id` and `launch_request_id` on every record (empty outside a request or a
    launch), for any formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not getattr(record, "launch_request_id", ""):
            record.launch_request_id = current_launch_request_id() or getattr(
                request, "launch_request_id", ""
            )
        if not getattr(record, "request_id", ""):
            # django.request logs a refused request after the middleware has returned: the id
            # is then read from the request the record carries.
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", "")
        return True
