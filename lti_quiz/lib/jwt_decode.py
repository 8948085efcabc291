"""PyJWT's `decode`, with its check of each token segment's characters made by one regex match.

Since GHSA-hxm8-2xgr-2p9m PyJWT refuses a segment with anything outside the base64url alphabet,
testing every character in a Python loop: 0.2 ms of the 0.3 ms it takes to verify a 3 KB id_token
(Canvas sends about that), the largest single item of a launch (docs/performance.md). The rule
here is the same (alphabet, at most two "=" and only on a whole 4-character group, a length the
alphabet can encode, and only the canonical encoding); every other check is PyJWT's own.
"""

import binascii
import re

import jwt
from jwt.api_jws import PyJWS
from jwt.exceptions import DecodeError
from jwt.utils import base64url_decode, base64url_encode

_SEGMENT = re.compile(rb"([A-Za-z0-9_-]*)(={0,2})")


class _RegexSegmentJWS(PyJWS):
    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            raise DecodeError(f"Invalid {name} padding")
        stripped, padding = match.groups()
        if (padding and len(segment) % 4 != 0) or len(stripped) % 4 == 1:
            raise DecodeError(f"Invalid {name} padding")
        try:
            decoded = base64url_decode(stripped)
        except (TypeError, binascii.Error) as error:
            raise DecodeError(f"Invalid {name} padding") from error
        # Unused bits set in the last character would let two spellings carry one signature.
        if base64url_encode(decoded) != stripped:
            raise DecodeError(f"Invalid {name} padding")
        return decoded


class _RegexSegmentJWT(jwt.PyJWT):
    def __init__(self) -> None:
        super().__init__()
        self._jws = _RegexSegmentJWS(options=self._get_sig_options())


# The same signature and errors as `jwt.decode`.
decode = _RegexSegmentJWT().decode
