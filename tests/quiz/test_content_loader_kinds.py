"""The content loader takes any question kind: each question goes through the same
`question_validate` as the REST API, spec, hints and fractions included, and a bad file is
refused naming the file, the question and the field (no traceback, nothing written)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lti_quiz.quiz.models import Question, Quiz

pytestmark = pytest.mark.django_db

LESSON = """+++
title = "Work and power"
summary = "Forces, distances and the work they do."
+++

## Work

Work is force times distance.
"""

CALCULATED = """
[[questions]]
key = "work"
kind = "calculated"
text = "A force of {f} N moves a box {d} m: the work?"
points = 2
hints = ["Multiply the force by the distance."]

[questions.spec]
unit_handling = "optional"
units = [{unit = "J", multiplier = "1"}]
answers = [{formula = "{f}*{d}", tolerance = "0.01", tolerance_type = "relative", fraction = "1"}]
datasets = [{name = "f", values = ["20", "40"]}, {name = "d", values = ["3.5", "2"]}]
"""

PARTIAL_CHOICE = """
[[questions]]
key = "best"
kind = "single_choice"
text = "Which unit measures work?"
choices = [
  {text = "joule", correct = true},
  {text = "newton metre per second", fraction = "0.5", feedback = "That is power."},
  {text = "kilogram"},
]
"""

DESCRIPTION = """
[[questions]]
key = "intro"
kind = "description"
text = "The next questions are about work."
"""


def content(tmp_path: Path, questions: str) -> Path:
    folder = tmp_path / "content" / "work-and-power"
    folder.mkdir(parents=True)
    (folder / "lesson.md").write_text(LESSON, encoding="utf-8")
    quiz = f'slug = "work-quiz"\ntitle = "Work"\n{questions}'
    (folder / "quiz.toml").write_text(quiz, encoding="utf-8")
    return folder.parent


def load(directory: Path) -> str:
    out = StringIO()
    call_command("load_content", "--content-dir", directory, stdout=out)
    return out.getvalue()


def test_it_loads_a_calculated_question_with_its_spec_and_hints(tmp_path):
    load(content(tmp_path, CALCULATED))
    question = Question.objects.get(key="work")
    assert question.kind == "calculated"
    assert question.spec["datasets"][0]["values"] == ["20", "40"]
    assert question.spec["answers"][0]["formula"] == "{f}*{d}"
    assert question.hints == ["Multiply the force by the distance."]
    assert str(question.points) == "2.00"


def test_it_keeps_a_choice_fraction_and_feedback(tmp_path):
    load(content(tmp_path, PARTIAL_CHOICE))
    choices = Question.objects.get(key="best").choices.order_by("position")
    assert choices[1].fraction == Decimal("0.5")
    assert choices[1].feedback == "That is power."


def test_a_description_without_points_gets_zero(tmp_path):
    load(content(tmp_path, DESCRIPTION + PARTIAL_CHOICE))
    assert str(Question.objects.get(key="intro").points) == "0.00"


def test_loading_a_calculated_question_twice_changes_nothing(tmp_path):
    directory = content(tmp_path, CALCULATED)
    load(directory)
    assert "unchanged" in load(directory).splitlines()[-1]
    assert Question.objects.get(key="work").version == 1


@pytest.mark.parametrize(
    ("questions", "named"),
    [
        (CALCULATED.replace('"{f}*{d}"', '"{f}*{mass}"'), "field 'spec'"),
        (CALCULATED.replace("points = 2", "points = -1"), "field 'points'"),
        (DESCRIPTION + 'points = "1"\n', "field 'points'"),
        (PARTIAL_CHOICE.replace(", correct = true", ""), "field 'choices'"),
        (CALCULATED.replace('kind = "calculated"', 'kind = "calculus"'), "field 'kind'"),
    ],
    ids=["unknown-dataset", "negative-points", "description-points", "no-correct", "bad-kind"],
)
def test_a_bad_question_is_refused_naming_file_question_and_field(tmp_path, questions, named):
    directory = content(tmp_path, questions)
    with pytest.raises(CommandError) as refused:
        load(directory)
    message = str(refused.value)
    assert "quiz.toml" in message and named in message, message
    assert "question '" in message, message
    assert not Quiz.objects.exists() and not Question.objects.exists()
