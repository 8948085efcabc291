"""The language and time zone a launch asks for, limited to what the tool ships.

Language: the launch's `launch_presentation.locale` claim (LTI 1.3 §5.4.4, "language, country
and variant as represented using the IETF Best Practices for Tags for Identifying Languages
(BCP-47)"), then the browser's Accept-Language, then English. A region the tool has no catalog
for falls back to its language (`es-MX` → `es`); Moodle spells locales with an underscore
(`fr_ca`), which is read the same way.

Time zone: LTI 1.3 has no time zone claim. A custom parameter `timezone` carries one when the
platform substitutes it (Canvas: `timezone=$Person.address.timezone`); anything that is not an
IANA zone name the server knows (an unsubstituted `$Person.address.timezone`, a typo) is ignored
and the pages fall back to UTC, labelled, which the browser then shows in its own zone.
"""

import zoneinfo

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from lti_quiz.lti.claims import Claim

TIME_ZONE_PARAMETER = "timezone"
MAX_TAG = 35  # BCP 47 tags in practice; RFC 5646 §4.4.1 asks implementations to take 35


def language_supported(tag: str) -> str | None:
    """The shipped language code for a BCP 47 tag (`es-MX` → `es`), or None."""
    if not isinstance(tag, str) or not 0 < len(tag) <= MAX_TAG:
        return None
    try:
        return translation.get_supported_language_variant(tag.strip().replace("_", "-").lower())
    except LookupError:
        return None


def language_for_launch(*, locale: str, request: HttpRequest | None = None) -> str:
    """The language of a page under a launch: the launch's locale, else Accept-Language, else
    the default. Cookies and the URL are not consulted: a launch page must not change language
    because another tab of the same browser chose one."""
    found = language_supported(locale)
    if found:
        return found
    if request is not None:
        header = request.headers.get("Accept-Language", "")
        for tag, _quality in parse_accept_lang_header(header):
            if tag != "*" and (found := language_supported(tag)):
                return found
    return language_supported(settings.LANGUAGE_CODE) or "en"


def locale_from_claims(claims: dict) -> str:
    """The raw locale the launch names ("" when none, or when it is not text)."""
    presentation = claims.get(Claim.LAUNCH_PRESENTATION)
    locale = presentation.get("locale") if isinstance(presentation, dict) else None
    return locale[:MAX_TAG] if isinstance(locale, str) else ""


def time_zone_named(name: object) -> zoneinfo.ZoneInfo | None:
    """The IANA time zone called `name`, or None for anything else (never an error)."""
    if not isinstance(name, str) or not 0 < len(name) <= 64 or name.startswith(("/", ".")):
        return None
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def time_zone_for_launch(custom: dict[str, str]) -> zoneinfo.ZoneInfo | None:
    """The zone the launch's custom `timezone` parameter names, if it is a real one."""
    return time_zone_named(custom.get(TIME_ZONE_PARAMETER))
