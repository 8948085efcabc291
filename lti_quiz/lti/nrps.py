"""Names and Role Provisioning Services client: the course roster behind a resource link.

Spec: https://www.imsglobal.org/spec/lti-nrps/v2p0/ (membership container, §2.4 paging with
`Link: <...>; rel="next"`). The memberships URL comes from the launch's NRPS claim and may carry
a query string (Moodle's `?type_id=N`); it is used exactly as given, with `limit` added (§2.4.1)
when the URL has none: a platform's own default page can be small (Canvas: 10), and a 1,000-person
course read 10 at a time is 100 requests. Platforms clamp a limit above their maximum (Canvas:
50) and Moodle has none, so asking for a large one is safe. Next-page links are followed as given.

Why not pylti1p3's NamesRolesProvisioningService: its connector does not cache tokens
(https://github.com/dmitry-viskov/pylti1.3/issues/89) and it lowercases the next-page URL
(https://github.com/dmitry-viskov/pylti1.3/pull/139), which breaks platforms whose paging cursor is
case-sensitive. `requests` parses the Link header and keeps the URL as sent.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import requests

from lti_quiz.lib.http import http_session
from lti_quiz.lti.claims import MediaType, Scope
from lti_quiz.lti.context import roles_are_staff
from lti_quiz.lti.models import Registration
from lti_quiz.lti.service_request import json_answer, service_request
from lti_quiz.lti.tokens import ServiceError

__all__ = ["Member", "Roster", "ServiceError", "memberships_fetch"]

logger = logging.getLogger(__name__)

NRPS_SCOPES = (Scope.NRPS_MEMBERSHIP_READONLY.value,)
# Members asked for per page (NRPS §2.4.1 `limit`); the platform may send fewer.
PAGE_SIZE = 1000
# A course with more pages than this is cut short (and says so) rather than read forever:
# at Canvas's largest page (50 members) that is 10,000 people.
PAGE_LIMIT = 200
MEMBER_TEXT_LIMIT = 255


@dataclass(frozen=True)
class Member:
    """One person in the course as the platform lists them (NRPS §2.3 member)."""

    user_id: str
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    roles: tuple[str, ...] = ()
    status: str = "Active"  # Active, Inactive or Deleted

    @property
    def display_name(self) -> str:
        full = " ".join(part for part in (self.given_name, self.family_name) if part)
        return self.name or full or self.email or self.user_id


@dataclass(frozen=True)
class Roster:
    members: tuple[Member, ...]
    pages: int
    complete: bool  # False when the page limit cut the list short


def _text(value: object) -> str:
    return value[:MEMBER_TEXT_LIMIT] if isinstance(value, str) else ""


def member_from_json(data: object) -> Member | None:
    """A member of the container, or None for an entry without a usable user_id."""
    if not isinstance(data, dict):
        return None
    user_id = data.get("user_id")
    if isinstance(user_id, int):  # some platforms send numeric ids
        user_id = str(user_id)
    if not isinstance(user_id, str) or not user_id:
        return None
    roles = data.get("roles")
    return Member(
        user_id=user_id,
        name=_text(data.get("name")),
        given_name=_text(data.get("given_name")),
        family_name=_text(data.get("family_name")),
        email=_text(data.get("email")),
        roles=tuple(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else (),
        status=_text(data.get("status")) or "Active",
    )


def _members_of(response: requests.Response, *, doing: str) -> list[object]:
    body = json_answer(response, doing=doing)
    members = body.get("members") if isinstance(body, dict) else None
    if not isinstance(members, list):
        raise ServiceError(f"{doing}: the answer has no members list", retryable=False)
    return members


def _first_page_params(url: str, page_size: int) -> dict[str, str] | None:
    """`limit` for the first request, unless the platform's URL already says one."""
    if "limit" in parse_qs(urlsplit(url).query):
        return None
    return {"limit": str(page_size)}


def memberships_fetch(
    *,
    registration: Registration,
    url: str,
    session: requests.Session | None = None,
    page_limit: int = PAGE_LIMIT,
    page_size: int = PAGE_SIZE,
) -> Roster:
    """Every member of the course, following `rel="next"` pages. Raises ServiceError.

    A person listed on two pages (the roster changed while we read it) appears once.
    """
    session = session or http_session()
    members: dict[str, Member] = {}
    seen_urls: set[str] = set()
    next_url: str | None = url
    params = _first_page_params(url, page_size)
    pages = 0
    while next_url and pages < page_limit:
        if next_url in seen_urls:
            logger.warning("NRPS paging at %s loops back to a page already read", url)
            break
        seen_urls.add(next_url)
        pages += 1
        doing = f"Course roster (NRPS) page {pages}"
        response = service_request(
            "GET",
            next_url,
            registration=registration,
            scopes=NRPS_SCOPES,
            session=session,
            doing=doing,
            accept=MediaType.MEMBERSHIP_CONTAINER,
            params=params,
        )
        params = None  # the next link carries the platform's own paging
        for data in _members_of(response, doing=doing):
            member = member_from_json(data)
            if member is not None:
                members.setdefault(member.user_id, member)
        next_url = response.links.get("next", {}).get("url")
    complete = not next_url or next_url in seen_urls
    if not complete:
        logger.warning(
            "NRPS roster at %s cut short after %d pages (%d members)", url, pages, len(members)
        )
    return Roster(members=tuple(members.values()), pages=pages, complete=complete)


def learners(members: Iterable[Member]) -> list[Member]:
    """The members who take the course rather than teach it (see `context.roles_are_staff`)."""
    return [m for m in members if not roles_are_staff(m.roles) and m.status != "Deleted"]
