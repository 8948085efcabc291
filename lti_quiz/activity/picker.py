"""The deep-linking picker's choices: which quiz, how many attempts, which one counts, shuffling,
and what the gradebook gets while an answer waits for review. They travel as custom parameters of
the one `ltiResourceLink` we answer with (Deep Linking 2.0 §3.4.1), and come back on every launch
of that link (services.py reads them).
"""

import dataclasses
import typing as t
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from lti_quiz.lti.ags import LINEITEM_TAG
from lti_quiz.lti.deep_linking import RESOURCE_LINK, DeepLinkInvalid
from lti_quiz.quiz.models import Quiz, ReviewScores, ScoringPolicy
from lti_quiz.quiz.placement_rules import RULE_FIELDS, InvalidRules, rules_parse
from lti_quiz.quiz.services import MAX_ATTEMPTS_ALLOWED, quiz_max_score

# Custom parameter names a deep-linked resource link carries back on every launch.
CUSTOM_QUIZ = "quiz"
CUSTOM_ATTEMPTS = "attempts_allowed"
CUSTOM_SCORING = "scoring_policy"
CUSTOM_SHUFFLE = "shuffle_choices"
CUSTOM_REVIEW_SCORES = "review_scores"
CUSTOM_ONE_PER_PAGE = "one_question_per_page"
# Review rules and timing travel under their own names (placement_rules.RULE_FIELDS), and only
# when set: a link without one leaves the placement's setting as it is.
CUSTOM_RULES = tuple(RULE_FIELDS)
LINK_SETTINGS = (
    CUSTOM_QUIZ,
    CUSTOM_ATTEMPTS,
    CUSTOM_SCORING,
    CUSTOM_SHUFFLE,
    CUSTOM_REVIEW_SCORES,
    CUSTOM_ONE_PER_PAGE,
    *CUSTOM_RULES,
)


@dataclass(frozen=True)
class LinkSettings:
    """What the instructor chose in the picker."""

    quiz: Quiz
    attempts_allowed: int
    scoring_policy: str
    shuffle_choices: bool
    review_scores: str  # a ReviewScores value
    one_question_per_page: bool = False
    rules: t.Mapping[str, str] = dataclasses.field(default_factory=dict)  # checked, non-empty

    @property
    def custom(self) -> dict[str, str]:
        # Custom parameter values are strings (LTI 1.3 §5.4.1).
        return {
            CUSTOM_QUIZ: self.quiz.slug,
            CUSTOM_ATTEMPTS: str(self.attempts_allowed),
            CUSTOM_SCORING: self.scoring_policy,
            CUSTOM_SHUFFLE: "true" if self.shuffle_choices else "false",
            CUSTOM_REVIEW_SCORES: self.review_scores,
            CUSTOM_ONE_PER_PAGE: "true" if self.one_question_per_page else "false",
            **self.rules,
        }


def quiz_options() -> list[dict[str, t.Any]]:
    """The quizzes an instructor can pick from, with their lesson and current settings."""
    return [
        {"quiz": quiz, "lesson": quiz.lesson, "max_score": quiz_max_score(quiz)}
        for quiz in Quiz.objects.select_related("lesson").order_by("title")
    ]


def link_settings_parse(values: t.Mapping[str, str]) -> LinkSettings:
    """The picker's POST, checked: DeepLinkInvalid says what is wrong in words."""
    quiz = Quiz.objects.filter(slug=values.get("quiz", "")).first()
    if quiz is None:
        raise DeepLinkInvalid(gettext("Choose one of the quizzes listed."))
    attempts = values.get("attempts_allowed", "").strip()
    if not attempts.isdigit() or int(attempts) > MAX_ATTEMPTS_ALLOWED:
        raise DeepLinkInvalid(
            gettext("Attempts allowed must be a whole number from 0 (unlimited) to %(max)d.")
            % {"max": MAX_ATTEMPTS_ALLOWED}
        )
    policy = values.get("scoring_policy", "")
    if policy not in ScoringPolicy.values:
        raise DeepLinkInvalid(gettext("Choose which attempt counts: highest, latest or first."))
    shuffle = values.get("shuffle_choices", "")
    if shuffle not in ("true", "false"):
        raise DeepLinkInvalid(gettext("Choose whether the answer choices are shuffled."))
    review_scores = values.get("review_scores", "")
    if review_scores not in ReviewScores.values:
        raise DeepLinkInvalid(
            gettext("Choose what the gradebook gets while an answer waits for review.")
        )
    # Absent means the usual layout: all questions on one page.
    one_per_page = values.get("one_question_per_page", "false")
    if one_per_page not in ("true", "false"):
        raise DeepLinkInvalid(gettext("Choose whether the quiz shows one question per page."))
    rules = {name: values.get(name, "").strip() for name in CUSTOM_RULES}
    try:
        rules_parse(rules)
    except InvalidRules as error:
        raise DeepLinkInvalid(str(error.message)) from None
    return LinkSettings(
        quiz=quiz,
        attempts_allowed=int(attempts),
        scoring_policy=policy,
        shuffle_choices=shuffle == "true",
        review_scores=review_scores,
        one_question_per_page=one_per_page == "true",
        rules={name: text for name, text in rules.items() if text},
    )


def content_item(*, link: LinkSettings, launch_url: str) -> dict[str, t.Any]:
    """One ltiResourceLink (Deep Linking 2.0 §3.4.1) with a graded line item."""
    quiz = link.quiz
    max_score = quiz_max_score(quiz)
    return {
        "type": RESOURCE_LINK,
        "title": quiz.title,
        "url": launch_url,
        "custom": link.custom,
        "lineItem": {
            "scoreMaximum": _number(max_score),
            "label": quiz.title,
            "resourceId": quiz.slug,
            "tag": LINEITEM_TAG,
        },
    }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
