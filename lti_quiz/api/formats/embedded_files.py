"""Files embedded in an imported text (Moodle's `@@PLUGINFILE@@/name` with a base64 `<file>`
beside the text) and written back into an export.

On import the bytes are checked (type and size as the media store takes them) and the text's
references point at the URL the file will have (`/media/q/<sha256>/<name>`: it names its
content, so it is known before anything is stored). The files are gathered per question while
a file is read (`collecting`), and stored only by an import that writes (never a dry run).
On export, a text's media URLs become `@@PLUGINFILE@@/name` again, the file's bytes beside it.

A QTI package (packages.py) carries its files as members of the zip instead: while one of its
QTI files is read (`package`), an `<img>`, `<audio>`, `<video>` or `<source>` whose `src` names
a member (relative to the QTI file, or Canvas's `$IMS-CC-FILEBASE$/...`, which is relative to
`web_resources/`; URL-encoded either way) is embedded the same way (`embed_sources`).
"""

import base64
import binascii
import contextvars
import hashlib
import html
import posixpath
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import quote, unquote

from lti_quiz.quiz.media import max_bytes, safe_name
from lti_quiz.quiz.models import MEDIA_TYPES, MediaFile

PLUGINFILE = "@@PLUGINFILE@@/"
_MEDIA_URL = re.compile(r"/media/q/([0-9a-f]{64})/([\w.-]{1,200})")
# url -> (name, bytes) of the question being read
_files: contextvars.ContextVar[dict[str, tuple[str, bytes]] | None] = contextvars.ContextVar(
    "embedded_files", default=None
)


# Reads a member of the package being read (None when it has no such member), and the folder
# of the QTI file being read.
_package: contextvars.ContextVar[tuple[Callable[[str], bytes | None], str] | None] = (
    contextvars.ContextVar("package_files", default=None)
)
CANVAS_FILEBASE = "$IMS-CC-FILEBASE$/"
# Canvas's course files in a package: what $IMS-CC-FILEBASE$ points at.
CANVAS_FILES = "web_resources/"
_SOURCE = re.compile(
    r"""(<(?:img|audio|video|source)\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S
)
_ELSEWHERE = re.compile(r"^([a-z][a-z0-9+.-]*:|//|/media/q/)", re.I)


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
        url, problem = _keep(name, data)
        if url is None:
            problems.append(problem)
            continue
        for written in {name, quote(name), quote(name, safe="")}:
            text = text.replace(PLUGINFILE + written, url)
    return text, problems


@contextmanager
def package(read: Callable[[str], bytes | None], *, folder: str) -> Iterator[None]:
    """Inside the block, `embed_sources` finds files in a package: `read(member)`."""
    token = _package.set((read, folder))
    try:
        yield
    finally:
        _package.reset(token)


def embed_sources(text: str) -> tuple[str, list[str]]:
    """HTML `text` with the media it takes from the package being read pointing at their
    media URLs, and a sentence for each file missing or refused. Outside a package, or for a
    source elsewhere (a web address), the text is left as it is: the sanitiser drops those."""
    current = _package.get()
    if current is None:
        return text, []
    read, folder = current
    problems: list[str] = []

    def replace(found: re.Match) -> str:
        source = html.unescape(found.group(3)).strip()
        if not source or _ELSEWHERE.match(source):
            return found.group(0)
        path = unquote(source.split("#", 1)[0].split("?", 1)[0])
        if path.startswith(CANVAS_FILEBASE):
            rest = path.removeprefix(CANVAS_FILEBASE)
            candidates = [CANVAS_FILES + rest, rest]
        else:
            candidates = [posixpath.normpath(posixpath.join(folder, path)), path.lstrip("/")]
        for member in candidates:
            data = read(member)
            if data is not None:
                url, problem = _keep(posixpath.basename(member), data)
                if url is None:
                    problems.append(problem)
                    return found.group(0)
                return f"{found.group(1)}{found.group(2)}{url}{found.group(2)}"
        problems.append(f"The file {source!r} is not in the package: left out.")
        return found.group(0)

    return _SOURCE.sub(replace, text), problems


def _keep(name: str, data: bytes) -> tuple[str | None, str]:
    """The media URL the file will have (gathered for the question being read), or None and
    why it is refused (type and size as the media store takes them)."""
    filename = safe_name(name)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in MEDIA_TYPES:
        return None, f"The file {name!r} is not an image, audio or video kept here."
    if len(data) > max_bytes():
        return None, f"The file {name!r} is larger than {max_bytes()} bytes: left out."
    url = f"/media/q/{hashlib.sha256(data).hexdigest()}/{filename}"
    found = _files.get()
    if found is not None:
        found[url] = (name, data)
    return url, ""


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
