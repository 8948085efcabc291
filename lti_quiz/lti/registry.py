"""Registrations, deployments, frame origins and placements, remembered by each process for a
short while.

Every login and launch looks its platform up, and every page the LMS frames lists the origins
that may frame it. These rows change a few times a year; reading them from the database (or the
shared cache) on every request was a quarter of a launch's time (docs/performance.md).

Each process keeps what it read for REGISTRY_SECONDS:
- in the process that changes a registration or a deployment, the signals below forget it all
  at once, and again after the commit (a request in between may have read the old rows);
- the other processes (gunicorn workers, other machines) see the change within
  REGISTRY_SECONDS. A version stamp in the shared cache would make that immediate, but would
  cost a cache round trip on every request, which is what this module is here to save.
  Switching a platform off therefore takes up to REGISTRY_SECONDS to reach every worker.

A placement (resource link) is kept as this process last saw it, and used only when a launch
brings exactly the values kept: a launch that changes something reads and writes the row.

Only what was found is kept: an unknown issuer costs a query each time, and junk logins cannot
fill the memory. What is handed out is a copy, so a caller may change its instance freely.
"""

import copy
import threading
import time
import typing as t
from collections.abc import Callable

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lti_quiz.lti.models import Deployment, Registration, ResourceLink

REGISTRY_SECONDS = 30.0
# More entries than any real set of platforms: past it, start again (a bound, not an LRU).
MAX_ENTRIES = 10_000

_entries: dict[tuple[t.Any, ...], tuple[float, t.Any]] = {}
_lock = threading.Lock()


def remembered(key: tuple[t.Any, ...], load: Callable[[], t.Any]) -> t.Any:
    """The value kept for `key`, or `load()`'s, kept when it is not None."""
    now = time.time()
    found = _entries.get(key)
    # Within its lifetime by this clock (one set back makes it no longer so).
    if found is not None and 0 < found[0] - now <= REGISTRY_SECONDS:
        return found[1]
    value = load()
    if value is not None:
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = (now + REGISTRY_SECONDS, value)
    return value


def forget() -> None:
    """Drop everything this process remembers (the next lookups read the database)."""
    with _lock:
        _entries.clear()


def active_registration(iss: str, client_id: str) -> Registration | None:
    """The active registration for (issuer, client id); without a client id, the issuer's only
    active registration (None when it has several: ambiguous)."""
    if not iss:
        return None

    def load() -> Registration | None:
        registrations = Registration.objects.active().filter(issuer=iss)
        if client_id:
            registrations = registrations.filter(client_id=client_id)
        found = list(registrations[:2])
        return found[0] if len(found) == 1 else None

    found = remembered(("registration", iss, client_id), load)
    return copy.copy(found) if found is not None else None


def deployment_known(registration_id: int, deployment_id: str) -> bool:
    def load() -> bool | None:
        exists = Deployment.objects.filter(
            registration_id=registration_id, deployment_id=deployment_id
        ).exists()
        return True if exists else None

    return bool(remembered(("deployment", registration_id, deployment_id), load))


def resource_link_as_kept(
    registration_id: int, resource_link_id: str, values: dict[str, t.Any]
) -> ResourceLink | None:
    """The placement as this process last wrote or read it, if it still has these values: a
    launch that changes nothing need not read the row again."""
    found = _entries.get(("resource-link", registration_id, resource_link_id))
    if found is None or not 0 < found[0] - time.time() <= REGISTRY_SECONDS:
        return None
    link = found[1]
    if any(getattr(link, field) != value for field, value in values.items()):
        return None
    return copy.copy(link)


def resource_link_keep(link: ResourceLink) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        key = ("resource-link", link.registration_id, link.resource_link_id)
        _entries[key] = (time.time() + REGISTRY_SECONDS, copy.copy(link))


@receiver(post_delete, sender=ResourceLink, dispatch_uid="lti_registry_resource_link_deleted")
@receiver(post_save, sender=Registration, dispatch_uid="lti_registry_registration_saved")
@receiver(post_delete, sender=Registration, dispatch_uid="lti_registry_registration_deleted")
@receiver(post_save, sender=Deployment, dispatch_uid="lti_registry_deployment_saved")
@receiver(post_delete, sender=Deployment, dispatch_uid="lti_registry_deployment_deleted")
def _changed(**kwargs: t.Any) -> None:
    # Cache invalidation only, no domain logic.
    forget()
    transaction.on_commit(forget)
