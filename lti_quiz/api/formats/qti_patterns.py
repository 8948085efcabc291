"""Short-answer patterns as QTI 3.0 `qti-pattern-match` regular expressions, and back.

XML Schema regular expressions match the whole answer: a pattern's words (any case, * ending
a word with any ending, the separators `quiz.patterns.normalize` folds) become an expression
that finds them anywhere between non-letters, and an expression written so reads back as the
pattern it came from.
"""

import re

from lti_quiz.quiz import patterns as pattern_rules

# Regular expressions (XML Schema flavour, matching the whole answer) for patterns.
_EDGE = r"[^\p{L}\p{N}]"
_PREFIX = rf"([\s\S]*{_EDGE})?"
_SUFFIX = rf"({_EDGE}[\s\S]*)?"
_SEPARATOR = "[\\s\\-_\u2010-\u2015]+"  # the separators of quiz.patterns.normalize
_ENDING = r"[\p{L}\p{N}]*"
_META = set(r"\|.-^?*+{}()[]")
_CLASS = re.compile(r"\[(.)(.)\]|\\(.)|([^\\\[\]])")


def regex_from_pattern(pattern: str) -> str:
    """An XML Schema regular expression matching the answers the pattern matches."""
    words = []
    for word in pattern_rules.normalize(pattern).split(" "):
        stem, star = (word[:-1], True) if word.endswith("*") else (word, False)
        parts = []
        for char in stem:
            if char.lower() != char.upper():
                parts.append(f"[{char.lower()}{char.upper()}]")
            else:
                parts.append(f"\\{char}" if char in _META else char)
        words.append("".join(parts) + (_ENDING if star else ""))
    return _PREFIX + _SEPARATOR.join(words) + _SUFFIX


def pattern_from_regex(regex: str) -> str | None:
    """The pattern `regex_from_pattern` wrote, or None for any other expression."""
    if not (regex.startswith(_PREFIX) and regex.endswith(_SUFFIX)):
        return None
    words = []
    for piece in regex[len(_PREFIX) : len(regex) - len(_SUFFIX)].split(_SEPARATOR):
        star = piece.endswith(_ENDING)
        piece = piece[: -len(_ENDING)] if star else piece
        word = ""
        for found in _CLASS.finditer(piece):
            lower, upper, escaped, literal = found.groups()
            if lower is not None and lower.upper() != upper:
                return None
            word += lower or escaped or literal
        if not word or "".join(m.group() for m in _CLASS.finditer(piece)) != piece:
            return None
        words.append(word + ("*" if star else ""))
    pattern = " ".join(words)
    return pattern if regex_from_pattern(pattern) == regex else None
