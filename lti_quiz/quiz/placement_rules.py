"""Setting a placement's review rules and timing (from a deep link's custom parameters, or its
instructor), and what an instructor grants one learner. Values arrive as text (a form, a custom
parameter: LTI 1.3 §5.4.1 makes every custom value a string); `rules_parse` reads them."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lti_quiz.lib.fields import Errors
from lti_quiz.quiz.errors import InvalidQuizData
from lti_quiz.quiz.models import LearnerOverride, Placement, ReviewWhen
from lti_quiz.quiz.review_rules import DEFAULTS

# The fields a placement's rules have, by the name they travel under (custom parameter, form).
RULE_FIELDS = {
    "review_score": "review_score",
    "review_marks": "review_marks",
    "review_correct": "review_correct",
    "review_feedback": "review_feedback",
    "time_limit": "time_limit_minutes",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
}
MAX_TIME_LIMIT_MINUTES = 24 * 60
MAX_EXTRA_ATTEMPTS = 100


class InvalidRules(InvalidQuizData):
    message = "The settings are invalid."


def _moment(text: str) -> datetime:
    """An ISO 8601 date and time; without an offset it is UTC (the pages label times UTC)."""
    value = datetime.fromisoformat(text.strip())
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def _minutes(text: str, *, low: int, high: int) -> int:
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise ValueError
    return int(text)


def rules_parse(values: Mapping[str, str]) -> dict[str, Any]:
    """The rules among `values` (by RULE_FIELDS name; others ignored), as model field values;
    an empty text is "the default" or "none". InvalidRules names each bad one."""
    parsed: dict[str, Any] = {}
    errors: Errors = {}
    for name, field in RULE_FIELDS.items():
        if name not in values:
            continue
        text = str(values[name]).strip()
        try:
            if name.startswith("review_"):
                if text and text not in ReviewWhen.values:
                    raise ValueError
                parsed[field] = text
            elif name == "time_limit":
                limit = MAX_TIME_LIMIT_MINUTES
                parsed[field] = _minutes(text, low=1, high=limit) if text else None
            else:
                parsed[field] = _moment(text) if text else None
        except ValueError:
            errors[name] = [_bad(name)]
    opens, closes = parsed.get("opens_at"), parsed.get("closes_at")
    if opens and closes and opens >= closes:
        errors["closes_at"] = [_("The close date must be after the open date.")]
    if errors:
        raise InvalidRules(errors, message=next(iter(errors.values()))[0])
    return parsed


def _bad(name: str) -> str:
    """What is wrong with a rule's value, in words."""
    if name.startswith("review_"):
        return _(
            "Choose when this is shown: immediately, after the last attempt, after the close "
            "date, or never."
        )
    if name == "time_limit":
        return _(
            "The time limit is a whole number of minutes from 1 to %(max)s, or empty for none."
        ) % {"max": MAX_TIME_LIMIT_MINUTES}
    if name == "opens_at":
        return _("The open date is a date and time like 2026-09-01T08:00.")
    return _("The close date is a date and time like 2026-09-01T08:00.")


def placement_rules_set(*, placement: Placement, rules: Mapping[str, Any]) -> Placement:
    """Set the parsed rules given (rules_parse); writes only what changed. The open date must
    stay before the close date, whichever of them changes (InvalidRules)."""
    changed = {field: value for field, value in rules.items() if getattr(placement, field) != value}
    opens = changed.get("opens_at", placement.opens_at)
    closes = changed.get("closes_at", placement.closes_at)
    if opens and closes and opens >= closes:
        raise InvalidRules({"closes_at": [_("The close date must be after the open date.")]})
    if changed:
        for field, value in changed.items():
            setattr(placement, field, value)
        placement.save(update_fields=list(changed))
    return placement


def learner_override_parse(values: Mapping[str, str]) -> dict[str, Any]:
    """An instructor's form for one learner: extra attempts, extra minutes, a close date."""
    errors: Errors = {}
    parsed: dict[str, Any] = {}
    for name, high in (("extra_attempts", MAX_EXTRA_ATTEMPTS), ("extra_minutes", 24 * 60)):
        text = str(values.get(name, "")).strip() or "0"
        try:
            parsed[name] = _minutes(text, low=0, high=high)
        except ValueError:
            errors[name] = [_("A whole number from 0 to %(max)s.") % {"max": high}]
    closes = str(values.get("closes_at", "")).strip()
    try:
        parsed["closes_at"] = _moment(closes) if closes else None
    except ValueError:
        errors["closes_at"] = [_bad("closes_at")]
    if errors:
        raise InvalidRules(errors, message=next(iter(errors.values()))[0])
    return parsed


def learner_override_set(
    *,
    placement: Placement,
    learner_key: str,
    extra_attempts: int = 0,
    extra_minutes: int = 0,
    closes_at: datetime | None = None,
) -> LearnerOverride | None:
    """What one learner gets beyond the placement's settings; all zero and empty removes it."""
    with transaction.atomic():
        if not (extra_attempts or extra_minutes or closes_at):
            LearnerOverride.objects.filter(placement=placement, learner_key=learner_key).delete()
            return None
        override, _created = LearnerOverride.objects.update_or_create(
            placement=placement,
            learner_key=learner_key,
            defaults={
                "extra_attempts": extra_attempts,
                "extra_minutes": extra_minutes,
                "closes_at": closes_at,
                "updated_at": timezone.now(),
            },
        )
    return override


def moment_as_field(moment: datetime | None) -> str:
    """A moment as a datetime-local form field holds it (UTC, minutes)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if moment else ""


def rules_as_text(placement: Placement | None, given: Mapping[str, str] | None = None) -> dict:
    """The rules' current text, by RULE_FIELDS name, for a form: what was `given` (a form sent
    back with an error), else the placement's, else the defaults."""
    texts: dict[str, str] = {}
    for name, field in RULE_FIELDS.items():
        if given is not None and name in given:
            texts[name] = str(given[name])
            continue
        value = getattr(placement, field) if placement is not None else None
        if name.startswith("review_"):
            texts[name] = value or DEFAULTS[name.removeprefix("review_")]
        elif name == "time_limit":
            texts[name] = str(value) if value else ""
        else:
            texts[name] = moment_as_field(value)
    return texts


def review_parts(texts: Mapping[str, str]) -> list[dict[str, str]]:
    """The four review rules as a form lists them: name, label, current value."""
    labels = {
        "review_score": _("The score"),
        "review_marks": _("Which answers were right or wrong"),
        "review_correct": _("The correct answers"),
        "review_feedback": _("Feedback and explanations"),
    }
    return [{"name": name, "label": label, "value": texts[name]} for name, label in labels.items()]
