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


class InvalidQuizDefinition(QuizError):
    message = "The quiz definition is invalid."
