from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "lti_quiz.lti"
    label = "lti"
    verbose_name = "LTI"

    def ready(self) -> None:
        # Registers the system checks and the framing cache's invalidation signals.
        from lti_quiz.lti import checks, framing  # noqa: F401
        from lti_quiz.quiz.signals import attempt_rescored

        # The quiz room announces a review; the LTI room turns it into a grade delivery.
        attempt_rescored.connect(_grade_after_review, dispatch_uid="lti-grade-after-review")


def _grade_after_review(sender, *, attempt, **kwargs) -> None:
    from lti_quiz.lti.activity import grade_after_review

    grade_after_review(attempt=attempt)
