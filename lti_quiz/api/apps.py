from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lti_quiz.api"
    label = "api"
    verbose_name = "Question-bank API"
