"""Let the registered platforms (and only them) show our pages in an iframe.

Django answers `X-Frame-Options: DENY` by default, which breaks every LMS that embeds the tool
(Canvas always does). Pages shown inside the LMS use `lms_framed` instead: no X-Frame-Options, and
`Content-Security-Policy: frame-ancestors 'self' <platform origins>`, the origins of the active
registrations (issuer, login URL, extra frame origins) and never one taken from a request.
A refusal page that offers nothing to do may be framed by anyone (`framed_by_anyone`).
"""

import functools
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseBase

from lti_quiz.lti import registry
from lti_quiz.lti.models import Registration

# A DNS name or IPv4 address; `*.` is allowed in front for admin-entered frame origins
# (https://*.instructure.com). Anything else would let junk into the CSP header.
_HOST = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_IPV6 = re.compile(r"^[0-9a-f:.]+$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str, *, allow_wildcard: bool = False) -> str | None:
    """scheme://host[:port] of an http(s) URL, or None when it is not one."""
    # Only scheme, host (checked against _HOST) and a numeric port reach the header, so a
    # junk line cannot inject another CSP directive.
    parts = urlsplit((url or "").strip())
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in _DEFAULT_PORTS or not host:
        return None
    if _IPV6.match(host) and ":" in host:
        host = f"[{host}]"
    elif not _HOST.match(host) or (host.startswith("*.") and not allow_wildcard):
        return None
    if port is not None and port != _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}:{port}"
    return f"{parts.scheme}://{host}"


def _origins_of_registration(issuer: str, auth_login_url: str, frame_origins: str) -> Iterable[str]:
    for url in (issuer, auth_login_url):
        if origin := origin_of(url):
            yield origin
    for line in frame_origins.splitlines():
        if origin := origin_of(line, allow_wildcard=True):
            yield origin


def registered_frame_origins() -> list[str]:
    """Origins of every active registration, sorted (read on every framed page: remembered per
    process, see registry.py)."""

    def load() -> list[str]:
        rows = Registration.objects.active().values_list(
            "issuer", "auth_login_url", "frame_origins"
        )
        return sorted({origin for row in rows for origin in _origins_of_registration(*row)})

    return registry.remembered(("frame-origins",), load)


def frame_ancestors() -> str:
    return " ".join(["frame-ancestors", "'self'", *registered_frame_origins()])


def framed_by_anyone(response: HttpResponseBase) -> HttpResponseBase:
    """For a page that grants nothing and offers no action: any LMS may show it."""
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


def lms_framed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a view whose page may be shown inside a registered platform's iframe."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        # Read by XFrameOptionsMiddleware: it then sends no X-Frame-Options header.
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
        directive = frame_ancestors()
        existing = response.get("Content-Security-Policy", "")
        if "frame-ancestors" not in existing:
            response["Content-Security-Policy"] = (
                f"{existing.rstrip('; ')}; {directive}" if existing.strip() else directive
            )
        return response

    return wrapper
