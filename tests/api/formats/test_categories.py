"""Moodle categories kept as `cat.` tags on import, and written back as categories on export,
so a round trip through Moodle XML or GIFT keeps them."""

import pytest

from lti_quiz.api.formats import bank_export, bank_import
from lti_quiz.api.formats.categories import category_path, category_tag
from lti_quiz.quiz.bank import bank_create, question_create
from lti_quiz.quiz.question_format import MAX_TAG
from tests.factories.formats import bank_questions, empty_bank

pytestmark = pytest.mark.django_db

MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="shortanswer"><name><text>before</text></name>
    <questiontext format="html"><text>Outside any category?</text></questiontext>
    <answer fraction="100"><text>yes</text></answer></question>
  <question type="category"><category><text>$course$/top/Unit 1/Week 2</text></category></question>
  <question type="truefalse"><name><text>tf</text></name>
    <questiontext format="html"><text>Water is wet.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
    <tags><tag><text>physics</text></tag></tags></question>
  <question type="essay"><name><text>essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext></question>
</quiz>
"""


class TestPaths:
    @pytest.mark.parametrize(
        ("raw", "levels"),
        [
            ("$course$/top/Unit 1/Week 2", ("Unit 1", "Week 2")),
            ("$cat1$/top/Default for BIO101", ("Default for BIO101",)),
            ("$system$/top", ()),
            ("Unit 1/Week 2", ("Unit 1", "Week 2")),
            (" $course$/top/Maths // Physics/ Forces ", ("Maths / Physics", "Forces")),
        ],
    )
    def test_context_and_top_are_left_out_and_double_slashes_stay_in_a_name(self, raw, levels):
        assert category_path(raw) == levels

    def test_the_tag_joins_slugified_levels_with_dots_and_is_cut_to_fit(self):
        assert category_tag(("Unit 1", "Week 2")) == "cat.unit-1.week-2"
        assert category_tag(("Français", "Unité 1")) == "cat.francais.unite-1"
        assert category_tag(("???",)) == ""
        long = category_tag(tuple(f"Chapter number {n}" for n in range(9)))
        assert len(long) <= MAX_TAG and long.startswith("cat.chapter-number-0.")


class TestImport:
    def test_questions_after_a_category_line_get_its_tag_and_keep_their_own(self):
        bank = empty_bank()

        report = bank_import(bank=bank, text=MOODLE, fmt="moodle_xml", dry_run=False)

        questions = bank_questions(bank)
        assert questions["before"]["tags"] == []
        assert questions["tf"]["tags"] == ["physics", "cat.unit-1.week-2"]
        notes = [n.message for n in report.warnings if n.field == "category"]
        # The essay is skipped, but it was in the category too.
        assert notes == ["Category 'Unit 1/Week 2' (2 questions): tagged cat.unit-1.week-2."]

    def test_gift_category_lines_work_alike_even_with_a_question_right_under_them(self):
        bank = empty_bank()
        gift = "$CATEGORY: Unit 1/Week 2\n::q1::One?{=yes}\n\n$CATEGORY: Unit 2\n\n::q2::Two?{T}"

        bank_import(bank=bank, text=gift, fmt="gift", dry_run=False)

        questions = bank_questions(bank)
        assert questions["q1"]["tags"] == ["cat.unit-1.week-2"]
        assert questions["q2"]["tags"] == ["cat.unit-2"]

    def test_a_file_naming_no_tags_adds_the_category_tag_to_a_stored_questions_own(self):
        bank = empty_bank()
        bank_import(bank=bank, text="// [tag:mine]\n::q1::One?{=yes}", fmt="gift", dry_run=False)

        report = bank_import(
            bank=bank, text="$CATEGORY: Unit 1\n::q1::One?{=yes}", fmt="gift", dry_run=False
        )

        assert report.questions[0].action == "updated"
        assert bank_questions(bank)["q1"]["tags"] == ["mine", "cat.unit-1"]


class TestRoundTrip:
    @pytest.fixture
    def bank(self):
        bank = bank_create(slug="geo", title="Geography / Europe")
        for key, tags in [
            ("plain", ["rivers"]),
            ("w2a", ["cat.unit-1.week-2", "rivers"]),
            ("w2b", ["cat.unit-1.week-2"]),
            ("u2", ["cat.unit-2"]),
        ]:
            question_create(
                bank=bank,
                data={
                    "key": key,
                    "kind": "true_false",
                    "text": f"Question {key}?",
                    "tags": tags,
                    "choices": [
                        {"text": "True", "is_correct": True},
                        {"text": "False", "is_correct": False},
                    ],
                },
            )
        return bank

    @pytest.mark.parametrize("fmt", ["moodle_xml", "gift"])
    def test_the_export_writes_categories_under_the_bank_and_the_import_keeps_the_tags(
        self, bank, fmt
    ):
        text = bank_export(bank=bank, fmt=fmt).text
        target = empty_bank()
        report = bank_import(bank=target, text=text, fmt=fmt, dry_run=False)

        assert "$course$/top/Geography // Europe/unit-1/week-2" in text
        assert text.count("$course$/top/Geography // Europe/unit-1/week-2") == 1
        assert "$course$/top/Geography // Europe/unit-2" in text
        assert report.ok
        assert {k: q["tags"] for k, q in bank_questions(target).items()} == {
            k: q["tags"] for k, q in bank_questions(bank).items()
        }

    def test_moodle_reads_our_categories_as_a_tree_under_the_bank(self, bank):
        text = bank_export(bank=bank, fmt="moodle_xml").text
        report = bank_import(bank=empty_bank(), text=text, fmt="moodle_xml", dry_run=True)

        notes = [n.message for n in report.warnings if n.field == "category"]
        assert notes == [
            "Category 'unit-1/week-2' (2 questions): tagged cat.unit-1.week-2.",
            "Category 'unit-2' (1 question): tagged cat.unit-2.",
        ]
