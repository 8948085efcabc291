from django.conf import settings
from django.core.checks import Warning


def practice_lms_in_production(app_configs, **kwargs):
    if getattr(settings, "PRACTICE_LMS", False) and not settings.DEBUG:
        return [
            Warning(
                "The practice LMS is mounted while DEBUG is off.",
                hint=(
                    "It is a demo platform with no login: anyone can launch the tool as any of "
                    "its people and read its gradebook. Unset PRACTICE_LMS in production."
                ),
                id="practice_lms.W001",
            )
        ]
    return []
