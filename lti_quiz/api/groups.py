"""The "question bank editor" group, created after every migrate (and test database flush)."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

from lti_quiz.api.permissions import EDITOR_GROUP

# What the API edits: the bank, its questions, quizzes and lessons. Question history is only
# read (it is written by the services). Not placements, attempts or responses: learners' data.
EDITED_MODELS = {
    "quiz": ("questionbank", "question", "choice", "acceptedpattern", "quiz", "quizquestion"),
    "lessons": ("lesson",),
}
VIEWED_MODELS = {"quiz": ("questionversion",)}


def editor_group_sync(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> Group:
    """Create the group if missing and grant it the models' permissions. Never revokes: an
    administrator may have granted more."""
    for label in EDITED_MODELS:
        # Permissions are created by another post_migrate receiver; make sure they exist
        # whichever order receivers run in.
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=EDITOR_GROUP)
    permissions = Permission.objects.using(using)
    for label, models in EDITED_MODELS.items():
        group.permissions.add(
            *permissions.filter(content_type__app_label=label, content_type__model__in=models)
        )
    for label, models in VIEWED_MODELS.items():
        group.permissions.add(
            *permissions.filter(
                content_type__app_label=label,
                content_type__model__in=models,
                codename__startswith="view_",
            )
        )
    return group
