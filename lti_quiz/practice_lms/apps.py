from django.apps import AppConfig


class PracticeLmsConfig(AppConfig):
    name = "lti_quiz.practice_lms"
    label = "practice_lms"
    verbose_name = "Practice LMS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from lti_quiz.practice_lms.checks import practice_lms_in_production

        checks.register(practice_lms_in_production, checks.Tags.security, deploy=False)
