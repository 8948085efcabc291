"""Uploaded bytes to text: the encoding a file says it has, else UTF-8, else a guess, said so.

Admins export from Moodle (UTF-8), but also type GIFT files in Notepad or Word, which save
Windows-1252 on Western systems, and older Moodle XML declares ISO-8859-1. The order:

1. A byte order mark (UTF-8, UTF-16, UTF-32) names the encoding.
2. An XML file's own declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`), as the XML
   parser would honour it (XML 1.0 section 4.3.3).
3. Bytes that are valid UTF-8 are UTF-8 (plain ASCII included).
4. Otherwise charset-normalizer guesses; the import report says what was assumed, so an admin
   can check the accents. Short Western texts read equally well as Windows-1250, -1252 and
   -1257; Windows-1252 (a superset of Latin-1's letters) wins such a tie. A Latin-1 file is
   read as Windows-1252: the two differ only in bytes 0x80-0x9F, control characters in
   Latin-1 that no text file holds.

Bytes no encoding reads as text (an image, a zip sent as GIFT) are a FileError.
"""

import codecs
import re

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from lti_quiz.api.formats.report import FileError, Note

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)""")
# Control characters no text file holds (tab, line feed, form feed, carriage return excepted).
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_PREFERRED = ("cp1252", "latin_1", "utf_8")
# Languages Windows-1252 is the usual 8-bit encoding of (charset-normalizer's names).
_WESTERN = {
    "English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Danish",
    "Swedish", "Norwegian", "Finnish", "Catalan", "Icelandic", "Indonesian", "Malay",
}  # fmt: skip
_NAMES = {
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp1257": "Windows-1257",
    "mac_roman": "Mac Roman",
    "cp932": "Shift JIS",
    "shift_jis": "Shift JIS",
    "gb18030": "GB18030",
    "big5": "Big5",
    "euc_kr": "EUC-KR",
}


def decode_upload(raw: bytes, *, xml: bool) -> tuple[str, Note | None]:
    """The text, and a note when its encoding was guessed (None when the file said it or it
    is UTF-8). FileError when the bytes are not text in any encoding."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, encoding, _("its byte order mark")), None
    declared = _XML_ENCODING.match(raw) if xml else None
    if declared:
        encoding = declared.group(1).decode("ascii")
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FileError(
                _("The file declares an unknown encoding, %(name)r.") % {"name": encoding[:40]}
            ) from None
        return _strict(raw, encoding, _("its XML declaration")), None
    try:
        return _checked(raw.decode("utf-8")), None
    except UnicodeDecodeError:
        pass
    encoding = _guess(raw)
    text = _checked(raw.decode(encoding))
    name = _NAMES.get(encoding, encoding.upper().replace("_", "-"))
    return text, Note(
        "file",
        "note",
        _("Read as %(name)s (the file is not UTF-8): check the accented letters.") % {"name": name},
    )


def _strict(raw: bytes, encoding: str, source: str) -> str:
    try:
        return _checked(raw.decode(encoding))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(
            _("The file is not %(encoding)s text, as %(source)s says.")
            % {"encoding": encoding.upper().removesuffix("-SIG"), "source": source},
            line=line,
        ) from None


def _guess(raw: bytes) -> str:
    results = from_bytes(raw)
    if not results:
        raise _not_text()
    best = results.best()
    assert best is not None  # a non-empty result list has a best match
    if best.language in _WESTERN and _decodes(raw, "cp1252"):
        # Charset-normalizer names the language well but, among the Latin code pages that
        # spell it alike, picks one at random (Celtic ISO-8859-14 for German): for a Western
        # language the one in use is Windows-1252.
        return "cp1252"
    # Each match lists every encoding that decodes the bytes to the same text.
    tied = [
        encoding
        for match in results
        if match.chaos <= best.chaos and match.coherence >= best.coherence
        for encoding in match.could_be_from_charset
    ]
    for encoding in _PREFERRED:
        if encoding in tied:
            return encoding
    return best.encoding


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _checked(text: str) -> str:
    if _BINARY.search(text[:65536]):
        raise _not_text()
    return text


def _not_text() -> FileError:
    return FileError(_("The file is not text: no encoding reads it (is it the right file?)."))
