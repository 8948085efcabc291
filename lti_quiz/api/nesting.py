"""How deep an API body may nest, checked before any parser recurses into it.

Python's JSON decoder, and the import formats' walks over an XML tree, recurse once per level:
a body nested 100,000 deep would end in a RecursionError, logged as a crash, instead of a plain
400. No question, quiz or bank nests more than a few levels; MAX_DEPTH leaves room for the
XHTML inside QTI items.
"""

import io
import logging
import re
from itertools import accumulate
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

logger = logging.getLogger(__name__)

MAX_DEPTH = 100

# A JSON string (RFC 8259 section 7), or an unterminated one running to the end: every quote
# that starts a match ends it without backtracking, so the scan stays linear on any text.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest more than `limit` deep (brackets inside
    strings do not count). Linear in the text, without recursion; meant for text that is
    about to be decoded, so malformed JSON only has to be measured, not judged."""
    brackets = _BRACKETS.findall(_JSON_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body nested more than MAX_DEPTH deep before decoding it."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        # Measured on the body read as UTF-8 (JSON's encoding, RFC 8259 section 8.1); bytes
        # that do not decode are the decoder's to report below.
        if json_too_deep(raw.decode("utf-8", "replace")):
            logger.warning("Refused a JSON body nested more than %d levels deep", MAX_DEPTH)
            raise ParseError(f"The JSON body is nested too deeply: at most {MAX_DEPTH} levels.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
