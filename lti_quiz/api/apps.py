from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class ApiConfig(AppConfig):
    name = "lti_quiz.api"
    label = "api"
    verbose_name = "Question-bank API"

    def ready(self) -> None:
        from lti_quiz.api.groups import editor_group_sync

        # Django sends post_migrate only for apps with models; this one has none, so the group
        # is made when the quiz app (whose models it is about) has been migrated.
        post_migrate.connect(
            editor_group_sync, sender=apps.get_app_config("quiz"), dispatch_uid="api_editor_group"
        )
