"""Background tasks of the LTI room, run by `manage.py db_worker` (django-tasks-db)."""

import logging

from django_tasks import task

from lti_quiz.lti.models import ResourceLink
from lti_quiz.lti.roster import ServiceError, roster_refresh

logger = logging.getLogger(__name__)


@task()
def refresh_roster(resource_link_id: int) -> str:
    """Read a course's roster again (queued when a reader found it stale). A platform that
    fails leaves the kept roster in place: the next stale read queues another try."""
    resource_link = (
        ResourceLink.objects.select_related("registration").filter(pk=resource_link_id).first()
    )
    if resource_link is None or not resource_link.nrps_url:
        return "missing"
    try:
        kept = roster_refresh(resource_link=resource_link)
    except ServiceError as exc:
        logger.warning("Roster refresh of resource link %s failed: %s", resource_link_id, exc)
        return "failed"
    return f"{len(kept.roster.members)} members"
