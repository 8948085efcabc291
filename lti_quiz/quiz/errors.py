"""The quiz room's errors: each carries a message a person can read and its HTTP status
(lib.errors). Every class here is a QuizError; the ones that fit several rooms' bases are too."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lti_quiz.lib.errors import Conflict, DomainError, InvalidData, NotFound, Unavailable


class QuizError(DomainError):
    message: str | Promise = _("The quiz could not do that.")


class NoAttemptsLeft(QuizError, Conflict):
    message = _("You have used all the attempts this quiz allows.")


class QuizNotOpenYet(QuizError, Conflict):
    title = _("This quiz is not open yet")
    message = _("This quiz is not open yet: the activity page says when it opens.")


class QuizClosed(QuizError, Conflict):
    title = _("This quiz has closed")
    message = _("This quiz has closed: no new attempt can be started and no answer can change.")


class AttemptTimeUp(QuizError, Conflict):
    message = _(
        "The time for this attempt is up: answers can no longer change. "
        "The answers saved before the deadline are the ones scored."
    )


class AttemptNotFound(QuizError, NotFound):
    message = _("This attempt does not exist or is not yours.")


class AttemptNotSubmitted(QuizError, Conflict):
    message = _("This attempt has not been submitted yet.")


class AttemptAlreadySubmitted(QuizError, Conflict):
    message = _("This attempt has been submitted: its answers can no longer change.")


class InvalidAnswer(QuizError):
    message = _("An answer does not fit its question.")


class ResponseNotFound(QuizError, NotFound):
    message = _("This answer does not exist.")


class NotReviewable(QuizError, Conflict):
    message = _("Only short answers that were not matched automatically can be reviewed.")


class InvalidReview(QuizError):
    message = _("That review cannot be recorded.")


class QuizContentMissing(QuizError, Unavailable):
    """The quiz a placement gets by default was never loaded (a fresh database)."""

    title = _("The quiz is not set up yet")

    message = _(
        "The quiz is not set up on this server yet. Its administrator loads it with: "
        "python manage.py load_content"
    )


class InvalidQuizDefinition(QuizError):
    message = _("The quiz definition is invalid.")


class InvalidQuizData(QuizError, InvalidData):
    """Quiz-room data that fails validation (fields in `errors`)."""


class InvalidQuestion(InvalidQuizData):
    message = _("The question is invalid.")


class InvalidQuiz(InvalidQuizData):
    message = _("The quiz is invalid.")


class InvalidBank(InvalidQuizData):
    message = _("The question bank is invalid.")


class InvalidDraft(InvalidQuizData):
    message = _("The answers could not be saved.")


class VersionConflict(QuizError):
    """The caller edited a version that is no longer the current one."""

    status = 412
    code = "precondition_failed"

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"Someone else changed this question: it is now at version {current_version}. "
            "Reload it and apply your change again."
        )


class BankNotEmpty(QuizError, Conflict):
    message = _("This question bank still has questions: delete or move them first.")


class QuizInUse(QuizError, Conflict):
    message = _("This quiz is placed in a course or has attempts: it cannot be deleted.")
