"""The neutral question format (QuestionData): reading it from a question, validating it.

One place for the rules every way in shares: the REST API, the import formats and the
content loader all call `question_validate`, so a question one of them accepts the others
accept too. Rules are checked on the whole question after merging a partial update onto the
current state, so "PATCH kind=short_answer" is judged with the choices it would keep.
"""

import re
from collections.abc import Container, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify

from lti_quiz.lib.fields import Errors, fields_merge
from lti_quiz.lib.slugs import NOT_A_SLUG, is_slug
from lti_quiz.lib.storable import UNSTORABLE, storable
from lti_quiz.quiz import patterns, rich_text
from lti_quiz.quiz.kinds import REGISTRY
from lti_quiz.quiz.models import Question, QuestionBank
from lti_quiz.quiz.rich_text import clean_field

# The overall feedback by outcome (right, partly right: multiple response only, wrong).
OUTCOME_FEEDBACK = ("correct_feedback", "partially_correct_feedback", "incorrect_feedback")
QUESTION_FIELDS = (
    "key", "kind", "text", "points", "explanation", *OUTCOME_FEEDBACK, "tags", "status",
    "choices", "patterns", "model_answer", "rejected_patterns", "spec", "hints",
)  # fmt: skip
CHOICE_FIELDS = ("text", "is_correct", "fraction", "feedback")
QUESTION_DEFAULTS: dict[str, Any] = {
    "key": "",
    "points": "1",
    "explanation": "",
    **dict.fromkeys(OUTCOME_FEEDBACK, ""),
    "tags": [],
    "status": Question.Status.ACTIVE.value,
    "choices": [],
    "patterns": [],
    "model_answer": "",
    "rejected_patterns": [],
    "spec": {},
    "hints": [],
}

MAX_KEY = 100
MAX_TEXT = 5000
MAX_EXPLANATION = 5000
MAX_CHOICE_TEXT = 1000
MAX_FEEDBACK = 2000
MAX_MODEL_ANSWER = 2000
MAX_CHOICES = 20
MAX_HINTS = 10
MAX_PATTERN = 200
MAX_PATTERNS = 50
MAX_TAG = 50
MAX_TAGS = 20
MAX_POINTS = Decimal(1000)
CENT = Decimal("0.01")
FRACTION_STEP = Decimal("0.0000001")  # Moodle keeps fractions to 7 places

# Slug-ish: letters (any script), digits, and - _ . inside; no spaces, commas or quotes.
TAG_RE = re.compile(r"^\w[\w.-]*$")
NON_FIELD = "non_field_errors"


def question_validate(
    data: Any, *, partial_of: Question | None = None, bank: QuestionBank | None = None
) -> Errors:
    """What is wrong with `data` as a question (empty: nothing).

    `partial_of`: `data` is a partial update of that question (its bank is used for the key's
    uniqueness). `bank`: the bank a new question would go to; without it the key's uniqueness
    is not checked (it still is when the question is created).
    """
    if not isinstance(data, Mapping):
        return {NON_FIELD: ["Expected an object of question fields."]}
    merged, errors = fields_merge(
        data,
        fields=QUESTION_FIELDS,
        current=question_data(partial_of) if partial_of is not None else None,
        defaults=QUESTION_DEFAULTS,
        required=("kind", "text"),
    )
    if partial_of is not None:
        bank = partial_of.bank
    _check_key(errors, merged.get("key"), bank=bank, instance=partial_of)
    kind = merged.get("kind")
    if not isinstance(kind, str):
        kind = None
    if "kind" not in errors and kind not in REGISTRY:
        _add(errors, "kind", f"Must be one of: {', '.join(REGISTRY)}.")
    if "text" not in errors:
        _check_text(errors, "text", merged.get("text"), MAX_TEXT, required=True, rich=True)
    _check_text(errors, "explanation", merged.get("explanation"), MAX_EXPLANATION, rich=True)
    for name in OUTCOME_FEEDBACK:
        _check_text(errors, name, merged.get(name), MAX_FEEDBACK, rich=True)
    _check_text(errors, "model_answer", merged.get("model_answer"), MAX_MODEL_ANSWER)
    _check_points(
        errors,
        merged.get("points"),
        scored=kind not in REGISTRY or REGISTRY[kind].scored,
    )
    _check_tags(errors, merged.get("tags"))
    if merged.get("status") not in Question.Status.values:
        _add(errors, "status", f"Must be one of: {', '.join(Question.Status.values)}.")
    _check_hints(errors, merged.get("hints"))
    choices = _check_choices(errors, merged.get("choices"))
    accepted = _check_patterns(errors, merged.get("patterns"))
    rejected = _check_patterns(errors, merged.get("rejected_patterns"), field="rejected_patterns")
    spec = merged.get("spec")
    if not isinstance(spec, Mapping):
        _add(errors, "spec", "Must be an object of the kind's settings.")
    shapes_ok = None not in (choices, accepted, rejected) and "spec" not in errors
    if kind in REGISTRY and shapes_ok:
        REGISTRY[kind].validate(merged, errors)
    return errors


def question_data(question: Question) -> dict[str, Any]:
    """The question's current state as QuestionData, JSON-ready (points as a string "1.00").

    Uses prefetched `choices` and `patterns` when the caller prefetched them.
    """
    return {
        "key": question.key,
        "kind": question.kind,
        "text": question.text,
        "points": points_text(question.points),
        "explanation": question.explanation,
        **{name: getattr(question, name) for name in OUTCOME_FEEDBACK},
        "tags": list(question.tags),
        "status": question.status,
        "choices": [
            choice_data(c.text, c.is_correct, c.fraction, c.feedback)
            for c in question.choices.all()
        ],
        "patterns": [p.pattern for p in question.patterns.all()],
        "model_answer": question.model_answer,
        "rejected_patterns": list(question.rejected_patterns),
        "spec": dict(question.spec),
        "hints": list(question.hints),
    }


def question_normalize(data: Mapping[str, Any]) -> dict[str, Any]:
    """A complete, VALID QuestionData in the form `question_data` gives (for comparisons),
    HTML in the rich fields sanitised (plain text kept as is)."""
    points = parse_points(data["points"])
    assert points is not None
    return {
        "key": data["key"],
        "kind": str(data["kind"]),
        "text": clean_field(data["text"]),
        "points": points_text(points),
        "explanation": clean_field(data["explanation"]),
        **{name: clean_field(data.get(name, "")) for name in OUTCOME_FEEDBACK},
        "tags": list(data["tags"]),
        "status": str(data["status"]),
        "choices": [
            choice_data(
                clean_field(c["text"]),
                bool(c.get("is_correct", False)),
                parse_fraction(c.get("fraction")),
                clean_field(c.get("feedback", "")),
            )
            for c in data["choices"]
        ],
        "patterns": list(data["patterns"]),
        "model_answer": data.get("model_answer", ""),
        "rejected_patterns": list(data.get("rejected_patterns", [])),
        "spec": dict(data.get("spec", {})),
        "hints": list(data.get("hints", [])),
    }


def choice_data(
    text: str, is_correct: bool, fraction: Decimal | None, feedback: str
) -> dict[str, Any]:
    """A choice as QuestionData: `fraction` only when set (versions and exports written before
    fractions existed say the same without it)."""
    data: dict[str, Any] = {"text": text, "is_correct": is_correct}
    if fraction is not None:
        data["fraction"] = fraction_text(fraction)
    data["feedback"] = feedback
    return data


def key_from_text(text: str) -> str:
    """A key for a question given none: the first words of its text as a slug ("question" when
    they have no letters or digits). `key_free` numbers it past the keys already taken."""
    return slugify(" ".join(text.split()[:6]))[:60].strip("-") or "question"


def key_free(base: str, *, taken: Container[str]) -> str:
    """`base`, or the first of `base`-2, `base`-3... not in `taken`."""
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def default_points(kind: Any) -> str:
    """The points a new question gets when none are given: 0 for a kind that scores nothing
    (a description), else 1; every way in (API, loader, imports) uses this one default."""
    unscored = isinstance(kind, str) and kind in REGISTRY and not REGISTRY[kind].scored
    return "0" if unscored else "1"


def points_text(points: Decimal) -> str:
    return str(Decimal(points).quantize(CENT))


def parse_points(value: Any) -> Decimal | None:
    """Points as a Decimal, or None when `value` is not a number (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return points if points.is_finite() else None


def parse_fraction(value: Any) -> Decimal | None:
    """A choice's fraction as a Decimal (None: not given, or not a number)."""
    if value is None or value == "":
        return None
    return parse_points(value)


def fraction_text(value: Decimal | None) -> str | None:
    """A fraction as QuestionData gives it: "0.5", "-0.3333333"; None when not set."""
    if value is None:
        return None
    return f"{Decimal(value).quantize(FRACTION_STEP).normalize():f}"


def _check_key(errors: Errors, key: Any, *, bank: QuestionBank | None, instance: Any) -> None:
    if key in ("", None) and instance is None:
        return  # generated on create
    if not is_slug(key):
        _add(errors, "key", NOT_A_SLUG)
    elif len(key) > MAX_KEY:
        _add(errors, "key", f"At most {MAX_KEY} characters.")
    elif bank is not None and bank.pk is not None:
        taken = Question.objects.filter(bank=bank, key=key)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            _add(errors, "key", f"The bank already has a question with key {key!r}.")


def _check_text(
    errors: Errors,
    name: str,
    value: Any,
    limit: int,
    *,
    required: bool = False,
    where: str = "",
    rich: bool = False,
) -> None:
    """`rich`: the value may be HTML (rich_text), which is sanitised when it is saved; every
    image it keeps needs alt text."""
    field = "choices" if where else name
    label = f"{where}{name}" if where else ""
    prefix = f"{label}: " if label else ""
    if not isinstance(value, str):
        _add(errors, field, f"{prefix}Must be a string.")
    elif required and not value.strip():
        _add(errors, field, f"{prefix}This field may not be blank.")
    elif len(value) > limit:
        _add(errors, field, f"{prefix}At most {limit} characters (got {len(value)}).")
    elif not storable(value):
        _add(errors, field, f"{prefix}{UNSTORABLE}")
    elif rich and (missing := rich_text.images_without_alt(rich_text.clean_field(value))):
        sources = ", ".join(src or "(no src)" for src in missing)
        _add(errors, field, f"{prefix}Images need alt text: {sources}.")


def _check_points(errors: Errors, value: Any, *, scored: bool = True) -> None:
    points = parse_points(value)
    if points is None:
        _add(errors, "points", "A number is required.")
    elif not scored:
        if points != 0:
            _add(errors, "points", "A description scores nothing: its points are 0.")
    elif points <= 0 or points > MAX_POINTS:
        _add(errors, "points", f"Must be more than 0 and at most {MAX_POINTS}.")
    elif points != points.quantize(CENT):
        _add(errors, "points", "At most 2 decimal places.")


def _check_tags(errors: Errors, tags: Any) -> None:
    if not isinstance(tags, list):
        _add(errors, "tags", "Must be a list of strings.")
        return
    if len(tags) > MAX_TAGS:
        _add(errors, "tags", f"At most {MAX_TAGS} tags.")
    for tag in tags:
        if not isinstance(tag, str):
            _add(errors, "tags", "Must be a list of strings.")
        elif len(tag) > MAX_TAG:
            _add(errors, "tags", f"{tag[:20]!r}…: at most {MAX_TAG} characters.")
        elif not TAG_RE.match(tag):
            _add(
                errors,
                "tags",
                f"{tag!r}: use letters, digits, and - _ . inside a tag (no spaces).",
            )
    strings = [tag for tag in tags if isinstance(tag, str)]
    if len(set(strings)) != len(strings):
        _add(errors, "tags", "A tag appears twice.")


def _check_choices(errors: Errors, choices: Any) -> list[Mapping] | None:
    """The choices when their shape is right (for the kind rules), else None."""
    if not isinstance(choices, list):
        _add(errors, "choices", "Must be a list of choices.")
        return None
    if len(choices) > MAX_CHOICES:
        _add(errors, "choices", f"At most {MAX_CHOICES} choices.")
    ok = True
    for number, choice in enumerate(choices, start=1):
        where = f"Choice {number} "
        if not isinstance(choice, Mapping):
            _add(errors, "choices", f"Choice {number}: must be an object with text, is_correct.")
            ok = False
            continue
        for name in choice:
            if name not in CHOICE_FIELDS:
                _add(errors, "choices", f"Choice {number}: unknown field {str(name)!r}.")
        text = choice.get("text")
        _check_text(errors, "text", text, MAX_CHOICE_TEXT, required=True, where=where, rich=True)
        feedback = choice.get("feedback", "")
        _check_text(errors, "feedback", feedback, MAX_FEEDBACK, where=where, rich=True)
        if not isinstance(choice.get("is_correct", False), bool):
            _add(errors, "choices", f"Choice {number} is_correct: must be true or false.")
            ok = False
        if choice.get("fraction") not in (None, ""):
            fraction = parse_fraction(choice.get("fraction"))
            if fraction is None or not -1 <= fraction <= 1:
                _add(errors, "choices", f"Choice {number} fraction: a number from -1 to 1.")
                ok = False
            elif fraction != fraction.quantize(FRACTION_STEP):
                _add(errors, "choices", f"Choice {number} fraction: at most 7 decimal places.")
                ok = False
    texts = [c.get("text") for c in choices if isinstance(c, Mapping)]
    texts = [text for text in texts if isinstance(text, str)]
    if len(set(texts)) != len(texts):
        _add(errors, "choices", "Two choices have the same text.")
    return choices if ok else None


def _check_patterns(errors: Errors, accepted: Any, field: str = "patterns") -> list[str] | None:
    if not isinstance(accepted, list) or not all(isinstance(p, str) for p in accepted):
        _add(errors, field, "Must be a list of strings.")
        return None
    if len(accepted) > MAX_PATTERNS:
        _add(errors, field, f"At most {MAX_PATTERNS} patterns.")
    for pattern in accepted:
        if len(pattern) > MAX_PATTERN:
            _add(errors, field, f"{pattern[:20]!r}…: at most {MAX_PATTERN} characters.")
            continue
        try:
            patterns.validate(pattern)
        except ValueError as exc:
            _add(errors, field, f"{pattern!r}: {exc}")
    return accepted


def _check_hints(errors: Errors, hints: Any) -> None:
    if not isinstance(hints, list):
        _add(errors, "hints", "Must be a list of strings.")
        return
    if len(hints) > MAX_HINTS:
        _add(errors, "hints", f"At most {MAX_HINTS} hints.")
    for number, hint in enumerate(hints, start=1):
        _check_text(errors, "hints", hint, MAX_FEEDBACK, required=True, where=f"Hint {number} ")


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)
