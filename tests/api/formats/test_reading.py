"""Reading what admins have: files in other encodings than UTF-8 (decoding.py) and QTI zip
packages (packages.py), below the import endpoint."""

import codecs
import re
import zipfile

import pytest

from lti_quiz.api.formats import packages
from lti_quiz.api.formats.decoding import decode_upload
from lti_quiz.api.formats.report import FileError
from lti_quiz.api.formats.services import parse_file
from tests.factories.formats import SAMPLES
from tests.factories.packages import canvas_members, qti30_members, zip_of

FRENCH = "Le café coûte 2 € : “très” cher, dit l\u2019été à l\u2019Équateur."


class TestDecoding:
    def test_utf8_is_read_without_a_note(self):
        assert decode_upload(FRENCH.encode(), xml=False) == (FRENCH, None)

    @pytest.mark.parametrize(
        ("bom", "encoding"),
        [
            (codecs.BOM_UTF8, "utf-8"),
            (codecs.BOM_UTF16_LE, "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be"),
            (codecs.BOM_UTF32_LE, "utf-32-le"),
        ],
    )
    def test_a_byte_order_mark_names_the_encoding(self, bom, encoding):
        text, note = decode_upload(bom + FRENCH.encode(encoding), xml=False)

        assert text.lstrip("\ufeff") == FRENCH
        assert note is None

    def test_windows_1252_is_guessed_and_said(self):
        text, note = decode_upload(FRENCH.encode("cp1252"), xml=False)

        assert text == FRENCH
        assert note is not None and note.field == "file" and note.effect == "note"
        assert note.message.startswith("Read as Windows-1252 (the file is not UTF-8)")

    def test_latin_1_reads_the_same_as_windows_1252(self):
        german = "Die Brücke führt über den Fluß; « Straße » heißt rue. Ärger, Öl, Übung."

        text, note = decode_upload(german.encode("latin-1"), xml=False)

        assert text == german
        assert note is not None and "Windows-1252" in note.message

    def test_an_xml_declaration_is_honoured_and_needs_no_note(self):
        raw = '<?xml version="1.0" encoding="ISO-8859-1"?><quiz>Le café à l\u2019été</quiz>'

        text, note = decode_upload(raw.replace("\u2019", "'").encode("latin-1"), xml=True)

        assert "Le café à l'été" in text and note is None

    def test_a_declaration_the_bytes_contradict_names_the_line(self):
        raw = b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>caf\xe9</quiz>'

        with pytest.raises(FileError, match="not UTF-8 text, as its XML declaration says") as exc:
            decode_upload(raw, xml=True)
        assert exc.value.line == 2

    def test_an_unknown_declared_encoding_is_refused(self):
        with pytest.raises(FileError, match="unknown encoding"):
            decode_upload(b'<?xml version="1.0" encoding="klingon-8"?><quiz/>', xml=True)

    def test_a_central_european_file_is_not_forced_into_windows_1252(self):
        polish = "Zażółć gęślą jaźń. Który żółw płynie przez rzekę? Łódź i Kraków są w Polsce."

        text, note = decode_upload(polish.encode("cp1250"), xml=False)

        assert text == polish
        assert note is not None and "Windows-1250" in note.message

    @pytest.mark.parametrize(
        "junk",
        [
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
            b"%PDF-1.7\n\x00\x01\x02\x03\xff\xfe\xfd" * 50,
            bytes(range(256)),
        ],
    )
    def test_binary_junk_is_not_text(self, junk):
        with pytest.raises(FileError, match="not text"):
            decode_upload(junk, xml=False)


class TestPackages:
    def test_a_canvas_export_reads_the_quiz_and_the_bank_not_the_meta(self):
        parsed = parse_file(zip_of(canvas_members()), "qti12")

        assert [item.report.index for item in parsed.questions] == [1, 2, 3, 4, 5]
        assert all(item.report.line is None for item in parsed.questions)
        assert "assessment_meta.xml" not in parsed.warnings[-1].message
        assert "non_cc_assessments/" in parsed.warnings[-1].message

    def test_canvas_full_copy_is_preferred_to_the_cartridge_copy_of_the_same_id(self):
        members = canvas_members()
        quiz = next(name for name in members if name.endswith(".xml") and "/" in name)
        quiz_id = quiz.split("/")[0]
        members[f"non_cc_assessments/{quiz_id}.xml.qti"] = members[quiz]

        parsed = parse_file(zip_of(members), "qti12")

        assert len(parsed.questions) == 5  # not the quiz's two questions twice
        assert quiz not in parsed.warnings[-1].message

    def test_a_qti30_package_reads_its_items_not_its_test(self):
        parsed = parse_file(zip_of(qti30_members()), "qti30")

        assert [item.report.key for item in parsed.questions] == ["item-planets-01", "capital-fr"]

    def test_the_committed_fixtures_are_what_the_builders_make(self):
        for name, members in [
            ("canvas-quiz-qti12.zip", canvas_members()),
            ("qti30-package.zip", qti30_members()),
        ]:
            with zipfile.ZipFile(SAMPLES / name) as archive:
                stored = {n: archive.read(n) for n in archive.namelist()}
            assert stored == {
                n: (v if isinstance(v, bytes) else v.encode()) for n, v in members.items()
            }

    @pytest.mark.parametrize(
        ("members", "message"),
        [
            ({"quiz.xml": "<questestinterop/>"}, "lacks"),
            ({"imsmanifest.xml": "<quiz/>"}, "not an IMS manifest"),
            ({"imsmanifest.xml": "<manifest><resources/></manifest>"}, "names no QTI"),
            ({"../../etc/passwd": "x", "imsmanifest.xml": "<manifest/>"}, "outside itself"),
            ({"/abs.xml": "x", "imsmanifest.xml": "<manifest/>"}, "outside itself"),
        ],
    )
    def test_a_bad_package_is_a_file_error(self, members, message):
        with pytest.raises(FileError, match=message):
            parse_file(zip_of(members), "qti30")

    def test_a_manifest_naming_a_missing_file_is_refused(self):
        manifest = (
            '<manifest><resources><resource identifier="a" type="imsqti_item_xmlv3p0" '
            'href="items/gone.xml"/></resources></manifest>'
        )
        with pytest.raises(FileError, match=re.escape("items/gone.xml, which the package lacks")):
            parse_file(zip_of({"imsmanifest.xml": manifest}), "qti30")

    def test_a_bad_member_names_itself(self):
        members = qti30_members()
        members["items/capital-fr.xml"] = "<qti-assessment-item><unclosed>"

        with pytest.raises(
            FileError, match=re.escape("In items/capital-fr.xml: The file is not well-formed")
        ):
            parse_file(zip_of(members), "qti30")

    def test_a_zip_bomb_stops_at_the_unpacked_limit(self, monkeypatch):
        monkeypatch.setattr(packages, "MAX_UNPACKED", 10_000)
        members = qti30_members()
        members["items/capital-fr.xml"] = "<!--" + "0" * 50_000_000 + "-->"
        raw = zip_of(members)
        assert len(raw) < 100_000  # 50 MB that deflate to a few kilobytes

        with pytest.raises(FileError, match="unpacks to more than"):
            parse_file(raw, "qti30")

    def test_too_many_members_are_refused(self, monkeypatch):
        monkeypatch.setattr(packages, "MAX_MEMBERS", 3)

        with pytest.raises(FileError, match="holds 4 files"):
            parse_file(zip_of(qti30_members()), "qti30")

    def test_a_damaged_zip_and_a_zip_in_a_text_format_are_refused(self):
        with pytest.raises(FileError, match="damaged or incomplete"):
            parse_file(zip_of(qti30_members())[:300], "qti30")
        with pytest.raises(FileError, match="QTI package only"):
            parse_file(zip_of(qti30_members()), "gift")
