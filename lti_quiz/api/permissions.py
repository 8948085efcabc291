"""Who may use the question-bank API: staff, and people in the "question bank editor" group.

One rule for reading and writing alike: the API hands out answer keys, so nobody else reads it.
"""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

EDITOR_GROUP = "question bank editor"


def is_question_bank_editor(user: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Cached on the user object: one query per request, however many checks run.
    if not hasattr(user, "_is_question_bank_editor"):
        user._is_question_bank_editor = user.groups.filter(name=EDITOR_GROUP).exists()
    return bool(user._is_question_bank_editor)


class IsQuestionBankEditor(BasePermission):
    """Anonymous requests get 401 (DRF answers NotAuthenticated when no authenticator
    succeeded, with the token scheme's WWW-Authenticate header); everyone else who is not an
    editor gets 403."""

    message = 'Only staff and members of the "question bank editor" group may use this API.'

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_question_bank_editor(request.user)


class IsStaff(BasePermission):
    """What learners answered is theirs and their course's: only staff read it through the API.
    Question-bank editors write questions and read how they fared (the item analysis), not
    each learner's answers."""

    message = "Only staff may read learners' answers."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)
