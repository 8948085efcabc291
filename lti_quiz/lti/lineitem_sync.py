"""Keeping a link's line item (its gradebook column) in step with the placement.

Spec: AGS 2.0 §3.2 (the line item service); how Moodle and Canvas take a PUT: docs/grades.md.
"""

from decimal import Decimal

import requests
from django.core.cache import cache

from lti_quiz.lti.ags import (
    ANSWER_LIMIT,
    LINEITEM_CACHE_SECONDS,
    AgsClient,
    PlatformAnswer,
    ServiceError,
    lineitem_cache_key,
    lineitem_forget_found,
    lineitem_url_for,
)
from lti_quiz.lti.models import ResourceLink


def lineitem_publish(
    *,
    resource_link: ResourceLink,
    label: str,
    score_maximum: Decimal,
    session: requests.Session | None = None,
) -> PlatformAnswer:
    """Bring the link's line item to this label and maximum. A link whose line item does not
    exist yet gets one created with them (there is nothing to update). Raises ServiceError."""
    client = AgsClient(
        registration=resource_link.registration, scopes=resource_link.ags_scopes, session=session
    )
    lineitem_url = lineitem_url_for(
        resource_link=resource_link, client=client, score_maximum=score_maximum, create=False
    )
    if lineitem_url is None:
        created = client.lineitem_create(
            lineitems_url=resource_link.lineitems_url,
            resource_link_id=resource_link.resource_link_id,
            label=label,
            score_maximum=score_maximum,
        )
        cache.set(lineitem_cache_key(resource_link), created, timeout=LINEITEM_CACHE_SECONDS)
        return PlatformAnswer(status=201, body=created[:ANSWER_LIMIT])
    try:
        return client.lineitem_update(
            lineitem_url=lineitem_url, label=label, score_maximum=score_maximum
        )
    except ServiceError as exc:
        lineitem_forget_found(resource_link, exc)
        raise
