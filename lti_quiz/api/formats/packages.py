"""QTI content packages: a zip with imsmanifest.xml naming the files that hold questions.

Canvas exports a quiz or a question bank as QTI 1.2 in a zip: imsmanifest.xml (IMS Content
Packaging 1.1), `<id>/<id>.xml` (the assessment, resource type "imsqti_xmlv1p2"),
`<id>/assessment_meta.xml` (Canvas's quiz settings) and, in course exports,
`non_cc_assessments/<id>.xml.qti` (Canvas's full version of an assessment or bank: preferred
over the cartridge copy of the same id, which would repeat its questions). A QTI 3.0 package
lists each item as a resource of type "imsqti_item_xmlv3p0" (QTI 3.0 section on content
packaging), tests as "imsqti_test_xmlv3p0" (they only point at the items, so not read).

The zip is read in memory, never extracted: at most MAX_MEMBERS members, MAX_UNPACKED bytes
unpacked in all (each member read with a cap, whatever its header claims, so a zip bomb stops
at the cap), member names with ".." or an absolute path refused. The images and media the
questions show are read from the package too (embedded_files.embed_sources).
"""

import io
import posixpath
import zipfile
from collections.abc import Callable

from django.utils.translation import gettext as _

from lti_quiz.api.formats import embedded_files
from lti_quiz.api.formats.markup import Node, parse_xml
from lti_quiz.api.formats.report import FileError, Note, ParsedFile

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 2000
MAX_UNPACKED = 20 * 2**20
_QTI12_TYPES = ("imsqti_xmlv1p2",)  # also "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
_QTI30_TYPES = ("imsqti_item_xmlv3p0",)
_NON_CC = "non_cc_assessments/"


def is_zip(raw: str | bytes) -> bool:
    return isinstance(raw, bytes) and raw.startswith(ZIP_MAGIC)


def package_load(
    raw: bytes, *, fmt: str, load: Callable[[str], ParsedFile], decode: Callable
) -> ParsedFile:
    """Every question of every QTI file the manifest names, in manifest order, as one file;
    each question's report line is None (lines belong to member files), a file-level note
    names the files read."""
    members = _Members(raw)
    files = _question_files(parse_xml(decode(members.read("imsmanifest.xml"))), fmt, members)
    if not files:
        raise FileError(_("The package's manifest names no QTI question file."))
    whole = ParsedFile()
    for name in files:
        try:
            read = members.read_media
            with embedded_files.package(read, folder=posixpath.dirname(name)):
                part = load(decode(members.read(name)))
        except FileError as exc:
            raise FileError(
                _("In %(name)s: %(message)s") % {"name": name, "message": exc.message},
                line=exc.line,
            ) from None
        for item in part.questions:
            item.report.index = len(whole.questions) + 1
            item.report.line = None
            whole.questions.append(item)
        whole.warnings.extend(part.warnings)
    whole.warnings.append(
        Note("file", "note", _("Read from the package: %(files)s.") % {"files": ", ".join(files)})
    )
    return whole


def _question_files(manifest: Node, fmt: str, members: "_Members") -> list[str]:
    if manifest.tag != "manifest":
        raise FileError(_("imsmanifest.xml is not an IMS manifest (its root is not <manifest>)."))
    kinds = _QTI12_TYPES if fmt == "qti12" else _QTI30_TYPES
    found: list[str] = []
    for resource in manifest.iter("resource"):
        kind = resource.get("type") or ""
        base = resource.get("xml:base") or resource.get("base") or ""
        hrefs = [resource.get("href") or ""]
        hrefs += [f.get("href") or "" for f in resource.elements("file")]
        hrefs = [posixpath.join(base, h) for h in hrefs if h]
        if fmt == "qti12":
            twin = f"{_NON_CC}{resource.get('identifier')}.xml.qti"
            if members.has(twin) and twin not in found:
                found.append(twin)
                continue
            hrefs = [h for h in hrefs if h.startswith(_NON_CC) and h.endswith(".xml.qti")] + (
                [h for h in hrefs if h.endswith(".xml") and not h.endswith("assessment_meta.xml")]
                if kind.startswith(kinds)
                else []
            )
        elif not kind.startswith(kinds):
            continue
        for href in hrefs:
            if href.endswith((".xml", ".qti")) and href not in found:
                members.check(href)
                found.append(href)
    return found


class _Members:
    """The zip's members by name, read one at a time with the limits above."""

    def __init__(self, raw: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise FileError(_("The zip file is damaged or incomplete.")) from None
        if len(infos) > MAX_MEMBERS:
            raise FileError(
                _("The package holds %(count)d files; at most %(limit)d are read.")
                % {"count": len(infos), "limit": MAX_MEMBERS}
            )
        for info in infos:
            name = info.filename
            if name.startswith("/") or "\\" in name or ".." in name.split("/"):
                raise FileError(
                    _("The package names a file outside itself (%(name)r): refused.")
                    % {"name": name[:80]}
                )
        self.names = {info.filename for info in infos}
        self.unpacked = 0

    def has(self, name: str) -> bool:
        return name in self.names

    def check(self, name: str) -> None:
        if name not in self.names:
            raise FileError(
                _("The manifest names %(name)s, which the package lacks.") % {"name": name[:120]}
            )

    def read_media(self, name: str) -> bytes | None:
        """A file a question shows, None when the package lacks it."""
        return self.read(name) if name in self.names else None

    def read(self, name: str) -> bytes:
        self.check(name)
        allowed = MAX_UNPACKED - self.unpacked
        try:
            with self.zip.open(name) as member:
                data = member.read(allowed + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise FileError(
                _("%(name)s in the zip cannot be read (damaged or encrypted).") % {"name": name}
            ) from None
        self.unpacked += len(data)
        if len(data) > allowed:
            raise FileError(
                _("The package unpacks to more than %(mb)d MB: refused.")
                % {"mb": MAX_UNPACKED // 2**20}
            )
        return data
