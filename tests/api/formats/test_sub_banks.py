"""categories=banks: each Moodle category path becomes a sub-bank (created or reused by title
under its parent), a dry run creates none and says which it would, and an export of a bank
with sub-banks writes them back as Moodle categories so the tree survives a round trip."""

import pytest
from django.db import IntegrityError, transaction

from lti_quiz.api.formats import bank_export, bank_import
from lti_quiz.api.formats.sub_banks import sub_banks_below
from lti_quiz.quiz.bank import bank_create, question_create
from lti_quiz.quiz.models import QuestionBank
from tests.factories.formats import empty_bank

pytestmark = pytest.mark.django_db

MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="shortanswer"><name><text>before</text></name>
    <questiontext format="html"><text>Outside any category?</text></questiontext>
    <answer fraction="100"><text>yes</text></answer></question>
  <question type="category"><category><text>$course$/top/Unit 1/Part a</text></category></question>
  <question type="truefalse"><name><text>tf</text></name>
    <questiontext format="html"><text>Water is wet.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer></question>
  <question type="category"><category><text>$course$/top/Unit 2</text></category></question>
  <question type="essay"><name><text>tf</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext></question>
</quiz>
"""


def tree(bank: QuestionBank) -> dict[str, list[str]]:
    """{"Unit 1/Part a": [keys]} for every sub-bank, "" for the bank itself."""
    found = {"": sorted(bank.questions.values_list("key", flat=True))}
    for sub, path in sub_banks_below(bank):
        found["/".join(path)] = sorted(sub.questions.values_list("key", flat=True))
    return found


def test_each_category_path_goes_into_its_sub_bank():
    bank = empty_bank()
    report = bank_import(
        bank=bank, text=MOODLE, fmt="moodle_xml", dry_run=False, categories="banks"
    )

    assert report.error is None and report.ok
    assert tree(bank) == {"": ["before"], "Unit 1": [], "Unit 1/Part a": ["tf"], "Unit 2": ["tf"]}
    part_a = QuestionBank.objects.get(title="Part a")
    assert part_a.parent.title == "Unit 1" and part_a.parent.parent == bank


def test_importing_again_reuses_the_sub_banks_and_changes_nothing():
    bank = empty_bank()
    bank_import(bank=bank, text=MOODLE, fmt="moodle_xml", dry_run=False, categories="banks")
    banks = QuestionBank.objects.count()

    again = bank_import(bank=bank, text=MOODLE, fmt="moodle_xml", dry_run=False, categories="banks")

    assert QuestionBank.objects.count() == banks
    assert [q.action for q in again.questions] == ["unchanged"] * 3
    assert any("existing sub-bank" in note.message for note in again.warnings)


def test_an_existing_sub_bank_is_found_by_title_under_its_parent():
    bank = empty_bank()
    unit = bank_create(slug="mine-unit-1", title="Unit 1", parent=bank)

    bank_import(bank=bank, text=MOODLE, fmt="moodle_xml", dry_run=False, categories="banks")

    assert QuestionBank.objects.get(title="Part a").parent == unit
    assert QuestionBank.objects.filter(title="Unit 1").count() == 1


def test_a_dry_run_creates_no_bank_and_says_which_it_would_create():
    bank = empty_bank()
    banks = QuestionBank.objects.count()

    report = bank_import(bank=bank, text=MOODLE, fmt="moodle_xml", dry_run=True, categories="banks")

    assert QuestionBank.objects.count() == banks and not bank.questions.exists()
    assert [q.action for q in report.questions] == ["created"] * 3
    would = [n.message for n in report.warnings if "would create" in n.message]
    assert len(would) == 2
    assert any("'Unit 1/Part a'" in message for message in would)


def test_tags_stay_the_default():
    bank = empty_bank()
    bank_import(bank=bank, text=MOODLE, fmt="moodle_xml", dry_run=False)

    assert not bank.children.exists()
    assert bank.questions.get(key="tf").tags == ["cat.unit-1.part-a"]


@pytest.mark.parametrize("fmt", ["moodle_xml", "gift"])
def test_an_export_with_sub_banks_comes_back_as_the_same_tree(fmt):
    source = empty_bank("source")
    bank_import(bank=source, text=MOODLE, fmt="moodle_xml", dry_run=False, categories="banks")

    text = bank_export(bank=source, fmt=fmt).text
    target = empty_bank("target")
    report = bank_import(bank=target, text=text, fmt=fmt, dry_run=False, categories="banks")

    assert f"$course$/top/{source.title}/Unit 1/Part a" in text
    assert report.ok, [q.errors for q in report.questions]
    assert tree(target) == tree(source)


def test_the_export_report_counts_every_sub_bank_question():
    source = empty_bank("source")
    bank_import(bank=source, text=MOODLE, fmt="moodle_xml", dry_run=False, categories="banks")

    report = bank_export(bank=source, fmt="moodle_xml").report

    assert [q.action for q in report.questions] == ["exported"] * 3


def test_a_bank_cannot_be_its_own_parent_in_the_database():
    bank = empty_bank()
    bank.parent_id = bank.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        bank.save()


def test_two_sub_banks_of_one_bank_cannot_share_a_title_in_the_database():
    bank = empty_bank()
    QuestionBank.objects.create(slug="a", title="Unit", parent=bank)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionBank.objects.create(slug="b", title="Unit", parent=bank)


def test_a_question_of_a_sub_bank_keeps_its_key_apart_from_the_parent():
    bank = empty_bank()
    sub = bank_create(slug="sub", title="Sub", parent=bank)
    for target in (bank, sub):
        question_create(
            bank=target, data={"key": "same", "kind": "essay", "text": "Discuss.", "points": "1"}
        )
    assert tree(bank) == {"": ["same"], "Sub": ["same"]}
