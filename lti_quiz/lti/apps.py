from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "lti_quiz.lti"
    label = "lti"
    verbose_name = "LTI"

    def ready(self) -> None:
        # Registers the system checks and the registry's invalidation signals.
        from lti_quiz.lti import checks, registry  # noqa: F401
