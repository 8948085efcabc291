"""The question API's serializers: what an editor reads (the answer key included) and what a
write may send (strict types, checked again by `quiz.question_format`)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lti_quiz.api.base import InputSerializer as _Input
from lti_quiz.api.base import (
    StrictBooleanField,
    StrictCharField,
    StrictDecimalField,
    StrictRelatedField,
)
from lti_quiz.quiz import question_format as qf
from lti_quiz.quiz.models import Question, QuestionBank, QuestionKind

OUTCOME_HELP = {
    "correct_feedback": "Shown after submission to a learner who got the question right.",
    "partially_correct_feedback": "Multiple response: shown to a learner who chose some right "
    "choices but not exactly the right ones (empty: the feedback for a wrong answer).",
    "incorrect_feedback": "Shown after submission to a learner who got the question wrong.",
}

# Output ------------------------------------------------------------------------------------


FRACTION_HELP = (
    "The share of the points this choice earns, from -1 to 1 (Moodle's and GIFT's "
    "percentages / 100): a partly right option, or each option's weight when a multiple "
    "response is scored per option (negative: a penalty). Null: 1 when correct, else 0."
)
SPEC_HELP = (
    "The settings of kinds that need more than choices and patterns (numerical answers and "
    "units, matching pairs, ordering items, essay options, cloze gaps...), as documented for "
    "each kind in docs/question-kinds.md. Empty for single choice, multiple response, "
    "true/false and short answer."
    # Numerical and cloze (docs/question-kinds.md has every setting).
    ' Numerical: {"answers": [{"value": "9.81", "tolerance": "0.05", "fraction": "1", '
    '"feedback": ""}], "units": [{"unit": "m/s²", "multiplier": "1"}], '
    '"unit_handling": "none|optional|required", "unit_penalty": "0.1"}.'
    ' Cloze (the text holds [[1]], [[2]]...): {"gaps": [{"type": '
    '"short_answer|numerical|choice", "weight": "1", "answers": [...] or "choices": [...]}]}.'
)
HINTS_HELP = "Hints, in order: shown with the feedback, as the review rules allow."


class FractionField(serializers.Field):
    """A choice's fraction as QuestionData writes it ("0.5"), or null when not set."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        value = instance.get("fraction") if isinstance(instance, dict) else instance.fraction
        return qf.fraction_text(qf.parse_fraction(value))

    def to_representation(self, value: Any) -> Any:
        return value


class ChoiceSerializer(serializers.Serializer):
    text = serializers.CharField()
    is_correct = serializers.BooleanField()
    fraction = extend_schema_field(serializers.CharField(allow_null=True, help_text=FRACTION_HELP))(
        FractionField
    )()
    feedback = serializers.CharField(help_text="Shown to a learner who chose this choice.")


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class PatternListField(serializers.Field):
    """A question's accepted patterns as strings (from the prefetched rows)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> list[str]:
        return [pattern.pattern for pattern in value.all()]


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    bank = serializers.IntegerField(source="bank_id", help_text="The question bank's id.")
    key = serializers.CharField(help_text="Stable id inside the bank (a slug).")
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    explanation = serializers.CharField(help_text="Shown after submission; may be empty.")
    correct_feedback = serializers.CharField(help_text=OUTCOME_HELP["correct_feedback"])
    partially_correct_feedback = serializers.CharField(
        help_text=OUTCOME_HELP["partially_correct_feedback"]
    )
    incorrect_feedback = serializers.CharField(help_text=OUTCOME_HELP["incorrect_feedback"])
    tags = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=Question.Status.choices)
    choices = ChoiceSerializer(
        many=True, help_text="In authoring order; empty for short-answer questions."
    )
    patterns = PatternListField(
        help_text="Accepted answers of a short-answer question: words or phrases matched as "
        "whole words in any case; a * ends a word with any ending (test* matches testing).",
    )
    model_answer = serializers.CharField(
        help_text="Short answers: what a good answer says, shown to whoever reviews one the "
        "patterns leave to a person; may be empty."
    )
    rejected_patterns = serializers.ListField(
        child=serializers.CharField(),
        help_text="Short answers: patterns of wrong answers; an answer matching one waits for "
        "review even when an accepted pattern matches.",
    )
    spec = serializers.DictField(help_text=SPEC_HELP)
    hints = serializers.ListField(child=serializers.CharField(), help_text=HINTS_HELP)
    version = serializers.IntegerField(
        help_text='Bumped by every change; the ETag is `"<id>-<version>"`.'
    )
    updated_at = serializers.DateTimeField()


class ChangedBySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class QuestionContentSerializer(serializers.Serializer):
    """The question as it was after a change (the neutral question format)."""

    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField()
    points = serializers.CharField(help_text='A decimal number as a string, such as "1.00".')
    explanation = serializers.CharField()
    # Versions written before these fields existed have none: "".
    correct_feedback = serializers.CharField(default="")
    partially_correct_feedback = serializers.CharField(default="")
    incorrect_feedback = serializers.CharField(default="")
    tags = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=Question.Status.choices)
    choices = ChoiceSerializer(many=True)
    patterns = serializers.ListField(child=serializers.CharField())
    model_answer = serializers.CharField(default="")
    rejected_patterns = serializers.ListField(child=serializers.CharField(), default=list)
    spec = serializers.DictField(default=dict)
    hints = serializers.ListField(child=serializers.CharField(), default=list)


class QuestionVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    content = QuestionContentSerializer()
    changed_fields = serializers.ListField(
        child=serializers.CharField(), help_text="Fields this version changed."
    )
    changed_by = ChangedBySerializer(allow_null=True, help_text="Null: a command or import.")
    created_at = serializers.DateTimeField()


# Input -------------------------------------------------------------------------------------


class ChoiceInputSerializer(_Input):
    text = StrictCharField(max_length=qf.MAX_CHOICE_TEXT)
    is_correct = StrictBooleanField(default=False)
    fraction = StrictDecimalField(
        max_digits=8,
        decimal_places=7,
        min_value=-1,
        max_value=1,
        allow_null=True,
        required=False,
        help_text=FRACTION_HELP,
    )
    feedback = StrictCharField(max_length=qf.MAX_FEEDBACK, allow_blank=True, default="")


def _outcome_input(name: str) -> StrictCharField:
    return StrictCharField(
        max_length=qf.MAX_FEEDBACK, allow_blank=True, default="", help_text=OUTCOME_HELP[name]
    )


class QuestionWriteSerializer(_Input):
    """A question to create or replace (PUT), or the fields to change (PATCH)."""

    bank = StrictRelatedField(
        queryset=QuestionBank.objects.all(),
        required=False,
        help_text="The bank's id. Required to create; a question cannot move between banks.",
    )
    key = StrictCharField(
        max_length=qf.MAX_KEY,
        required=False,
        help_text="A slug unique in the bank. Generated from the text when omitted on create; "
        "kept when omitted on update.",
    )
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = StrictCharField(max_length=qf.MAX_TEXT)
    # 0 is a description's (a text between questions); every other kind's are above 0.
    points = StrictDecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=qf.MAX_POINTS,
        required=False,
        help_text="Default when omitted on create or PUT: 0 for a description, 1 otherwise.",
    )
    explanation = StrictCharField(max_length=qf.MAX_EXPLANATION, allow_blank=True, default="")
    correct_feedback = _outcome_input("correct_feedback")
    partially_correct_feedback = _outcome_input("partially_correct_feedback")
    incorrect_feedback = _outcome_input("incorrect_feedback")
    tags = serializers.ListField(
        child=StrictCharField(max_length=qf.MAX_TAG), max_length=qf.MAX_TAGS, default=list
    )
    status = serializers.ChoiceField(choices=Question.Status.choices, default="active")
    choices = ChoiceInputSerializer(
        many=True,
        max_length=qf.MAX_CHOICES,
        default=list,
        help_text="Single choice: two or more, exactly one correct. Multiple response: two or "
        "more, at least one correct. True/false: exactly two, one correct. Short answer: none.",
    )
    patterns = serializers.ListField(
        child=StrictCharField(max_length=qf.MAX_PATTERN),
        max_length=qf.MAX_PATTERNS,
        default=list,
        help_text="Short answer only, at least one.",
    )
    model_answer = StrictCharField(
        max_length=qf.MAX_MODEL_ANSWER,
        allow_blank=True,
        default="",
        help_text="Short answers: what a good answer says, for whoever reviews one. Essays: "
        "the information for graders (shown to reviewers only).",
    )
    rejected_patterns = serializers.ListField(
        child=StrictCharField(max_length=qf.MAX_PATTERN),
        max_length=qf.MAX_PATTERNS,
        default=list,
        help_text="Short answer only, optional: an answer matching one waits for review.",
    )
    spec = serializers.DictField(default=dict, help_text=SPEC_HELP)
    hints = serializers.ListField(
        child=StrictCharField(max_length=qf.MAX_FEEDBACK),
        max_length=qf.MAX_HINTS,
        default=list,
        help_text=HINTS_HELP,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The default depends on the kind (a description scores nothing), so it is set here
        # rather than on the field; a PATCH leaves points alone.
        if not self.partial and "points" not in attrs:
            attrs["points"] = qf.default_points(attrs.get("kind"))
        return attrs


# Filters -----------------------------------------------------------------------------------
