"""Files embedded in an imported text (Moodle's `@@PLUGINFILE@@/name` with a base64 `<file>`
beside the text) and written back into an export.

On import the bytes are checked (type and size as the media store takes them) and the text's
references point at the URL the file will have (`/media/q/<sha256>/<name>`: it names its
content, so it is known before anything is stored). The files are gathered per question while
a file is read (`collecting`), and stored only by an import that writes (never a dry run).
On export, a text's media URLs become `@@PLUGINFILE@@/name` again, the file's bytes beside it.
"""

import base64
import binascii
import contextvars
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from lti_quiz.quiz.media import max_bytes, safe_name
from lti_quiz.quiz.models import MEDIA_TYPES, MediaFile

PLUGINFILE = "@@PLUGINFILE@@/"
_MEDIA_URL = re.compile(r"/media/q/([0-9a-f]{64})/([\w.-]{1,200})")
# url -> (name, bytes) of the question being read
_files: contextvars.ContextVar[dict[str, tuple[str, bytes]] | None] = contextvars.ContextVar(
    "embedded_files", default=None
)


@contextmanager
def collecting() -> Iterator[dict[str, tuple[str, bytes]]]:
    """The files that texts read inside the block embed, by their future URL."""
    found: dict[str, tuple[str, bytes]] = {}
    token = _files.set(found)
    try:
        yield found
    finally:
        _files.reset(token)


def embed(text: str, files: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """`text` with `@@PLUGINFILE@@/name` pointing at each file's media URL, and a sentence for
    each file left out. `files`: (name, base64) as the format carries them."""
    problems = []
    for name, encoded in files:
        try:
            data = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"The file {name!r} is not valid base64: left out.")
            continue
        filename = safe_name(name)
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension not in MEDIA_TYPES:
            problems.append(f"The file {name!r} is not an image, audio or video kept here.")
            continue
        if len(data) > max_bytes():
            problems.append(f"The file {name!r} is larger than {max_bytes()} bytes: left out.")
            continue
        url = f"/media/q/{hashlib.sha256(data).hexdigest()}/{filename}"
        for written in {name, quote(name), quote(name, safe="")}:
            text = text.replace(PLUGINFILE + written, url)
        found = _files.get()
        if found is not None:
            found[url] = (name, data)
    return text, problems


def unembed(text: str) -> tuple[str, list[tuple[str, bytes]]]:
    """`text` with our media URLs as `@@PLUGINFILE@@/name`, and the files' (name, bytes)."""
    files: list[tuple[str, bytes]] = []
    for sha256, filename in dict.fromkeys(_MEDIA_URL.findall(text)):
        media = MediaFile.objects.filter(sha256=sha256, filename=filename).first()
        if media is None:
            continue
        with media.file.open("rb") as handle:
            files.append((filename, handle.read()))
        text = text.replace(f"/media/q/{sha256}/{filename}", PLUGINFILE + quote(filename))
    return text, files
