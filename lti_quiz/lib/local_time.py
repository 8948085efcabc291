"""`{{ when|local_time }}`: a moment as a person reads it, in the active time zone, labelled.

It renders `<time datetime="…Z">5 Dec 2026, 14:30 UTC</time>`: the machine-readable instant in
UTC, and the text in the zone the launch named (its custom `timezone` parameter) or in UTC with
that label. static/lti_quiz/local_times.js then rewrites UTC texts in the browser's own zone.
"""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def zone_label(moment: dt.datetime) -> str:
    """ "UTC", or the zone's abbreviation ("CET"), or its name where it has no letters ("-03")."""
    abbreviation = moment.tzname() or ""
    zone = timezone.get_current_timezone()
    if abbreviation == "UTC" or (abbreviation.isalpha() and abbreviation.isupper()):
        return abbreviation
    return getattr(zone, "key", "") or abbreviation


@register.filter(is_safe=True)
def local_time(value: dt.datetime | None, style: str = "DATETIME_FORMAT") -> SafeString | str:
    """A `<time>` element for an aware datetime; "" for None (nothing happened yet)."""
    if not isinstance(value, dt.datetime):
        return ""
    instant = value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
    shown = timezone.localtime(instant)
    return format_html(
        '<time datetime="{}">{} {}</time>',
        instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        formats.date_format(shown, style),
        zone_label(shown),
    )
