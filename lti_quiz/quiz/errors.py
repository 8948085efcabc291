"""One error hierarchy for the quiz room. Each error carries a message a person can read;
the web and API layers map `QuizError` to a response once."""


class QuizError(Exception):
    message = "The quiz could not do that."

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class NoAttemptsLeft(QuizError):
    message = "You have used all the attempts this quiz allows."


class AttemptNotFound(QuizError):
    message = "This attempt does not exist or is not yours."


class AttemptNotSubmitted(QuizError):
    message = "This attempt has not been submitted yet."


class InvalidAnswer(QuizError):
    message = "An answer does not fit its question."


class ResponseNotFound(QuizError):
    message = "This answer does not exist."


class NotReviewable(QuizError):
    message = "Only short answers that were not matched automatically can be reviewed."


class QuizContentMissing(QuizError):
    """The quiz a placement gets by default was never loaded (a fresh database)."""

    message = (
        "The quiz is not set up on this server yet. Its administrator loads it with: "
        "python manage.py load_content"
    )


class InvalidQuizDefinition(QuizError):
    message = "The quiz definition is invalid."


class InvalidData(QuizError):
    """Data that fails validation: `errors` maps each field to what is wrong with it."""

    message = "The data is invalid."

    def __init__(self, errors: dict[str, list[str]], message: str | None = None) -> None:
        self.errors = errors
        super().__init__(message or self._summary(errors))

    def _summary(self, errors: dict[str, list[str]]) -> str:
        field, messages = next(iter(errors.items()), ("", []))
        if not messages:
            return self.message
        return f"{self.message} {field}: {messages[0]}"


class InvalidQuestion(InvalidData):
    message = "The question is invalid."


class InvalidQuiz(InvalidData):
    message = "The quiz is invalid."


class InvalidBank(InvalidData):
    message = "The question bank is invalid."


class VersionConflict(QuizError):
    """The caller edited a version that is no longer the current one."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"Someone else changed this question: it is now at version {current_version}. "
            "Reload it and apply your change again."
        )


class BankNotEmpty(QuizError):
    message = "This question bank still has questions: delete or move them first."


class QuizInUse(QuizError):
    message = "This quiz is placed in a course or has attempts: it cannot be deleted."
