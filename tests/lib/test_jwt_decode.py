"""The launch's JWT decode: PyJWT's, with the segment check made by a regex. It must accept and
refuse exactly the segments PyJWT does, and be what a launch verifies its id_token with."""

import base64

import pytest
from jwt.api_jws import PyJWS
from jwt.exceptions import DecodeError

from lti_quiz.lib import jwt_decode
from tests.support.lti_platform import assert_refused, launch_id_of

pytestmark = pytest.mark.django_db

ours = jwt_decode._RegexSegmentJWS._decode_base64url_segment
theirs = PyJWS._decode_base64url_segment


def _encoded(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


SEGMENTS = [
    b"",
    _encoded(b'{"alg":"RS256","kid":"k1"}'),
    _encoded(bytes(range(256))),  # every byte, so "-" and "_" appear
    _encoded(b"a"),  # 2 characters: one byte
    _encoded(b"ab"),  # 3 characters: two bytes
    _encoded(b"a") + b"==",  # padded, as AWS ALB sends
    _encoded(b"ab") + b"=",
    _encoded(b"a") + b"=",  # padding that does not complete a group
    _encoded(b"abc") + b"===",  # three "="
    b"QR",  # unused bits set: not the canonical spelling of b"A"
    b"Q",  # a length no byte string encodes to
    b"QUJD!!!!",  # the advisory's junk after a valid segment
    b"QU JD",
    b"QU+D",  # standard base64, not base64url
    b"QU/D",
    b"QU=D",  # "=" inside
    "QUJé".encode(),
    b"QUJD\n",
    b"QUJD\x00",
]


@pytest.mark.parametrize("segment", SEGMENTS, ids=repr)
def test_a_segment_is_accepted_or_refused_as_pyjwt_does(segment):
    try:
        expected = theirs(segment, "payload")
    except DecodeError:
        with pytest.raises(DecodeError, match="Invalid payload padding"):
            ours(segment, "payload")
    else:
        assert ours(segment, "payload") == expected


def test_a_launch_verifies_its_id_token_without_pyjwts_loop(client, platform, monkeypatch):
    """PyJWT's own segment check is made to fail: the launch still passes, so it used ours."""

    def refuse(segment: bytes, name: str) -> bytes:
        raise AssertionError("PyJWT's per-character check ran")

    monkeypatch.setattr(PyJWS, "_decode_base64url_segment", staticmethod(refuse))
    state, nonce = platform.login(client)
    token = platform.id_token(platform.claims(nonce=nonce))

    assert launch_id_of(platform.post_launch(client, token, state))


def test_a_launch_whose_signature_is_spelled_another_way_is_refused(client, platform):
    """The same signature bytes with the unused bits of its last character set: PyJWT's
    base64url decoder would read the same signature, so only the canonical check refuses it."""
    state, nonce = platform.login(client)
    token = platform.id_token(platform.claims(nonce=nonce))
    signed, signature = token.rsplit(".", 1)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    respelled = signature[:-1] + alphabet[last ^ 1]  # a 256-byte signature leaves 4 bits unused
    assert base64.urlsafe_b64decode(respelled + "==") == base64.urlsafe_b64decode(signature + "==")

    response = platform.post_launch(client, f"{signed}.{respelled}", state)

    assert_refused(response, 403, "could not verify")
