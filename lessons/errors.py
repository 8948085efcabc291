"""Errors of the lessons room. They extend the quiz room's hierarchy so the web and API layers
map one family of errors (`QuizError`: a human message; `InvalidData`: field messages) once."""

from lti_quiz.quiz.errors import InvalidData, QuizError


class InvalidLesson(InvalidData):
    message = "The lesson is invalid."


class LessonInUse(QuizError):
    message = "A quiz uses this lesson: point the quiz at another lesson or delete it first."
