"""Accepted patterns for short answers: words or phrases, any case, matched as whole words.

Not regular expressions: instructors write them, and a phrase with an optional trailing `*`
per word ("test*", "shadow traffic") says what they mean without a way to write a slow or
broken pattern.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext

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


# --- Negated and contradicting matches --------------------------------------------------------
#
# "No source needed" contains `source*`, and "don't test blindly" contains `test*`: a match says
# the words are there, not that the answer says them. A match is trusted only when no negation
# cue stands close before it in the same clause, nothing negates it right after, and no rejected
# pattern matches. Anything else goes to a person with the reason in words: a false alarm costs
# a review, a missed negation awards points for a wrong answer.

# Words that negate what follows them within a few words ("don't blindly test").
_CUES_BEFORE = frozenset(
    {"no", "not", "never", "without", "nothing", "none", "nobody", "nor", "neither", "cannot",
     "avoid", "avoiding", "avoids", "skip", "skipping", "unnecessary", "useless",
     # without the apostrophe, as people type on phones
     "dont", "doesnt", "didnt", "isnt", "arent", "cant", "wont", "shouldnt", "neednt"}
)  # fmt: skip
# Two-word cues: the second word, and the first it needs before it.
_PAIRED_CUES = {"of": "instead", "than": "rather"}
# Words that negate what comes just before them ("sources aren't needed", "tests are useless").
_CUES_AFTER = frozenset({"not", "never", "unnecessary", "useless", "pointless", "irrelevant"})
# "not only X but also Y", "not just X": affirm X.
_NOT_ONLY = frozenset({"only", "just"})
# How many words before (and after) a match a cue may stand: "without checking a trusted source".
BEFORE_WINDOW = 5
AFTER_WINDOW = 3
# Tokens of a normalized answer: words (with their apostrophes) and clause punctuation.
_TOKEN = re.compile(r"\w+(?:'\w+)*|[.;:!?,()]")
_CLAUSE_ENDS = frozenset({".", ";", ":", "!", "?", "(", ")", "but"})


@dataclass(frozen=True)
class Judgement:
    """What the patterns say of an answer: `accepted` True (score it), or None (a person
    decides), with `reason` in words for that person ("" when accepted)."""

    accepted: bool | None
    reason: str
    pattern: str = ""  # the accepted pattern that matched, if any


def judge(accepted: Sequence[str], text: str, *, rejected: Sequence[str] = ()) -> Judgement:
    """Whether `text` may be scored correct automatically by the `accepted` patterns.

    Never rejects on its own: an answer that matches nothing, matches only in a negated way, or
    matches a `rejected` pattern (what the question marks as wrong) waits for review.
    """
    normalized = _apostrophes(normalize(text))
    wrong = first_match(list(rejected), normalized)
    found = [(p, m) for p in accepted for m in _compile(p).finditer(normalized)]
    if not found:
        return Judgement(None, gettext("No accepted pattern matched."))
    if wrong is not None:
        return Judgement(
            None,
            gettext(
                "Matched `%(pattern)s`, but also `%(wrong)s`, which this question marks as wrong."
            )
            % {"pattern": found[0][0], "wrong": wrong},
            pattern=found[0][0],
        )
    for pattern, match in found:
        cue = negation_before(normalized[: match.start()])
        if cue:
            return Judgement(
                None,
                gettext("Matched `%(pattern)s`, but '%(cue)s' comes before it.")
                % {"pattern": pattern, "cue": cue},
                pattern=pattern,
            )
        cue = negation_after(normalized[match.end() :])
        if cue:
            return Judgement(
                None,
                gettext("Matched `%(pattern)s`, but '%(cue)s' comes after it.")
                % {"pattern": pattern, "cue": cue},
                pattern=pattern,
            )
    return Judgement(True, "", pattern=found[0][0])


def negation_before(before: str) -> str:
    """The negation cue closest before the end of `before` in its clause ("" if none)."""
    tokens = _TOKEN.findall(before)
    words: list[str] = []
    for token in reversed(tokens):
        if token in _CLAUSE_ENDS or len(words) == BEFORE_WINDOW:
            break
        if token == ",":
            continue  # "no, ..." and "without tests, ..." both stay suspicious: review decides
        words.append(token)
    for index, word in enumerate(words):  # nearest first; words[index + 1] stands before word
        earlier = words[index + 1] if index + 1 < len(words) else ""
        if word in _PAIRED_CUES and earlier == _PAIRED_CUES[word]:
            return f"{earlier} {word}"
        if word == "not" and index > 0 and words[index - 1] in _NOT_ONLY:
            continue
        if word in _CUES_BEFORE or word.endswith("n't"):
            return word
    return ""


def negation_after(after: str) -> str:
    """A negation cue just after a match in its clause ("sources aren't needed"); "" if none."""
    for count, token in enumerate(_TOKEN.findall(after)):
        if token in _CLAUSE_ENDS or token == "," or count == AFTER_WINDOW:
            break
        if token in _CUES_AFTER or token.endswith("n't"):
            return token
    return ""


def _apostrophes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")
