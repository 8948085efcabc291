"""What an instructor grants one learner at this launch's placement (extra attempts, extra time,
a personal close date), and the review rules and timing they set for everyone."""

import typing as t
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from lti_quiz.activity.errors import NotInThisPlacement
from lti_quiz.activity.services import Activity
from lti_quiz.lti.context import learner_key, learner_sub
from lti_quiz.quiz.models import Attempt, LearnerOverride, Placement
from lti_quiz.quiz.placement_rules import (
    RULE_FIELDS,
    learner_override_parse,
    learner_override_set,
    placement_rules_set,
    rules_parse,
)


@dataclass(frozen=True)
class OverrideTarget:
    """A learner of this placement the instructor is granting something to."""

    user_sub: str
    learner_key: str
    override: LearnerOverride | None


def _registration_id(activity: Activity) -> int:
    if activity.resource_link is not None:
        return activity.resource_link.registration_id
    return activity.context.registration_id


def override_target(
    *, activity: Activity, user_sub: str, known_subs: t.Iterable[str]
) -> OverrideTarget:
    """The learner `user_sub`, who must be on the results page (`known_subs`: the roster and
    everyone with attempts here); NotInThisPlacement otherwise."""
    if not user_sub or user_sub not in set(known_subs):
        raise NotInThisPlacement()
    key = learner_key(registration_id=_registration_id(activity), sub=user_sub)
    return OverrideTarget(
        user_sub=user_sub,
        learner_key=key,
        override=LearnerOverride.objects.filter(
            placement=activity.placement, learner_key=key
        ).first(),
    )


def overridden_subs(activity: Activity) -> set[str]:
    """The learners (by LTI sub) granted something here, for the results page's tags."""
    keys = LearnerOverride.objects.filter(placement=activity.placement).values_list(
        "learner_key", flat=True
    )
    prefix = f"{_registration_id(activity)}:"
    return {learner_sub(key) for key in keys if key.startswith(prefix)}


def results_override_set(
    *, activity: Activity, target: OverrideTarget, values: Mapping[str, str]
) -> LearnerOverride | None:
    """Grant what the form says (all zero and empty: nothing); InvalidRules names a bad field."""
    return learner_override_set(
        placement=activity.placement,
        learner_key=target.learner_key,
        **learner_override_parse(values),
    )


def results_rules_set(*, activity: Activity, values: Mapping[str, str]) -> Placement:
    """The review rules and timing from the results page's form (every field it has)."""
    with transaction.atomic():
        rules = rules_parse({name: values.get(name, "") for name in RULE_FIELDS})
        return placement_rules_set(placement=activity.placement, rules=rules)


def learner_attempt_count(*, activity: Activity, target: OverrideTarget) -> int:
    return Attempt.objects.filter(
        placement=activity.placement, learner_key=target.learner_key, is_preview=False
    ).count()
