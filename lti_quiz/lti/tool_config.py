"""pylti1p3's tool configuration, read from our lti.Registration / lti.Deployment rows.

Registrations are looked up through registry.py (remembered per process for a short while) and
keyed by (issuer, client_id): every hosted Canvas shares one issuer, so one
issuer has many client ids (docs/platforms.md, "Launch"). Only active registrations count. The
tool's own key comes from `keys.active_tool_key()` and is loaded only when a service call needs
it: a launch verifies the platform's signature and never signs anything.
"""

import typing as t

from pylti1p3.deployment import Deployment as PyltiDeployment
from pylti1p3.registration import Registration as PyltiRegistration
from pylti1p3.tool_config import ToolConfAbstract

from lti_quiz.lti import registry
from lti_quiz.lti.keys import active_tool_key, published_jwks
from lti_quiz.lti.models import Registration, ToolKey


class DbRegistration(PyltiRegistration):
    """A pylti1p3 registration that knows its database row and loads the tool key lazily."""

    def __init__(self, model: Registration) -> None:
        self.model = model
        self.set_issuer(model.issuer).set_client_id(model.client_id)
        self.set_auth_login_url(model.auth_login_url).set_auth_token_url(model.auth_token_url)
        self.set_key_set_url(model.key_set_url)
        if model.auth_audience:
            self.set_auth_audience(model.auth_audience)

    def _tool_key(self) -> ToolKey:
        return active_tool_key()

    def get_tool_private_key(self) -> str | None:
        return super().get_tool_private_key() or self._tool_key().private_key_pem

    def get_tool_public_key(self) -> str | None:
        return super().get_tool_public_key() or self._tool_key().public_key_pem

    def get_kid(self) -> str | None:
        return self._tool_key().kid


class DbToolConf(ToolConfAbstract):
    """One instance per request: it remembers the registrations it looked up."""

    def __init__(self) -> None:
        super().__init__()
        self._registrations: dict[tuple[str, str], DbRegistration | None] = {}

    # pylti1p3 asks which of its two config shapes an issuer uses; ours is always "many client
    # ids per issuer" (the class-level dict the base class keeps would be shared by all requests).
    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    # pylti1p3 declares these as never returning None, but its callers check for None ("not
    # found"), and so do ours.
    def find_registration_by_issuer(  # type: ignore[override]
        self, iss: str, *args, **kwargs
    ) -> DbRegistration | None:
        """The issuer's registration when it has exactly one (a login without client_id)."""
        return self.find_registration_by_params(iss, "", *args, **kwargs)

    def find_registration_by_params(  # type: ignore[override]
        self, iss: str, client_id: str, *args, **kwargs
    ) -> DbRegistration | None:
        key = (iss or "", client_id or "")
        if key not in self._registrations:
            self._registrations[key] = self._lookup(*key)
        return self._registrations[key]

    def issuer_is_shared(self, iss: str) -> bool:
        """Whether several active registrations share this issuer (hosted Canvas does)."""
        return bool(iss) and Registration.objects.active().filter(issuer=iss).count() > 1

    def _lookup(self, iss: str, client_id: str) -> DbRegistration | None:
        found = registry.active_registration(iss, client_id)
        return DbRegistration(found) if found is not None else None

    def find_deployment(self, iss: str, deployment_id: str) -> PyltiDeployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args, **kwargs
    ) -> PyltiDeployment | None:
        registration = self.find_registration_by_params(iss, client_id)
        if registration is None or not deployment_id:
            return None
        known = registry.deployment_known(registration.model.pk, deployment_id)
        return PyltiDeployment().set_deployment_id(deployment_id) if known else None

    def get_jwks(self, iss: str | None = None, client_id: str | None = None, **kwargs) -> t.Any:
        # The tool publishes one key set for every platform (keys.jwks_view serves it).
        return published_jwks()
