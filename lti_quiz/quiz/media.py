"""Storing and serving question media (MediaFile): one file per bank, content and name."""

import hashlib
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from lti_quiz.quiz.models import MEDIA_TYPES, MediaFile, QuestionBank

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_NAME = re.compile(r"[^\w.-]+")


class MediaRefused(ValueError):
    """A file the media store does not take; the message says why, in a sentence."""


def max_bytes() -> int:
    return int(getattr(settings, "QUIZ_MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))


def safe_name(name: str) -> str:
    """A file name fit for a URL path segment: letters, digits, '.', '-', '_'."""
    base = _NAME.sub("-", name.rsplit("/", 1)[-1]).strip(".-") or "file"
    return base[-120:]


def media_store(*, bank: QuestionBank, name: str, data: bytes) -> MediaFile:
    """The bank's MediaFile for these bytes under this name, stored once."""
    filename = safe_name(name)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    content_type = MEDIA_TYPES.get(extension)
    if content_type is None:
        allowed = ", ".join(sorted(set(MEDIA_TYPES)))
        raise MediaRefused(f"{name}: only these file types are kept: {allowed}.")
    if len(data) > max_bytes():
        raise MediaRefused(f"{name}: larger than the limit of {max_bytes()} bytes.")
    digest = hashlib.sha256(data).hexdigest()
    existing = MediaFile.objects.filter(bank=bank, sha256=digest, filename=filename).first()
    if existing is not None:
        return existing
    media = MediaFile(
        bank=bank, sha256=digest, filename=filename, content_type=content_type, size=len(data)
    )
    media.file.save(f"{digest}/{filename}", ContentFile(data), save=False)
    media.save()
    return media


@require_safe
def media_serve(request: HttpRequest, sha256: str, filename: str) -> HttpResponse | FileResponse:
    """A stored file: its own type, cached for good (the URL names its content), never sniffed."""
    media = MediaFile.objects.filter(sha256=sha256, filename=filename).first()
    if media is None or media.content_type not in MEDIA_TYPES.values():
        raise Http404("No such file.")
    etag = f'"{sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse | FileResponse = HttpResponseNotModified()
    else:
        response = FileResponse(media.file.open("rb"), content_type=media.content_type)
        response["Content-Length"] = str(media.size)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
