"""Matching, ordering and select missing words in the import/export formats: sample files as
Moodle and Canvas write them, and round trips that give back the same question."""

import pytest

from lti_quiz.api.formats import bank_import
from lti_quiz.quiz.bank import question_create
from tests.factories.dropdown_kinds import dropdown_payload
from tests.factories.formats import bank_questions, empty_bank, round_trip, sample

pytestmark = pytest.mark.django_db


def _import(name: str, fmt: str):
    bank = empty_bank()
    report = bank_import(bank=bank, text=sample(name), fmt=fmt, dry_run=False)
    assert report.error is None
    return report, bank_questions(bank), {q.key: q for q in report.questions}


def _messages(entry) -> list[str]:
    return [f"{note.field} {note.effect}: {note.message}" for note in entry.warnings]


class TestMoodleXmlSample:
    @pytest.fixture
    def imported(self):
        return _import("moodle-dropdowns.xml", "moodle_xml")

    def test_every_question_comes_in(self, imported):
        report, questions, _ = imported
        assert report.totals["created"] == 5
        assert [q["kind"] for q in questions.values()] == [
            "matching", "ordering", "ordering", "select_missing_words", "select_missing_words",
        ]  # fmt: skip

    def test_matching_keeps_pairs_a_repeated_answer_the_distractor_and_feedback(self, imported):
        _, questions, _ = imported
        question = questions["animal-sounds"]
        assert question["spec"] == {
            "pairs": [
                {"prompt": "Cat", "answer": "Meow"},
                {"prompt": "Dog", "answer": "Woof"},
                {"prompt": "Kitten", "answer": "Meow"},
            ],
            "distractors": ["Moo"],
            "shuffle": True,
        }
        assert question["points"] == "3.00"
        assert question["partially_correct_feedback"] == "Your answer is partially correct."

    def test_ordering_reads_the_order_from_the_fractions_and_the_grading_type(self, imported):
        _, questions, entries = imported
        assert questions["scientific-method"]["spec"] == {
            "items": ["Observe", "Ask a question", "Form a hypothesis", "Test it"],
            "scoring": "adjacent_pairs",
        }
        assert _messages(entries["scientific-method"]) == []
        assert questions["planets"]["spec"]["items"] == ["Mercury", "Venus", "Earth", "Mars"]

    def test_an_ordering_grading_type_we_lack_is_reported_per_question(self, imported):
        _, questions, entries = imported
        assert questions["planets"]["spec"]["scoring"] == "adjacent_pairs"
        assert _messages(entries["planets"]) == [
            "spec changed: Moodle's grading type LONGEST_CONTIGUOUS_SUBSET is scored here by "
            "adjacent pairs.",
            "spec changed: Moodle asked a subset of the items (CONTIGUOUS); here every item "
            "is asked.",
        ]

    def test_gapselect_and_ddwtos_keep_groups_unlimited_and_their_source(self, imported):
        _, questions, _ = imported
        gaps = questions["cat-on-the-mat"]
        assert gaps["text"] == "The [[1]] sat on the [[3]]."
        assert gaps["spec"] == {
            "choices": [
                {"text": "cat", "group": 1, "unlimited": False},
                {"text": "dog", "group": 1, "unlimited": False},
                {"text": "mat", "group": 2, "unlimited": False},
                {"text": "hat", "group": 2, "unlimited": False},
            ],
            "shuffle": True,
            "source": "gapselect",
        }
        drag = questions["primary-colours"]["spec"]
        assert drag["source"] == "ddwtos" and drag["shuffle"] is False
        assert [c["unlimited"] for c in drag["choices"]] == [False, False, False, True]


def dropdown_bank():
    bank = empty_bank("dropdowns")
    for kind in ("matching", "ordering", "select_missing_words"):
        question_create(
            bank=bank,
            data=dropdown_payload(
                kind,
                key=kind.replace("_", "-"),
                correct_feedback="All right.",
                partially_correct_feedback="Some right.",
                incorrect_feedback="None right.",
            ),
        )
    spec = {
        "choices": [
            {"text": "red", "group": 1, "unlimited": True},
            {"text": "blue", "group": 1, "unlimited": False},
        ],
        "shuffle": False,
        "source": "ddwtos",
    }
    question_create(
        bank=bank,
        data=dropdown_payload(
            "select_missing_words", key="drag", text="[[1]] and [[2]]", spec=spec
        ),
    )
    return bank


@pytest.mark.parametrize("fmt", ["json", "moodle_xml"])
def test_export_then_import_gives_the_same_questions(fmt):
    before, after, exported, imported = round_trip(dropdown_bank(), fmt)
    assert imported.totals["created"] == 4
    assert after == before
    assert all(not q.warnings for q in exported.report.questions)


class TestGiftSample:
    def test_matching_comes_in_with_its_distractor_and_explanation(self):
        report, questions, _ = _import("moodle-gift-matching.txt", "gift")
        assert report.totals["created"] == 2
        question = questions["animal-sounds"]
        assert question["kind"] == "matching"
        assert question["text"] == "Match each animal with the sound it makes."
        assert question["explanation"] == "Cats and kittens both meow."
        assert question["spec"] == {
            "pairs": [
                {"prompt": "Cat", "answer": "Meow"},
                {"prompt": "Dog", "answer": "Woof"},
                {"prompt": "Kitten", "answer": "Meow"},
            ],
            "distractors": ["Moo"],
            "shuffle": True,
        }
        assert questions["Capitals"]["spec"]["pairs"][1] == {"prompt": "Italy", "answer": "Rome"}

    def test_the_moodle_sample_file_now_brings_its_matching_question(self):
        _, questions, _ = _import("moodle-gift.txt", "gift")
        assert questions["q7-match"]["kind"] == "matching"
        assert len(questions["q7-match"]["spec"]["pairs"]) == 3


def test_gift_keeps_matching_and_says_ordering_and_gaps_are_left_out():
    before, after, exported, _ = round_trip(dropdown_bank(), "gift")
    assert after["matching"] == {**before["matching"], "points": "1.00"} | {
        name: ""
        for name in ("correct_feedback", "partially_correct_feedback", "incorrect_feedback")
    }
    assert set(after) == {"matching"}
    entries = {q.key: q for q in exported.report.questions}
    assert entries["ordering"].action == "skipped"
    assert [n.message for n in entries["drag"].warnings] == [
        "GIFT has no select-missing-words questions: left out (Moodle XML keeps them)."
    ]
    assert exported.report.totals == {"exported": 1, "skipped": 3}


class TestCanvasSample:
    @pytest.fixture
    def imported(self):
        return _import("canvas-dropdowns-qti12.xml", "qti12")

    def test_matching_reads_each_prompt_its_right_option_and_the_distractor(self, imported):
        report, questions, _ = imported
        assert report.totals["created"] == 2
        question = questions["ia1b2c3d4e5f60718293a4b5c6d7e8f90"]
        assert question["kind"] == "matching" and question["points"] == "3.00"
        assert question["spec"] == {
            "pairs": [
                {"prompt": "Cat", "answer": "Meow"},
                {"prompt": "Dog", "answer": "Woof"},
                {"prompt": "Kitten", "answer": "Meow"},
            ],
            "distractors": ["Moo"],
            "shuffle": True,
        }

    def test_multiple_dropdowns_turn_named_blanks_into_gaps(self, imported):
        _, questions, _ = imported
        question = questions["if0e1d2c3b4a5968778695a4b3c2d1e0f"]
        assert question["kind"] == "select_missing_words"
        # Choices: cat, dog (group 1), hat, mat (group 2); the right ones are 1 and 4.
        assert question["text"] == "The [[1]] sat on the [[4]]."
        assert [(c["text"], c["group"]) for c in question["spec"]["choices"]] == [
            ("cat", 1), ("dog", 1), ("hat", 2), ("mat", 2),
        ]  # fmt: skip


def test_canvas_round_trip_keeps_matching_and_gaps_and_leaves_ordering_out():
    before, after, exported, _ = round_trip(dropdown_bank(), "qti12")
    entries = {q.key: q for q in exported.report.questions}
    assert entries["ordering"].action == "skipped"
    assert set(after) == {"matching", "select-missing-words", "drag"}
    tags_and_partly = {"tags": [], "partially_correct_feedback": ""}
    assert after["matching"] == before["matching"] | tags_and_partly
    # The sample's choices are in group order and all used, so they come back as they were.
    assert after["select-missing-words"] == before["select-missing-words"] | tags_and_partly
    # Canvas has no drag and drop: the Moodle type and unlimited choices are reported lost.
    assert after["drag"]["spec"]["source"] == "gapselect"
    assert "spec" in entries["drag"].fields("lost")


class TestQti30Samples:
    def test_a_match_interaction_becomes_matching_with_the_unused_option_a_distractor(self):
        _, questions, _ = _import("qti30-match-item.xml", "qti30")
        question = questions["match-characters"]
        assert question["kind"] == "matching"
        assert question["text"] == (
            "Match the following characters to the Shakespeare play they appeared in:"
        )
        assert question["spec"] == {
            "pairs": [
                {"prompt": "Capulet", "answer": "Romeo and Juliet"},
                {"prompt": "Demetrius", "answer": "A Midsummer-Night's Dream"},
                {"prompt": "Lysander", "answer": "A Midsummer-Night's Dream"},
                {"prompt": "Prospero", "answer": "The Tempest"},
            ],
            "distractors": ["Antony and Cleopatra"],
            "shuffle": True,
        }

    def test_inline_choices_become_gaps_in_the_text(self):
        _, questions, _ = _import("qti30-inline-choice-item.xml", "qti30")
        question = questions["inline-choice-capitals"]
        assert question["kind"] == "select_missing_words"
        assert (
            " ".join(question["text"].split())
            == "Scotland's capital is [[2]] and Japan's is [[5]]."
        )
        assert [(c["text"], c["group"]) for c in question["spec"]["choices"]] == [
            ("Glasgow", 1), ("Edinburgh", 1), ("London", 1), ("Osaka", 2), ("Tokyo", 2),
        ]  # fmt: skip
        assert question["spec"]["shuffle"] is False


def test_qti30_round_trip_keeps_every_kind_and_reports_what_it_cannot_say():
    before, after, exported, _ = round_trip(dropdown_bank(), "qti30")
    entries = {q.key: q for q in exported.report.questions}
    no_tags = {"tags": []}
    assert after["matching"] == before["matching"] | no_tags
    assert after["ordering"] == before["ordering"] | no_tags
    assert after["select-missing-words"] == before["select-missing-words"] | no_tags
    assert "spec" in entries["ordering"].fields("changed")  # other players: all or nothing
    assert "spec" in entries["drag"].fields("lost")  # no drag and drop, no unlimited
