from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "lti_quiz.lti"
    label = "lti"
    verbose_name = "LTI"

    def ready(self) -> None:
        # Registers the system checks and the framing cache's invalidation signals.
        from lti_quiz.lti import checks, framing  # noqa: F401
