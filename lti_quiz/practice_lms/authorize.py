"""Checks on the tool's OIDC authentication request (LTI Security 1.0 §5.1.1.2), in words."""

from dataclasses import dataclass

from django.http import QueryDict

from lti_quiz.practice_lms.models import LaunchRequest, Person, ToolRecord


class AuthRequestError(Exception):
    """The tool's authentication request is wrong; the message says how."""


@dataclass(frozen=True)
class AuthRequest:
    tool: ToolRecord
    launch: LaunchRequest
    redirect_uri: str
    state: str
    nonce: str


EXPECTED = {
    "scope": "openid",
    "response_type": "id_token",
    "response_mode": "form_post",
    "prompt": "none",
}


def auth_request_check(params: QueryDict) -> AuthRequest:
    for name, expected in EXPECTED.items():
        value = params.get(name, "")
        if value != expected:
            raise AuthRequestError(f"{name} must be {expected!r}, got {value!r}.")

    client_id = params.get("client_id", "")
    tool = ToolRecord.objects.filter(client_id=client_id).first()
    if tool is None:
        raise AuthRequestError(f"No tool is registered with client_id {client_id!r}.")

    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in tool.redirect_uri_list:
        raise AuthRequestError(
            f"redirect_uri {redirect_uri!r} is not one of the tool's registered redirect URIs "
            f"({', '.join(tool.redirect_uri_list) or 'none'}); it must match exactly."
        )

    nonce = params.get("nonce", "")
    if not nonce:
        raise AuthRequestError("nonce is missing: the tool must send one to protect its launch.")

    login_hint = params.get("login_hint", "")
    if not (login_hint.isdigit() and Person.objects.filter(pk=int(login_hint)).exists()):
        raise AuthRequestError(
            f"login_hint {login_hint!r} is not a user of this platform: "
            "echo the value the login request carried."
        )
    hint = params.get("lti_message_hint", "")
    launch = (
        LaunchRequest.objects.select_related("person__course", "resource_link__course")
        .filter(hint=hint)
        .first()
        if hint
        else None
    )
    if launch is None:
        raise AuthRequestError(
            f"lti_message_hint {hint!r} is unknown: echo the value the login request carried."
        )
    if str(launch.person_id) != login_hint:
        raise AuthRequestError(
            f"login_hint {login_hint!r} does not match the user this launch was started for: "
            "echo the value the login request carried."
        )
    if launch.is_expired:
        raise AuthRequestError("This launch has expired: start it again from the course page.")
    launch_tool_id = launch.resource_link.tool_id if launch.resource_link else launch.tool_id
    if launch_tool_id != tool.pk:
        raise AuthRequestError("This launch belongs to another tool.")

    return AuthRequest(
        tool=tool,
        launch=launch,
        redirect_uri=redirect_uri,
        state=params.get("state", ""),
        nonce=nonce,
    )
