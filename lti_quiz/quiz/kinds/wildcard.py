"""Moodle's short-answer matching: the whole answer, `*` matching any run of characters
(`\\*` a literal star), in any case unless the question compares case.

The same rule as qtype_shortanswer_question::compare_string_with_wildcard, so a question
imported from Moodle (a short answer, or a short-answer gap of a cloze question) accepts
exactly what it accepted there. Texts are compared in Unicode NFC, trimmed.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

_STARS = re.compile(r"(?<!\\)\*+")


def wildcard_matches(pattern: str, response: str, *, case_sensitive: bool = False) -> bool:
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response).strip()
    bits = [re.escape(bit.replace("\\*", "*")) for bit in _STARS.split(pattern)]
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(".*".join(bits), response, flags | re.DOTALL) is not None


def first_matching(
    answers: Sequence[Mapping[str, Any]], response: str, *, case_sensitive: bool = False
) -> Mapping[str, Any] | None:
    """The first answer (in the author's order) whose `text` matches, as Moodle picks it."""
    if not response.strip():
        return None
    for answer in answers:
        if wildcard_matches(answer["text"], response, case_sensitive=case_sensitive):
            return answer
    return None
