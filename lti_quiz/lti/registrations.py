"""Services for platform registrations: what `manage.py lti_platform` and other code call."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import ProtectedError

from lti_quiz.lti.models import Deployment, Registration


class RegistrationError(Exception):
    """Bad registration input, with a message meant for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _required(label: str, value: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise RegistrationError(f"{label} must not be empty.")
    if len(value) > max_length:
        raise RegistrationError(f"{label} is longer than {max_length} characters.")
    return value


def _url(label: str, value: str, max_length: int = 500) -> str:
    # Deliberately looser than Django's URLValidator: single-label hosts such as
    # http://moodle:8080 (a platform in a container) are real and must be accepted.
    value = _required(label, value, max_length)
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise RegistrationError(f"{label} has an invalid port: {value!r}.") from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in value)
    ):
        raise RegistrationError(f"{label} must be an http(s) URL, got {value!r}.")
    return value


def _deployment_ids(values: Iterable[str]) -> list[str]:
    cleaned = [_required("A deployment id", value, 255) for value in values]
    if not cleaned:
        raise RegistrationError("Give at least one deployment id.")
    return list(dict.fromkeys(cleaned))  # Unique, in the order given.


def registration_upsert(
    *,
    name: str,
    issuer: str,
    client_id: str,
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    deployment_ids: Iterable[str],
    auth_audience: str = "",
    replace_deployments: bool = False,
    frame_origins: Iterable[str] = (),
) -> Registration:
    """Create the registration for (issuer, client_id), or update it when it exists.

    Deployment ids are added to the ones already known, never dropped, unless
    replace_deployments is set: a platform keeps launching with deployments it was given
    earlier, and dropping one would break those courses. The other fields are set exactly as
    given (auth_audience too: empty means "use the token URL"). is_active is left alone so an
    admin's decision to disable a platform survives a re-run of the setup. `frame_origins` are
    added to the extra frame origins already there.
    """
    values = {
        "name": _required("Name", name, 200),
        "auth_login_url": _url("Auth login URL", auth_login_url),
        "auth_token_url": _url("Auth token URL", auth_token_url),
        "key_set_url": _url("Key set URL", key_set_url),
        "auth_audience": (auth_audience or "").strip(),
    }
    if len(values["auth_audience"]) > 500:
        raise RegistrationError("Auth audience is longer than 500 characters.")
    issuer = _url("Issuer", issuer)
    client_id = _required("Client id", client_id, 255)
    wanted = _deployment_ids(deployment_ids)

    with transaction.atomic():
        registration, _ = Registration.objects.update_or_create(
            issuer=issuer, client_id=client_id, defaults=values
        )
        if replace_deployments:
            registration.deployments.exclude(deployment_id__in=wanted).delete()
        extra = [_url("A frame origin", origin) for origin in frame_origins]
        lines = registration.frame_origins.splitlines()
        if any(origin not in lines for origin in extra):
            registration.frame_origins = "\n".join(dict.fromkeys([*lines, *extra]))
            registration.save(update_fields=["frame_origins", "updated_at"])  # clears the cache
        known = set(registration.deployments.values_list("deployment_id", flat=True))
        Deployment.objects.bulk_create(
            [
                Deployment(registration=registration, deployment_id=deployment_id)
                for deployment_id in wanted
                if deployment_id not in known
            ],
            # A concurrent upsert may have added the same id: that is the outcome we want anyway.
            ignore_conflicts=True,
        )
    return registration


def registration_find(
    *, pk: int | None = None, issuer: str = "", client_id: str = ""
) -> Registration:
    """One registration, by id or by (issuer, client id). Raises RegistrationError."""
    if pk is not None:
        found = Registration.objects.filter(pk=pk).first()
        described = f"id {pk}"
    elif issuer and client_id:
        found = Registration.objects.filter(
            issuer=issuer.strip(), client_id=client_id.strip()
        ).first()
        described = f"issuer {issuer!r} and client id {client_id!r}"
    else:
        raise RegistrationError("Name the registration: --id N, or --issuer and --client-id.")
    if found is None:
        raise RegistrationError(
            f"No registration with {described}. See them with: manage.py lti_platform list"
        )
    return found


def registration_activate(*, registration: Registration, active: bool) -> Registration:
    """Switch a registration on or off (saved through the model: frame origins follow)."""
    if registration.is_active != active:
        registration.is_active = active
        registration.save(update_fields=["is_active", "updated_at"])
    return registration


def registration_remove(*, issuer: str, client_id: str) -> None:
    """Delete a registration with its deployments and the resource links launched through it."""
    try:
        with transaction.atomic():
            deleted, _ = Registration.objects.filter(
                issuer=(issuer or "").strip(), client_id=(client_id or "").strip()
            ).delete()
    except ProtectedError:
        raise RegistrationError(
            f"The registration for issuer {issuer!r}, client id {client_id!r} still has "
            "records that depend on it. Deactivate it in the admin instead."
        ) from None
    if not deleted:
        raise RegistrationError(
            f"No registration with issuer {issuer!r} and client id {client_id!r}."
        )
