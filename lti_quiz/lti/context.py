"""The validated launch, as the rest of the tool sees it: who, in which course, on which link.

A launch is validated once (launch.py); what the pages need afterwards is a `LaunchContext`,
kept in the shared cache under a random launch id that travels in the page URLs (cookies do not
survive iframes with third-party cookies blocked). Claims: https://www.imsglobal.org/spec/lti/v1p3/#required-message-claims
"""

import dataclasses
import logging
import secrets
import typing as t
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from lti_quiz.lib import expiring
from lti_quiz.lib.request_id import current_request_id
from lti_quiz.lti import registry
from lti_quiz.lti.claims import LEARNER_ROLES, ROLE_PREFIXES, STAFF_ROLES, Claim
from lti_quiz.lti.languages import locale_from_claims
from lti_quiz.lti.models import Registration, ResourceLink
from lti_quiz.lti.platforms import family_code_from_claim

logger = logging.getLogger(__name__)

CONTEXT_ROLE_PREFIX, INSTITUTION_ROLE_PREFIX, SYSTEM_ROLE_PREFIX = ROLE_PREFIXES
# Sub-roles (LTI 1.3 §A.2.3.1) look like membership/Instructor#TeachingAssistant.
CONTEXT_SUBROLE_PREFIX = CONTEXT_ROLE_PREFIX.removesuffix("#") + "/"


def _role(role: str) -> tuple[str, str] | None:
    """(scope, name) of one role: scope is "context", "institution" or "system"; None if unknown."""
    if role.startswith(CONTEXT_ROLE_PREFIX):
        return "context", role.removeprefix(CONTEXT_ROLE_PREFIX)
    if role.startswith(CONTEXT_SUBROLE_PREFIX):
        # A sub-role implies its principal role, and only that: Learner#Instructor is a learner.
        return "context", role.removeprefix(CONTEXT_SUBROLE_PREFIX).split("#", 1)[0]
    if role.startswith(INSTITUTION_ROLE_PREFIX):
        return "institution", role.removeprefix(INSTITUTION_ROLE_PREFIX)
    if role.startswith(SYSTEM_ROLE_PREFIX):
        return "system", role.removeprefix(SYSTEM_ROLE_PREFIX)
    if role and ":" not in role and "/" not in role:
        # Short names ("Instructor") are context roles (LTI 1.3 §A.2.3, deprecated but allowed).
        return "context", role
    return None  # An unknown URI, or "" (certification sends roles [""]).


def roles_are_staff(roles: t.Iterable[str]) -> bool:
    """Whether these roles may teach rather than learn: preview, never graded.

    Course (context) roles decide when there are any: Canvas adds institution roles from the
    person's other courses, and a teacher elsewhere taking this course is a learner here.
    Without course roles, institution and system roles decide (an admin who is not enrolled).
    """
    parsed = [found for role in roles if (found := _role(role))]
    course = {name for scope, name in parsed if scope == "context"}
    if not course:
        return any(name in STAFF_ROLES for _, name in parsed)
    if course & LEARNER_ROLES:
        # A mentor watches someone else's work; a learner who is also a mentor (the 1EdTech
        # "several roles" student) takes the quiz for themselves.
        course -= {"Mentor"}
    return bool(course & STAFF_ROLES)


@dataclass(frozen=True)
class LaunchContext:
    launch_id: str
    registration_id: int
    issuer: str
    client_id: str
    deployment_id: str
    message_type: str
    sub: str
    name: str
    email: str
    roles: tuple[str, ...]
    context_id: str
    context_title: str
    resource_link_id: str
    resource_link_title: str
    resource_link_pk: int | None
    custom: dict[str, str]
    return_url: str
    can_send_scores: bool
    # Submission review (LtiSubmissionReviewRequest): whose work the instructor opened. Defaults
    # keep contexts cached before these fields existed loadable.
    for_user_id: str = ""
    for_user_name: str = ""
    # The launch_presentation locale as sent (languages.py picks the page language from it).
    locale: str = ""
    # The id of the launch request (lib/request_id.py): every later page of this launch, and
    # the grade deliveries it leads to, log it beside their own.
    launch_request_id: str = ""

    @property
    def is_staff(self) -> bool:
        """Instructor, TA, content developer, administrator (full role URI or short name)."""
        return roles_are_staff(self.roles)

    @property
    def is_learner(self) -> bool:
        # Roles [""], unknown role URIs and Learner all land here: no staff role is a learner.
        return not self.is_staff

    @property
    def learner_key(self) -> str:
        return learner_key(registration_id=self.registration_id, sub=self.sub)


_FIELDS = dataclasses.fields(LaunchContext)


def learner_key(*, registration_id: int, sub: str) -> str:
    """The opaque key the quiz room knows a learner by: a `sub` is unique per registration."""
    return f"{registration_id}:{sub}"


def learner_sub(key: str) -> str:
    """The platform's user id (`sub`) inside a learner key."""
    return key.split(":", 1)[1]


def _cache_key(launch_id: str) -> str:
    return f"lti:launch:{launch_id}"


def launch_context_save(ctx: LaunchContext) -> None:
    # A plain dict, not the pickled class: a deploy that changes the class keeps old entries
    # readable (or cleanly unreadable) instead of failing to unpickle.
    # Shallow: the values are strings, numbers, a tuple and a dict of strings (asdict() would
    # copy them all again before pickling does).
    data = {field.name: getattr(ctx, field.name) for field in _FIELDS}
    expiring.cache_set(_cache_key(ctx.launch_id), data, settings.LTI_LAUNCH_LIFETIME)


def launch_context_load(launch_id: str) -> LaunchContext | None:
    # Launch ids are 32 characters; anything else in a URL was never one of ours.
    data = expiring.cache_get(_cache_key(launch_id)) if 0 < len(launch_id) <= 64 else None
    if not isinstance(data, dict):
        return None
    # Fields a newer version dropped are ignored; a missing one makes the launch unreadable.
    known = {field.name for field in dataclasses.fields(LaunchContext)}
    values = {name: value for name, value in data.items() if name in known}
    try:
        return LaunchContext(**{**values, "roles": tuple(values.get("roles", ()))})
    except TypeError:  # saved by a different version of LaunchContext
        return None


def _text(value: t.Any, max_length: int) -> str:
    return value[:max_length] if isinstance(value, str) else ""


def _url(value: t.Any, *, claim: str) -> str:
    if not isinstance(value, str) or not value:
        return ""
    if not value.startswith(("https://", "http://")) or len(value) > 1000:
        logger.warning("Ignoring an unusable %s URL from a launch: %.200s", claim, value)
        return ""
    return value


def _dict(value: t.Any) -> dict[str, t.Any]:
    return value if isinstance(value, dict) else {}


def resource_link_upsert(*, registration: Registration, claims: dict[str, t.Any]) -> ResourceLink:
    """Record the placement as the platform describes it now (titles, AGS and NRPS endpoints).

    The grade worker reads the endpoints from this row, never from a launch.
    """
    link = _dict(claims.get(Claim.RESOURCE_LINK))
    course = _dict(claims.get(Claim.CONTEXT))
    ags = _dict(claims.get(Claim.AGS_ENDPOINT))
    nrps = _dict(claims.get(Claim.NRPS))
    scopes = ags.get("scope")
    values = {
        "deployment_id": claims[Claim.DEPLOYMENT_ID],
        "title": _text(link.get("title"), 500),
        "context_id": _text(course.get("id"), 255),
        "context_title": _text(course.get("title") or course.get("label"), 500),
        "lineitem_url": _url(ags.get("lineitem"), claim="AGS lineitem"),
        "lineitems_url": _url(ags.get("lineitems"), claim="AGS lineitems"),
        "ags_scopes": [s for s in scopes if isinstance(s, str)] if isinstance(scopes, list) else [],
        "nrps_url": _url(nrps.get("context_memberships_url"), claim="NRPS memberships"),
    }
    kept = registry.resource_link_as_kept(registration.pk, link["id"], values)
    if kept is not None:
        return kept  # Nothing changed since this process last saw it: no query.
    resource_link, created = ResourceLink.objects.get_or_create(
        registration=registration, resource_link_id=link["id"], defaults=values
    )
    changed = [field for field, value in values.items() if getattr(resource_link, field) != value]
    if not created and changed:
        # Written only when the platform changed something: most launches change nothing.
        for field in changed:
            setattr(resource_link, field, values[field])
        resource_link.save(update_fields=[*changed, "updated_at"])
    # Kept once committed: a row rolled back must not be handed to the next launch.
    transaction.on_commit(lambda: registry.resource_link_keep(resource_link))
    return resource_link


def registration_learn_family(*, registration: Registration, claims: dict[str, t.Any]) -> None:
    """Keep the LMS family the launch names itself by (tool_platform claim, signed by the
    platform). A platform that names none keeps what dynamic registration or an admin set."""
    family = family_code_from_claim(claims.get(Claim.TOOL_PLATFORM))
    if family and family != registration.platform_family:
        Registration.objects.filter(pk=registration.pk).update(platform_family=family)
        registration.platform_family = family
        registry.forget()  # an update sends no signal: the kept rows would name the old family


def launch_context_create(*, registration: Registration, claims: dict[str, t.Any]) -> LaunchContext:
    """Build the context of a validated resource link launch and keep it for the pages."""
    registration_learn_family(registration=registration, claims=claims)
    resource_link = resource_link_upsert(registration=registration, claims=claims)
    link = _dict(claims.get(Claim.RESOURCE_LINK))
    course = _dict(claims.get(Claim.CONTEXT))
    name = _text(claims.get("name"), 200) or " ".join(
        part for part in (_text(claims.get(k), 100) for k in ("given_name", "family_name")) if part
    )
    custom = _dict(claims.get(Claim.CUSTOM))
    ctx = LaunchContext(
        launch_id=secrets.token_urlsafe(24),
        registration_id=registration.pk,
        issuer=registration.issuer,
        client_id=registration.client_id,
        deployment_id=claims[Claim.DEPLOYMENT_ID],
        message_type=claims[Claim.MESSAGE_TYPE],
        sub=claims["sub"],
        name=name,
        email=_text(claims.get("email"), 254),
        roles=tuple(claims[Claim.ROLES]),
        context_id=resource_link.context_id,
        context_title=_text(course.get("title") or course.get("label"), 500),
        resource_link_id=resource_link.resource_link_id,
        resource_link_title=_text(link.get("title"), 500),
        resource_link_pk=resource_link.pk,
        custom={
            str(key): value if isinstance(value, str) else str(value)
            for key, value in custom.items()
        },
        return_url=_url(
            _dict(claims.get(Claim.LAUNCH_PRESENTATION)).get("return_url"), claim="return"
        ),
        can_send_scores=resource_link.can_send_scores,
        for_user_id=_text(_dict(claims.get(Claim.FOR_USER)).get("user_id"), 255),
        for_user_name=_person_name(_dict(claims.get(Claim.FOR_USER))),
        locale=locale_from_claims(claims),
        launch_request_id=current_request_id(),
    )
    launch_context_save(ctx)
    return ctx


def _person_name(claims: dict[str, t.Any]) -> str:
    """`name`, else given and family names (the for_user claim has the same optional fields)."""
    return _text(claims.get("name"), 200) or " ".join(
        part for part in (_text(claims.get(k), 100) for k in ("given_name", "family_name")) if part
    )
