"""A bank as a QTI content package (zip) with the images, audio and video its questions show,
so that the files travel with the questions.

QTI 1.2, as Canvas writes its exports: `imsmanifest.xml`, the bank in `<slug>/<slug>.xml`
(resource type imsqti_xmlv1p2) and the files in `web_resources/` (a "webcontent" resource),
which the HTML names as `$IMS-CC-FILEBASE$/<name>` (relative to web_resources/, URL-encoded).
QTI 3.0: one item per file, `items/<identifier>.xml` (resource type imsqti_item_xmlv3p0, the
files each item shows listed as its `<file>`s), the files in `media/`, named from the item as
`../media/<name>`. packages.py and embedded_files.embed_sources read both back.

`bank_export_package(*, bank, fmt)` answers the zip's bytes and the export report; it is not
yet offered by the export endpoint (which answers text).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from lti_quiz.api.formats.embedded_files import CANVAS_FILEBASE, CANVAS_FILES
from lti_quiz.api.formats.report import ExportReport
from lti_quiz.api.formats.services import bank_export
from lti_quiz.quiz.models import MediaFile, QuestionBank

CONTENT_TYPE = "application/zip"
_MEDIA_URL = re.compile(r"/media/q/([0-9a-f]{64})/([\w.-]{1,200})")
_ITEM = re.compile(r"<qti-assessment-item\b.*?</qti-assessment-item>", re.S)
_IDENTIFIER = re.compile(r'\bidentifier="([^"]+)"')
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass
class PackageResult:
    data: bytes
    content_type: str
    filename: str
    report: ExportReport


def bank_export_package(*, bank: QuestionBank, fmt: str) -> PackageResult:
    """The bank as a QTI package of `fmt` ("qti12" or "qti30") with its questions' media.
    Raises ValueError for another format."""
    if fmt not in ("qti12", "qti30"):
        raise ValueError(f"Only QTI is written as a package (qti12 or qti30), not {fmt!r}.")
    result = bank_export(bank=bank, fmt=fmt)
    folder = CANVAS_FILES if fmt == "qti12" else "media/"
    files = _files(result.text, folder)
    if fmt == "qti12":
        members = _qti12(bank.slug, result.text, files)
    else:
        members = _qti30(result.text, files)
    return PackageResult(
        data=_zip(members),
        content_type=CONTENT_TYPE,
        filename=f"{bank.slug}-{fmt}.zip",
        report=result.report,
    )


def _files(text: str, folder: str) -> dict[str, tuple[str, bytes]]:
    """Media URL -> (member name, bytes) for every stored file the text shows; names made
    unique (two files may share a name)."""
    found: dict[str, tuple[str, bytes]] = {}
    taken: set[str] = set()
    for sha256, filename in dict.fromkeys(_MEDIA_URL.findall(text)):
        media = MediaFile.objects.filter(sha256=sha256, filename=filename).first()
        if media is None:
            continue
        name = filename if filename not in taken else f"{sha256[:12]}-{filename}"
        taken.add(name)
        with media.file.open("rb") as handle:
            found[f"/media/q/{sha256}/{filename}"] = (folder + name, handle.read())
    return found


def _qti12(slug: str, text: str, files: dict[str, tuple[str, bytes]]) -> dict[str, str | bytes]:
    for url, (member, _) in files.items():
        text = text.replace(url, CANVAS_FILEBASE + quote(member.removeprefix(CANVAS_FILES)))
    bank_file = f"{slug}/{slug}.xml"
    resources = [
        f'    <resource identifier="bank-{slug}" type="imsqti_xmlv1p2">\n'
        f"      <file href={quoteattr(bank_file)}/>\n    </resource>"
    ]
    if files:
        listed = "".join(f"\n      <file href={quoteattr(m)}/>" for m, _ in files.values())
        resources.append(
            f'    <resource identifier="bank-{slug}-files" type="webcontent">{listed}\n'
            "    </resource>"
        )
    members: dict[str, str | bytes] = {"imsmanifest.xml": _manifest(slug, resources)}
    members[bank_file] = text
    members.update(dict(files.values()))
    return members


def _qti30(text: str, files: dict[str, tuple[str, bytes]]) -> dict[str, str | bytes]:
    members: dict[str, str | bytes] = {}
    resources: list[str] = []
    for found in _ITEM.finditer(text):
        item = found.group()
        identifier = _IDENTIFIER.search(item)
        name = identifier.group(1) if identifier else f"item-{len(resources) + 1}"
        shown = [(url, member) for url, (member, _) in files.items() if url in item]
        for url, member in shown:
            item = item.replace(url, "../" + quote(member))
        href = f"items/{name}.xml"
        listed = "".join(f"\n      <file href={quoteattr(m)}/>" for _, m in shown)
        resources.append(
            f'    <resource identifier={quoteattr(name)} type="imsqti_item_xmlv3p0" '
            f"href={quoteattr(href)}>\n      <file href={quoteattr(href)}/>{listed}\n"
            "    </resource>"
        )
        members[href] = _XML + item + "\n"
    members = {"imsmanifest.xml": _manifest("bank", resources), **members}
    members.update(dict(files.values()))
    return members


def _manifest(identifier: str, resources: list[str]) -> str:
    return (
        f'{_XML}<manifest identifier="{escape(identifier)}-manifest"'
        ' xmlns="http://www.imsglobal.org/xsd/imscp_v1p1">\n'
        "  <organizations/>\n  <resources>\n" + "\n".join(resources) + "\n  </resources>\n"
        "</manifest>\n"
    )


def _zip(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
