from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """The pages a launch opens: where a launch, the quiz and grades meet."""

    name = "lti_quiz.activity"
    label = "activity"
    verbose_name = "Activity pages"

    def ready(self) -> None:
        from lti_quiz.quiz.signals import attempt_rescored

        # The quiz room announces a review; this room turns it into a grade delivery.
        attempt_rescored.connect(_grade_after_review, dispatch_uid="activity-grade-after-review")


def _grade_after_review(sender, *, attempt, **kwargs) -> None:
    from lti_quiz.activity.services import grade_after_review

    grade_after_review(attempt=attempt)
