import pytest

from lti_quiz.lib.slugs import is_slug


@pytest.mark.parametrize("value", ["week-1", "Optics_2", "a"])
def test_letters_digits_hyphens_and_underscores_make_a_slug(value):
    assert is_slug(value)


@pytest.mark.parametrize("value", ["", "two words", "week-1\n", "café", "a/b", 12, None])
def test_anything_else_is_not_a_slug(value):
    # "week-1\n": a `$`-anchored regex would let the newline through; Django's rule does not.
    assert not is_slug(value)
