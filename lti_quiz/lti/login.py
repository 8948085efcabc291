"""OIDC login initiation: pylti1p3's login with its gaps closed (docs/platforms.md, "pylti1p3
2.0.0 and what we do instead").

Security Framework §5.1.1 (https://www.imsglobal.org/spec/security/v1p0/#openid_connect_launch_flow):
the platform names itself (iss, client_id); we answer with a redirect to its auth endpoint
carrying a fresh state and nonce, echoing login_hint and lti_message_hint. When the platform
offers its storage frame (`lti_storage_target`), state and nonce go there too.
"""

import json
import re
import secrets
import typing as t
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from pylti1p3.contrib.django.oidc_login import DjangoOIDCLogin
from pylti1p3.contrib.django.request import DjangoRequest

from lti_quiz.lti import errors
from lti_quiz.lti.framing import origin_of
from lti_quiz.lti.storage import LOGIN_STATE_SECONDS, CacheSessionService, LaunchCookieService
from lti_quiz.lti.tool_config import DbRegistration, DbToolConf

# A frame name as Canvas sends it ("post_message_forwarding"); anything else is ignored.
_STORAGE_TARGET = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
# The login parameters kept for "open in a new window" (the platform's own, never ours).
_LOGIN_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
)


def _moodle_course_module(hint: str) -> int | None:
    """The cmid in Moodle's lti_message_hint, {"cmid": 12, "launchid": "ltilaunch3_..."}
    (mod/lti/locallib.php lti_build_login_request); None for any other platform's hint."""
    try:
        data = json.loads(hint)
    except ValueError:
        return None
    if not isinstance(data, dict) or "launchid" not in data:
        return None
    cmid = data.get("cmid")
    return cmid if isinstance(cmid, int) and not isinstance(cmid, bool) and cmid > 0 else None


def restart_url(login_params: t.Mapping[str, str]) -> str:
    """Where a new window starts this launch again at the top level, where our cookie works.

    Moodle's hint is single use (mod/lti/auth.php drops the launch from the session), so for it
    the window opens Moodle's launch page for the activity, which starts a fresh login. Other
    platforms accept their login parameters again: the window restarts our login with them.
    """
    issuer = login_params.get("iss", "")
    cmid = _moodle_course_module(login_params.get("lti_message_hint", ""))
    if cmid is not None and origin_of(issuer):
        return f"{issuer.rstrip('/')}/mod/lti/launch.php?{urlencode({'id': cmid})}"
    return f"{reverse('lti:login')}?{urlencode(sorted(login_params.items()))}"


class LtiOidcLogin(DjangoOIDCLogin):
    """Third-party initiated login, GET or POST (Security Framework §5.1.1.1)."""

    # Set by the login: the platform storage frame to use (None: cookies only), state, nonce.
    storage: dict[str, t.Any] | None = None
    state = ""
    nonce = ""

    def __init__(self, request: HttpRequest, tool_config: DbToolConf | None = None) -> None:
        # Our own references to what we hand pylti1p3, read through their public methods.
        self.lti_request = DjangoRequest(request)  # reads GET, then POST
        self.tool_config = tool_config or DbToolConf()
        self.logins = CacheSessionService(self.lti_request)
        self.cookies = LaunchCookieService(self.lti_request)
        super().__init__(
            self.lti_request,
            self.tool_config,
            session_service=self.logins,
            cookie_service=self.cookies,
        )

    def param(self, name: str) -> str:
        return self.lti_request.get_param(name) or ""

    def validate_oidc_login(self) -> DbRegistration:
        iss = self.param("iss")
        if not iss:
            raise errors.LoginRequestInvalid("login initiation without iss")
        if not self.param("login_hint"):
            raise errors.LoginRequestInvalid(f"login initiation from {iss} without login_hint")
        client_id = self.param("client_id")
        # Without client_id the issuer must have exactly one registration (tool_config).
        registration = self.tool_config.find_registration_by_params(iss, client_id)
        if registration is None and not client_id and self.tool_config.issuer_is_shared(iss):
            raise errors.ClientIdNeeded(
                f"login initiation from {iss} without client_id, and the issuer has several "
                "active registrations"
            )
        if registration is None:
            raise errors.PlatformNotRegistered(
                f"no active registration for iss={iss!r} client_id={client_id!r}"
            )
        return registration

    def redirect(self, launch_url: str, js_redirect: bool = False) -> HttpResponse:
        """To the platform's auth URL, with the state cookie set (pylti1p3's public entry).

        A plain HttpResponseRedirect: pylti1p3's goes through django.shortcuts.redirect, which
        first tries the auth URL as a view name (a failed reverse() on every login)."""
        response = HttpResponseRedirect(self.auth_request_url(launch_url))
        self.cookies.update_response(response)
        return response

    def auth_request_url(self, launch_url: str) -> str:
        """The authentication request (Security Framework §5.1.1.2); saves the login state."""
        registration = self.validate_oidc_login()
        state = "state-" + secrets.token_urlsafe(24)
        nonce = secrets.token_urlsafe(32)
        # The cookie ties the state to this browser; the cache entry ties the nonce to both.
        self.cookies.set_cookie(state, state, LOGIN_STATE_SECONDS)
        # Platform storage (LTI Client Side postMessages): state and nonce also go to the LMS's
        # storage frame, for browsers that will not send our cookie back inside its iframe.
        target = self.param("lti_storage_target")
        origin = origin_of(registration.get_auth_login_url() or "")
        # The platform's own login parameters: what a new window needs to start again.
        login_params = {name: self.param(name) for name in _LOGIN_PARAMS}
        login_params = {name: value for name, value in login_params.items() if value}
        storage = None
        if _STORAGE_TARGET.match(target) and origin:
            storage = {"target": target, "origin": origin, "login_params": login_params}
        self.storage = storage
        self.state, self.nonce = state, nonce
        self.logins.save_login_state(
            state,
            nonce=nonce,
            registration_id=registration.model.pk,
            storage=storage,
            login_params=login_params,
        )
        params = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": registration.get_client_id(),
            "redirect_uri": launch_url,
            "state": state,
            "nonce": nonce,
            "login_hint": self.param("login_hint"),
        }
        lti_message_hint = self.param("lti_message_hint")
        if lti_message_hint:
            params["lti_message_hint"] = lti_message_hint
        auth_url = registration.get_auth_login_url() or ""
        # pylti1p3 always appends "?": wrong for an auth URL that already has a query string.
        return auth_url + ("&" if "?" in auth_url else "?") + urlencode(params)
