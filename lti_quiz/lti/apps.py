from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "lti_quiz.lti"
    label = "lti"
    verbose_name = "LTI"
