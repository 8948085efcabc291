"""Short answers kept in Moodle's terms (spec.answers): Moodle's wildcard matching, the first
matching answer's fraction and feedback, validation, and the Moodle XML and GIFT round trips."""

from decimal import Decimal

import pytest

from lti_quiz.quiz import scoring
from lti_quiz.quiz.bank import bank_create, question_create
from lti_quiz.quiz.kinds.wildcard import wildcard_matches
from lti_quiz.quiz.question_format import question_validate
from tests.factories.formats import round_trip

ANSWERS = [
    {"text": "Point Pleasant", "fraction": "1", "feedback": "Yes."},
    {"text": "*Ohio*", "fraction": "0.5", "feedback": "Right state."},
    {"text": "*", "fraction": "0", "feedback": "Think of the river town."},
]


def question(**spec) -> dict:
    return {
        "slot": "1",
        "kind": "short_answer",
        "points": "2",
        "patterns": [],
        "spec": {"answers": ANSWERS, "case_sensitive": False, **spec},
    }


class TestWildcards:
    @pytest.mark.parametrize(
        ("pattern", "response", "matches"),
        [
            ("Berlin", "  berlin ", True),  # trimmed, any case
            ("Berlin", "Berlin, Germany", False),  # the whole answer, not a part
            ("*lin", "Berlin", True),
            ("B*n", "Boston", True),
            ("B*n", "Bostons", False),
            ("a\\*b", "a*b", True),  # an escaped star is a star
            ("a\\*b", "axb", False),
            ("1.5", "105", False),  # a dot is a dot, not any character
            ("café", "cafe\u0301", True),  # compared in the same Unicode form
        ],
    )
    def test_it_matches_as_moodle_does(self, pattern, response, matches):
        assert wildcard_matches(pattern, response) is matches

    def test_case_counts_when_the_question_says_so(self):
        assert wildcard_matches("Berlin", "berlin", case_sensitive=True) is False
        assert wildcard_matches("Berlin", "Berlin", case_sensitive=True) is True


class TestScoring:
    def test_the_first_matching_answer_gives_its_fraction_and_feedback(self):
        outcome = scoring.score_question(question(), "I live in Ohio")
        assert (outcome.is_correct, outcome.score, outcome.feedback) == (
            False,
            Decimal("1.00"),
            "Right state.",
        )

    def test_full_marks_is_correct(self):
        outcome = scoring.score_question(question(), "point pleasant")
        assert (outcome.is_correct, outcome.score) == (True, Decimal("2.00"))

    def test_a_catch_all_gives_its_feedback_and_nothing_goes_to_review(self):
        outcome = scoring.score_question(question(), "Chicago")
        assert (outcome.is_correct, outcome.score, outcome.feedback) == (
            False,
            0,
            "Think of the river town.",
        )

    def test_no_match_is_wrong_not_pending(self):
        q = question(answers=ANSWERS[:1])
        outcome = scoring.score_question(q, "Chicago")
        assert (outcome.is_correct, outcome.pending) == (False, False)


@pytest.mark.django_db
class TestValidation:
    def base(self, **spec):
        return {"kind": "short_answer", "text": "Where?", "spec": spec}

    def test_a_valid_spec_has_no_errors(self):
        assert question_validate(self.base(answers=ANSWERS)) == {}

    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ({"answers": []}, "answers: give at least one answer."),
            ({"answers": [{"text": " ", "fraction": "1"}]}, "answers[1].text: this field"),
            ({"answers": [{"text": "a", "fraction": "2"}]}, "answers[1].fraction: a number"),
            ({"answers": [{"text": "a", "fraction": "0.5"}]}, "one answer must give full marks"),
            ({"answers": ANSWERS, "case_sensitive": "yes"}, "case_sensitive: must be true"),
            ({"answers": ANSWERS, "regex": True}, "Unknown setting 'regex'."),
        ],
    )
    def test_a_wrong_spec_is_explained(self, spec, message):
        errors = question_validate(self.base(**spec))
        assert any(message in text for text in errors["spec"]), errors

    def test_patterns_and_answers_do_not_mix(self):
        errors = question_validate({**self.base(answers=ANSWERS), "patterns": ["ohio"]})
        assert "not both" in errors["patterns"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["moodle_xml", "gift", "json"])
def test_moodle_answers_come_back_the_same_from_each_format_that_carries_them(fmt):
    bank = bank_create(slug="grant", title="Grant")
    question_create(
        bank=bank,
        data={
            "key": "born",
            "kind": "short_answer",
            "text": "Where was Grant born?",
            "spec": {"answers": ANSWERS, "case_sensitive": False},
        },
    )

    before, after, _, imported = round_trip(bank, fmt)

    assert after["born"]["spec"] == before["born"]["spec"]
    assert after["born"]["patterns"] == []
    assert imported.questions[0].fields("lost") == set()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["qti12", "qti30"])
def test_qti_keeps_the_full_marks_answers_and_reports_the_rest(fmt):
    bank = bank_create(slug="grant", title="Grant")
    question_create(
        bank=bank,
        data={
            "key": "born",
            "kind": "short_answer",
            "text": "Where was Grant born?",
            "spec": {"answers": ANSWERS, "case_sensitive": False},
        },
    )

    _, after, exported, _ = round_trip(bank, fmt)

    assert [p.casefold() for p in after["born"]["patterns"]] == ["point pleasant"]
    lost = " ".join(n.message for n in exported.report.questions[0].warnings if n.effect == "lost")
    assert "'*Ohio*' gave 50%: left out." in lost
    assert "Feedback on a short answer" in lost
