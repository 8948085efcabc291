"""Reading an uploaded question file: the raw body, or a multipart `file` field.

Bytes go to `formats.bank_import` as they came (it finds their encoding, or reads a zip as a
QTI package); only a body in another declared charset is decoded here.
"""

from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request

from lti_quiz.api.errors import PayloadTooLarge
from lti_quiz.api.formats import MAX_IMPORT_BYTES

MAX_IMPORT_MB = MAX_IMPORT_BYTES // 2**20
TEXT_MEDIA_TYPES = ("text/plain", "application/xml", "text/xml", "application/json")


def _limited(data: bytes, charset: str | None) -> str | bytes:
    if len(data) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(f"The file is larger than {MAX_IMPORT_MB} MB.")
    if not charset or charset.lower().replace("_", "-") in ("utf-8", "utf8", "us-ascii"):
        return data
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise ParseError(f"The file is not {charset[:40]} text: save it as UTF-8.") from None


class TextFileParser(BaseParser):
    """The body unparsed: the import formats read it (JSON included)."""

    media_type = "text/plain"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> str | bytes:
        charset = None
        for param in (media_type or "").split(";")[1:]:
            name, _, value = param.strip().partition("=")
            if name.lower() == "charset":
                charset = value.strip().strip('"') or None
        # One byte more than allowed tells "too large" without reading a huge body whole.
        return _limited(stream.read(MAX_IMPORT_BYTES + 1), charset)


class XmlFileParser(TextFileParser):
    media_type = "application/xml"


class TextXmlFileParser(TextFileParser):
    media_type = "text/xml"


class JsonFileParser(TextFileParser):
    media_type = "application/json"


class ZipFileParser(TextFileParser):
    """A QTI package: bytes as they came (the zip is recognised by its first bytes)."""

    media_type = "application/zip"


class LegacyZipFileParser(TextFileParser):
    media_type = "application/x-zip-compressed"  # what Windows browsers send for a .zip


TEXT_PARSERS = [
    TextFileParser,
    XmlFileParser,
    TextXmlFileParser,
    JsonFileParser,
    ZipFileParser,
    LegacyZipFileParser,
]


def uploaded_file(request: Request) -> str | bytes:
    """The uploaded file; 400 when there is none, 413 when it is too large."""
    data = request.data
    if isinstance(data, str | bytes):
        return data
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(
            {"file": ["Send the file as the request body or as multipart field 'file'."]}
        )
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(f"The file is larger than {MAX_IMPORT_MB} MB.")
    return _limited(upload.read(MAX_IMPORT_BYTES + 1), upload.charset)
