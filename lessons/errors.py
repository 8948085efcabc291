"""Errors of the lessons room, on the shared base (lib.errors) so the web and API layers answer
them as they answer every domain error."""

from django.utils.translation import gettext_lazy as _

from lti_quiz.lib.errors import Conflict, InvalidData


class InvalidLesson(InvalidData):
    message = "The lesson is invalid."  # validation: English, like the API field messages


class LessonInUse(Conflict):
    message = _("A quiz uses this lesson: point the quiz at another lesson or delete it first.")
