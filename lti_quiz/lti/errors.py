"""Why a login or launch was refused: one human sentence for the page, one reason for the log.

Every refusal is one of these, mapped once to an HTTP response in views.py. The `message` is
what the student or teacher reads inside the LMS (what happened and what to do); the `reason`
is the technical detail an administrator needs and is only logged.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lti_quiz.lib.errors import DomainError


@dataclass(frozen=True)
class PageAction:
    """The one thing a refusal page offers the person to do (a link)."""

    url: str
    label: str | Promise
    new_window: bool = False


class LtiLaunchError(DomainError):
    status = 400
    message: str | Promise = _("The course could not open this activity.")

    def __init__(
        self,
        reason: str = "",
        *,
        message: str | Promise | None = None,
        action: PageAction | None = None,
    ) -> None:
        super().__init__(message)
        # str(error) is the technical reason, for logs and tracebacks; the page shows `message`.
        self.args = (reason or str(self.message),)
        self.reason = reason or self.__class__.__name__
        self.action = action


class LoginRequestInvalid(LtiLaunchError):
    message = _(
        "The LMS sent an incomplete sign-in request for this activity. Go back to your course "
        "and open it again; if it keeps happening, tell your LMS administrator."
    )


class PlatformNotRegistered(LtiLaunchError):
    status = 403
    message = _(
        "This LMS is not registered with the quiz tool (or its registration is switched off). "
        "Ask your LMS administrator to register it."
    )


class ClientIdNeeded(LtiLaunchError):
    """Hosted Canvases share one issuer: without client_id the login names no registration."""

    message = _(
        "Your LMS started the sign-in without saying which of its registrations of the quiz tool "
        "it uses (no client_id), and the quiz tool has several for this LMS. Ask your LMS "
        "administrator to send the client id with the login (in Canvas it always is: check the "
        "developer key's login URL)."
    )


class DeploymentNotRegistered(LtiLaunchError):
    status = 403
    message = _(
        "This installation of the quiz tool in your LMS is not registered with the tool. "
        "Ask your LMS administrator to add its deployment id."
    )


class LaunchStateMissing(LtiLaunchError):
    """The state cookie set at login did not come back (blocked cookies, or a stale tab)."""

    status = 403
    message = _(
        "Your browser did not send back the cookie this activity set a moment ago, so the launch "
        "cannot be trusted here. Open the activity in a new window, where it works the same; or "
        "allow cookies for it and go back to your course to open it again."
    )


class LaunchStateMismatch(LtiLaunchError):
    status = 403
    message = _(
        "This launch does not belong to this browser's sign-in. "
        "Go back to your course and open the activity again."
    )


class LaunchReplayed(LtiLaunchError):
    status = 403
    message = _(
        "This launch was already used or has timed out. "
        "Go back to your course and open the activity again."
    )


class LaunchExpired(LtiLaunchError):
    status = 403
    message = _("The launch has expired — go back to your course and open the activity again.")


class LaunchNotYetValid(LtiLaunchError):
    status = 403
    message = _(
        "The launch is dated in the future: the LMS's clock and the quiz tool's clock disagree "
        "by more than a minute. Try again in a minute; if it keeps happening, tell your LMS "
        "administrator."
    )


class LaunchTokenInvalid(LtiLaunchError):
    """Not a well-formed, correctly signed LTI 1.3 id_token."""

    status = 403
    message = _(
        "The LMS sent a launch the quiz tool could not verify. "
        "Go back to your course and try again; if it keeps happening, tell your LMS administrator."
    )


class PlatformKeysUnavailable(LtiLaunchError):
    # The LMS's key set could not be fetched: the platform's fault, not the request's.
    status = 502
    message = _(
        "The quiz tool could not reach your LMS to verify this launch. "
        "Try again in a minute; if it keeps happening, tell your LMS administrator."
    )


class LaunchMessageInvalid(LtiLaunchError):
    """Signed and fresh, but the LTI message itself is missing something it must have."""

    message = _(
        "The LMS sent a launch without information this activity needs. "
        "Tell your LMS administrator; the details are in the quiz tool's log."
    )


class LaunchWithoutDeployment(LaunchMessageInvalid):
    message = _(
        "The launch does not say which installation of the quiz tool it comes "
        "from (no deployment id). Tell your LMS administrator."
    )


class LaunchWithoutUser(LaunchMessageInvalid):
    """Anonymous launches omit sub, but a quiz attempt needs a learner to belong to."""

    message = _(
        "The launch does not say who you are (no user id), so the quiz cannot "
        "keep your attempts. Tell your LMS administrator."
    )


class LaunchWithoutResourceLink(LaunchMessageInvalid):
    message = _(
        "The launch does not say which activity was opened (no resource link "
        "id). Tell your LMS administrator."
    )


class MessageTypeNotSupported(LtiLaunchError):
    message = _(
        "This kind of launch is not supported yet: the quiz tool only opens activities "
        "placed in a course."
    )
