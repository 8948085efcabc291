from django.conf import settings


def test_the_practice_lms_is_mounted_during_tests():
    assert "lti_quiz.practice_lms" in settings.INSTALLED_APPS
