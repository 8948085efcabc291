"""Matching, ordering and select missing words: validation, snapshots and scoring, with
scores worked out by hand."""

import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from lti_quiz.quiz import display, scoring
from lti_quiz.quiz.errors import InvalidAnswer
from lti_quiz.quiz.kinds import kind_get
from lti_quiz.quiz.kinds.select_missing_words import gap_segments
from lti_quiz.quiz.question_format import question_validate
from lti_quiz.quiz.statistics import question_statistics
from tests.factories.dropdown_kinds import GAPS_SPEC, GAPS_TEXT, dropdown_payload


def snapshot(kind: str, *, points: str = "3", shuffle: bool = True, seed: int = 1, **fields):
    """The kind's snapshot question of the payload, as an attempt keeps it."""
    data = dropdown_payload(kind, **fields)
    question = SimpleNamespace(text=data["text"], spec=data["spec"])
    kept = kind_get(kind).snapshot(question, rng=random.Random(seed), shuffle=shuffle)
    common = {"slot": "1", "kind": kind, "text": data["text"], "points": points, "choices": []}
    return common | kept


def errors_of(kind: str, **fields) -> list[str]:
    return question_validate(dropdown_payload(kind, **fields)).get("spec", [])


class TestMatchingValidation:
    def test_the_sample_is_valid(self):
        assert question_validate(dropdown_payload("matching")) == {}

    def test_it_names_a_blank_prompt_by_its_place(self):
        spec = {"pairs": [{"prompt": "A", "answer": "1"}, {"prompt": " ", "answer": "2"}]}
        assert errors_of("matching", spec=spec) == [
            "spec.pairs[2].prompt: This field may not be blank."
        ]

    def test_it_wants_two_pairs(self):
        spec = {"pairs": [{"prompt": "A", "answer": "1"}]}
        assert errors_of("matching", spec=spec) == ["spec.pairs: Give at least 2."]

    def test_it_refuses_a_distractor_that_is_an_answer_and_unknown_fields(self):
        spec = {**dict(dropdown_payload("matching")["spec"]), "distractors": ["Woof"], "x": 1}
        assert errors_of("matching", spec=spec) == [
            "spec.x: Unknown field.",
            "spec.distractors[1]: Already an answer of a pair.",
        ]

    def test_it_refuses_choices(self):
        errors = question_validate(dropdown_payload("matching", choices=[{"text": "a"}]))
        assert errors["choices"] == ["A matching question has no choices."]


class TestMatchingScoring:
    def test_options_are_the_distinct_answers_and_the_distractors(self):
        question = snapshot("matching")
        assert sorted(o["text"] for o in question["options"]) == ["Meow", "Moo", "Woof"]
        assert len({part["key"] for part in question["parts"]}) == 3

    def test_every_pair_right_scores_the_points(self):
        question = snapshot("matching")
        answer = {part["key"]: part["answer"] for part in question["parts"]}
        outcome = scoring.score_question(question, answer)
        assert (outcome.is_correct, outcome.score) == (True, Decimal(3))

    def test_two_of_three_pairs_score_two_thirds(self):
        question = snapshot("matching", points="1")
        by_prompt = {part["prompt"]: part for part in question["parts"]}
        moo = next(o["key"] for o in question["options"] if o["text"] == "Moo")
        answer = {
            by_prompt["Cat"]["key"]: by_prompt["Cat"]["answer"],
            by_prompt["Dog"]["key"]: by_prompt["Dog"]["answer"],
            by_prompt["Kitten"]["key"]: moo,
        }
        outcome = scoring.score_question(question, answer)
        # 1 point x 2 / 3 = 0.666..., to the cent.
        assert (outcome.is_correct, outcome.score) == (False, Decimal("0.67"))

    def test_nothing_chosen_scores_zero(self):
        outcome = scoring.score_question(snapshot("matching"), None)
        assert (outcome.is_correct, outcome.score) == (False, 0)

    def test_it_refuses_a_key_that_is_not_an_option(self):
        question = snapshot("matching")
        with pytest.raises(InvalidAnswer):
            scoring.score_question(question, {question["parts"][0]["key"]: "guess"})

    def test_the_quiz_page_gets_no_answer_key(self):
        question = snapshot("matching")
        shown = kind_get("matching").ask(question, None)
        assert "answer" not in str(shown)
        assert [o["text"] for o in shown["options"]] == [o["text"] for o in question["options"]]

    def test_a_draft_of_an_unknown_option_is_refused(self):
        question = snapshot("matching")
        part = question["parts"][0]["key"]
        kind = kind_get("matching")
        assert kind.answer_problem(question, {part: question["options"][0]["key"]}) is None
        assert (
            kind.answer_problem(question, {part: "nope"})
            == f"Part {part!r}: not one of its options."
        )


class TestOrderingValidation:
    def test_the_sample_is_valid(self):
        assert question_validate(dropdown_payload("ordering")) == {}

    def test_it_names_what_is_wrong(self):
        spec = {"items": ["a", "", "a"], "scoring": "longest"}
        assert errors_of("ordering", spec=spec) == [
            "spec.items[2]: This field may not be blank.",
            "spec.items: Two items have the same text.",
            "spec.scoring: Must be one of: positions, adjacent_pairs, all_or_nothing.",
        ]


def ordering_answer(question, order: list[str]) -> dict[str, str]:
    """The answer placing the items in `order` (texts); items not named get no position."""
    by_text = {item["text"]: item["key"] for item in question["items"]}
    return {by_text[text]: str(position) for position, text in enumerate(order, start=1)}


class TestOrderingScoring:
    def test_items_are_shown_out_of_order(self):
        for seed in range(10):
            texts = [item["text"] for item in snapshot("ordering", seed=seed)["items"]]
            assert texts != ["Plan", "Build", "Test", "Ship"]

    def test_the_right_order_scores_the_points(self):
        question = snapshot("ordering", points="4")
        outcome = scoring.score_question(
            question, ordering_answer(question, ["Plan", "Build", "Test", "Ship"])
        )
        assert (outcome.is_correct, outcome.score) == (True, Decimal(4))

    def test_positions_count_each_item_in_its_place(self):
        # Plan, Test, Build, Ship: Plan and Ship in place, 4 points x 2 / 4.
        question = snapshot("ordering", points="4")
        outcome = scoring.score_question(
            question, ordering_answer(question, ["Plan", "Test", "Build", "Ship"])
        )
        assert (outcome.is_correct, outcome.score) == (False, Decimal(2))

    def test_adjacent_pairs_count_each_right_follower(self):
        # Right pairs: Plan>Build, Build>Test, Test>Ship. Given Build, Test, Ship, Plan: no item
        # in place, but Build>Test and Test>Ship hold: 3 points x 2 / 3.
        spec = {"items": ["Plan", "Build", "Test", "Ship"], "scoring": "adjacent_pairs"}
        question = snapshot("ordering", spec=spec)
        outcome = scoring.score_question(
            question, ordering_answer(question, ["Build", "Test", "Ship", "Plan"])
        )
        assert outcome.score == Decimal(2)

    def test_all_or_nothing_gives_nothing_for_a_near_miss(self):
        spec = {"items": ["Plan", "Build", "Test", "Ship"], "scoring": "all_or_nothing"}
        question = snapshot("ordering", spec=spec)
        answer = ordering_answer(question, ["Plan", "Build", "Ship", "Test"])
        assert scoring.score_question(question, answer).score == 0

    def test_a_position_given_twice_places_neither_item(self):
        question = snapshot("ordering", points="4")
        answer = ordering_answer(question, ["Plan", "Build", "Test", "Ship"])
        by_text = {item["text"]: item["key"] for item in question["items"]}
        answer[by_text["Test"]] = "2"  # Build and Test both say 2
        outcome = scoring.score_question(question, answer)
        # Plan and Ship in place: 4 x 2 / 4.
        assert (outcome.is_correct, outcome.score) == (False, Decimal(2))

    def test_it_refuses_a_position_past_the_last(self):
        question = snapshot("ordering")
        with pytest.raises(InvalidAnswer):
            scoring.score_question(question, {question["items"][0]["key"]: "5"})


class TestSelectMissingWords:
    def test_gap_segments_split_words_and_gaps(self):
        assert gap_segments("The [[1]] sat on the [[3]].") == [
            {"text": "The "},
            {"gap": 1},
            {"text": " sat on the "},
            {"gap": 3},
            {"text": "."},
        ]

    def test_the_sample_is_valid(self):
        assert question_validate(dropdown_payload("select_missing_words")) == {}

    def test_a_gap_past_the_choices_is_named_in_the_text(self):
        errors = question_validate(dropdown_payload("select_missing_words", text="A [[7]]."))
        assert errors == {"text": ["[[7]]: spec.choices has no choice 7 (there are 4)."]}

    def test_a_text_without_gaps_is_refused(self):
        errors = question_validate(dropdown_payload("select_missing_words", text="No gaps."))
        assert errors["text"] == [
            "Mark each gap with [[n]], n being the number of its right choice."
        ]

    def test_it_names_a_bad_choice(self):
        spec = {
            **GAPS_SPEC,
            "choices": [{"text": "cat", "group": 0}, {"text": "dog", "unlimited": "y"}],
        }
        assert errors_of("select_missing_words", spec=spec, text="[[1]]") == [
            "spec.choices[1].group: A whole number from 1 to 20.",
            "spec.choices[2].unlimited: Must be true or false.",
        ]

    def test_the_attempt_text_numbers_gaps_by_place_not_by_answer(self):
        question = snapshot("select_missing_words")
        assert question["text"] == "The [1] sat on the [2]."
        assert "[[3]]" not in str(kind_get("select_missing_words").ask(question, None))

    def test_each_gap_lists_the_choices_of_its_group(self):
        question = snapshot("select_missing_words")
        shown = kind_get("select_missing_words").ask(question, None)
        gaps = [s for s in shown["segments"] if "gap" in s]
        assert [sorted(o["text"] for o in gap["options"]) for gap in gaps] == [
            ["cat", "dog"],
            ["hat", "mat"],
        ]

    def test_one_right_gap_of_two_scores_half(self):
        question = snapshot("select_missing_words", points="3")
        first, second = question["gaps"]
        hat = next(o["key"] for o in question["options"] if o["text"] == "hat")
        outcome = scoring.score_question(
            question, {first["key"]: first["answer"], second["key"]: hat}
        )
        assert (outcome.is_correct, outcome.score) == (False, Decimal("1.50"))

    def test_every_gap_right_scores_the_points(self):
        question = snapshot("select_missing_words", points="3")
        answer = {gap["key"]: gap["answer"] for gap in question["gaps"]}
        assert scoring.score_question(question, answer).score == Decimal(3)

    def test_a_choice_of_another_group_is_refused(self):
        question = snapshot("select_missing_words")
        first, second = question["gaps"]
        with pytest.raises(InvalidAnswer):
            scoring.score_question(question, {first["key"]: second["answer"]})

    def test_the_review_shows_the_sentence_filled(self):
        question = snapshot("select_missing_words", text=GAPS_TEXT)
        first, _ = question["gaps"]
        review = kind_get("select_missing_words").review(question, {first["key"]: first["answer"]})
        gaps = [s for s in review["segments"] if "gap" in s]
        assert [(g["chosen"], g["right"], g["is_correct"]) for g in gaps] == [
            ("cat", "cat", True),
            ("", "mat", False),
        ]


def test_statistics_count_full_credit_as_correct_and_note_partial_credit():
    question = snapshot("matching", points="1")
    right = {part["key"]: part["answer"] for part in question["parts"]}
    partly = {**right, question["parts"][0]["key"]: ""}

    def attempt(answer):
        outcome = scoring.score_question(question, answer)
        response = SimpleNamespace(
            slot="1",
            answer=outcome.answer,
            is_correct=outcome.is_correct,
            score=outcome.score,
            review_state="auto",
        )
        return {"questions": [{**question, "question_id": 7}]}, [response]

    [stats] = question_statistics([attempt(right), attempt(partly), attempt(None)])
    assert (stats.asked, stats.correct, stats.partial, stats.percent_correct) == (3, 1, 1, 33)
    assert stats.most_chosen_wrong is None


@pytest.mark.parametrize("kind", ["matching", "ordering", "select_missing_words"])
def test_the_staff_view_of_a_wrong_answer_shows_it_marked_and_the_key(kind):
    question = snapshot(kind) | {"explanation": "", "slot": "1"}
    response = SimpleNamespace(
        slot="1",
        answer={},
        is_correct=False,
        score=Decimal(0),
        feedback="",
        review_state="auto",
        review_comment="",
    )
    [item] = display.results({"questions": [question]}, [response])
    shows = {"score": True, "marks": True, "correct": True, "feedback": True}
    page = render_to_string(item["template"], {"item": item, "shows": shows, "staff": True})
    right = {"matching": "right answer: Meow", "ordering": "<li>Ship</li>"}
    assert right.get(kind, "right answer: mat") in page
    assert "not correct" in page or "not in place" in page


def test_two_items_are_sometimes_shown_in_the_right_order():
    spec = {"items": ["first", "second"], "scoring": "positions"}
    shown = {
        tuple(item["text"] for item in snapshot("ordering", seed=seed, spec=spec)["items"])
        for seed in range(20)
    }
    assert shown == {("first", "second"), ("second", "first")}
