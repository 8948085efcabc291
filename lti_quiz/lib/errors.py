"""The base of every domain error: a message a person can read, and the HTTP status (and API
error code) that fits it, said once on the error class. The activity pages and the REST API both
answer a domain error with `error.status`, so the same refusal never gets two statuses."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    message: str | Promise = _("That could not be done.")
    status = 400
    code = "invalid"
    title: str | Promise = ""  # the heading of the page that shows it; "" for the page's default

    def __init__(self, message: str | Promise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class Forbidden(DomainError):
    """Who asks may not do this here (another course's record, a student on a staff page)."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Gone(DomainError):
    """What the request names existed and has expired (a launch, a deep-linking request)."""

    status = 410
    code = "gone"


class Conflict(DomainError):
    """The request is fine; the state of what it names does not allow it (yet, or any more)."""

    status = 409
    code = "conflict"


class Unavailable(DomainError):
    status = 503
    code = "unavailable"


class InvalidData(DomainError):
    """Data that fails validation: `errors` maps each field to what is wrong with it."""

    # Validation errors are read by the API's admins and scripts, in English like the field
    # messages they summarize.
    message: str | Promise = "The data is invalid."

    def __init__(self, errors: dict[str, list[str]], message: str | None = None) -> None:
        self.errors = errors
        super().__init__(message or self._summary(errors))

    def _summary(self, errors: dict[str, list[str]]) -> str:
        field, messages = next(iter(errors.items()), ("", []))
        if not messages:
            return str(self.message)
        return f"{self.message} {field}: {messages[0]}"
