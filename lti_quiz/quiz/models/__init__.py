"""Question banks, quizzes, placements, and the attempts learners make.

The quiz room sees a learner as an opaque key and a placement as an opaque key: it knows nothing
of LTI. An attempt keeps a snapshot of exactly what was asked, including the answer key it is
scored with, so editing a question later never changes a past result.
"""

from lti_quiz.quiz.models.attempts import (
    Attempt,
    AttemptQuestion,
    DraftAnswer,
    Placement,
    Response,
)
from lti_quiz.quiz.models.bank import (
    CHOICE_KINDS,
    DEFAULT_QUIZ_SLUG,
    AcceptedPattern,
    Choice,
    Question,
    QuestionBank,
    QuestionKind,
    QuestionQuerySet,
    QuestionVersion,
    Quiz,
    QuizQuerySet,
    QuizQuestion,
    ReviewScores,
    ScoringPolicy,
)
from lti_quiz.quiz.models.media import MEDIA_TYPES, MediaFile
from lti_quiz.quiz.models.rules import LearnerOverride, ReviewWhen

__all__ = [
    "CHOICE_KINDS",
    "DEFAULT_QUIZ_SLUG",
    "MEDIA_TYPES",
    "AcceptedPattern",
    "Attempt",
    "AttemptQuestion",
    "Choice",
    "DraftAnswer",
    "LearnerOverride",
    "MediaFile",
    "Placement",
    "Question",
    "QuestionBank",
    "QuestionKind",
    "QuestionQuerySet",
    "QuestionVersion",
    "Quiz",
    "QuizQuerySet",
    "QuizQuestion",
    "Response",
    "ReviewScores",
    "ReviewWhen",
    "ScoringPolicy",
]
