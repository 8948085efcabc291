"""Accepted patterns for short answers: words or phrases, any case, matched as whole words.

Not regular expressions: instructors write them, and a phrase with an optional trailing `*`
per word ("test*", "shadow traffic") says what they mean without a way to write a slow or
broken pattern.
"""

import re
from functools import lru_cache

# Hyphens, dashes and underscores join words the way spaces do: "long-tail" is "long tail".
_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015]+")
_WORD = re.compile(r"^\w+\*?$")


def normalize(text: str) -> str:
    return " ".join(part for part in _SEPARATORS.split(text.casefold()) if part)


def validate(pattern: str) -> None:
    """Raise ValueError saying what is wrong with a pattern."""
    words = normalize(pattern).split(" ")
    if not pattern.strip():
        raise ValueError("A pattern needs at least one word.")
    for word in words:
        if not _WORD.match(word):
            raise ValueError(
                f"{word!r}: use letters and digits only, with an optional * at the end of a word."
            )


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str]:
    parts = []
    for word in normalize(pattern).split(" "):
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    return re.compile(r"(?<!\w)" + " ".join(parts) + r"(?!\w)")


def matches(pattern: str, text: str) -> bool:
    return _compile(pattern).search(normalize(text)) is not None


def first_match(patterns: list[str], text: str) -> str | None:
    return next((pattern for pattern in patterns if matches(pattern, text)), None)
