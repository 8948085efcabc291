"""Errors of the lessons room, on the shared base (lib.errors) so the web and API layers answer
them as they answer every domain error."""

from lti_quiz.lib.errors import Conflict, InvalidData


class InvalidLesson(InvalidData):
    message = "The lesson is invalid."


class LessonInUse(Conflict):
    message = "A quiz uses this lesson: point the quiz at another lesson or delete it first."
