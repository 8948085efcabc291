from django.apps import AppConfig


class GradesConfig(AppConfig):
    name = "lti_quiz.grades"
    label = "grades"
    verbose_name = "Grade delivery"
