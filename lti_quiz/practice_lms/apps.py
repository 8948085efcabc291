from django.apps import AppConfig


class PracticeLmsConfig(AppConfig):
    name = "lti_quiz.practice_lms"
    label = "practice_lms"
    verbose_name = "Practice LMS"
