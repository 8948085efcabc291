"""Images and media in QTI packages: a question's HTML that shows a file of the package comes
in pointing at the media store (stored on an import that writes, never on a dry run), a file
the package lacks is reported for its question, and the text keeps its markup; a bank written
as a package carries its files and comes back with them."""

import io
import re
import zipfile

import pytest

from lti_quiz.api.formats import bank_import
from lti_quiz.api.formats.package_export import bank_export_package
from lti_quiz.api.formats.services import parse_file
from lti_quiz.quiz.bank import question_create
from lti_quiz.quiz.media import media_store
from tests.factories.api import error_of, token_client
from tests.factories.formats import bank_questions, empty_bank
from tests.factories.packages import zip_of

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
MEDIA = re.compile(r'src="(/media/q/[0-9a-f]{64}/[\w.-]+)"')

_MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m1" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">
  <organizations/>
  <resources>
    <resource identifier="quiz1" type="imsqti_xmlv1p2">
      <file href="quiz1/quiz1.xml"/>
    </resource>
    <resource identifier="files" type="webcontent" href="web_resources/Uploaded Media/dot.png">
      <file href="web_resources/Uploaded Media/dot.png"/>
    </resource>
  </resources>
</manifest>
"""


def _item_12(ident: str, html: str, choices: tuple[str, str] = ("Yes", "No")) -> str:
    labels = "".join(
        f'<response_label ident="{n}"><material><mattext texttype="text/html">{text}'
        "</mattext></material></response_label>"
        for n, text in enumerate(choices, start=1)
    )
    return f"""
    <item ident="{ident}" title="{ident}">
      <itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>question_type</fieldlabel>
        <fieldentry>multiple_choice_question</fieldentry></qtimetadatafield></qtimetadata>
      </itemmetadata>
      <presentation>
        <material><mattext texttype="text/html">{html}</mattext></material>
        <response_lid ident="response1" rcardinality="Single"><render_choice>{labels}
        </render_choice></response_lid>
      </presentation>
      <resprocessing>
        <outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>
        <respcondition continue="No"><conditionvar><varequal respident="response1">1</varequal>
        </conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>
      </resprocessing>
    </item>"""


def _escaped(html: str) -> str:
    return html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def canvas_package_with_images() -> bytes:
    shown = _escaped(
        '<p>Which <strong>dot</strong>? <img src="$IMS-CC-FILEBASE$/Uploaded%20Media/dot.png"'
        ' alt="A dot"></p>'
    )
    missing = _escaped('<p>Gone <img src="$IMS-CC-FILEBASE$/lost.png" alt="Lost"></p>')
    relative = _escaped('<p>Here <img src="../web_resources/Uploaded%20Media/dot.png" alt="B"></p>')
    quiz = f"""<?xml version="1.0" encoding="UTF-8"?>
<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">
  <assessment ident="quiz1" title="Pictures"><section ident="root_section">
    {_item_12("shown", shown, (_escaped("<em>this</em> one"), "that one"))}
    {_item_12("missing", missing)}
    {_item_12("relative", relative)}
  </section></assessment>
</questestinterop>
"""
    return zip_of(
        {
            "imsmanifest.xml": _MANIFEST_12,
            "quiz1/quiz1.xml": quiz,
            "web_resources/Uploaded Media/dot.png": PNG,
        }
    )


class TestCanvasPackageMedia:
    def test_an_image_of_the_package_is_stored_and_served(self, client):
        bank = empty_bank()

        report = bank_import(
            bank=bank, text=canvas_package_with_images(), fmt="qti12", dry_run=False
        )

        assert report.totals["created"] == 3
        text = bank_questions(bank)["shown"]["text"]
        url = MEDIA.search(text).group(1)
        assert url.endswith("/dot.png") and 'alt="A dot"' in text and "<strong>dot</strong>" in text
        served = client.get(url)
        assert served.status_code == 200 and served["Content-Type"] == "image/png"
        assert b"".join(served.streaming_content) == PNG
        assert bank.media.count() == 1  # the same file twice is stored once

    def test_a_path_relative_to_the_qti_file_finds_the_file_too(self):
        bank = empty_bank()

        bank_import(bank=bank, text=canvas_package_with_images(), fmt="qti12", dry_run=False)

        assert MEDIA.search(bank_questions(bank)["relative"]["text"])

    def test_choices_keep_their_markup(self):
        bank = empty_bank()

        bank_import(bank=bank, text=canvas_package_with_images(), fmt="qti12", dry_run=False)

        choices = bank_questions(bank)["shown"]["choices"]
        assert [c["text"] for c in choices] == ["<em>this</em> one", "that one"]

    def test_a_file_the_package_lacks_is_reported_for_its_question(self):
        parsed = parse_file(canvas_package_with_images(), "qti12")

        missing = next(item for item in parsed.questions if item.report.key == "missing")
        messages = [n.message for n in missing.report.warnings if n.field == "text"]
        assert any("'$IMS-CC-FILEBASE$/lost.png' is not in the package" in m for m in messages)
        shown = next(item for item in parsed.questions if item.report.key == "shown")
        assert shown.report.warnings == []

    def test_a_matimage_is_an_image_of_the_question(self):
        item = _item_12("imaged", _escaped("<p>Look</p>")).replace(
            "</mattext></material>",
            '</mattext><matimage imagtype="image/png" uri="web_resources/Uploaded Media/dot.png"'
            ' label="A dot"/></material>',
            1,
        )
        quiz = (
            '<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">'
            f'<assessment ident="quiz1"><section ident="s">{item}</section></assessment>'
            "</questestinterop>"
        )
        members = {"imsmanifest.xml": _MANIFEST_12, "quiz1/quiz1.xml": quiz}
        package = zip_of({**members, "web_resources/Uploaded Media/dot.png": PNG})
        bank = empty_bank()

        bank_import(bank=bank, text=package, fmt="qti12", dry_run=False)

        text = bank_questions(bank)["imaged"]["text"]
        assert text.startswith("<p>Look</p><img src=") and 'alt="A dot"' in text
        assert MEDIA.search(text) and bank.media.count() == 1

    def test_a_dry_run_stores_no_file(self):
        bank = empty_bank("dry")

        bank_import(bank=bank, text=canvas_package_with_images(), fmt="qti12", dry_run=True)

        assert not bank.media.exists()


_MANIFEST_30 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="m30">
  <organizations/>
  <resources>
    <resource identifier="dots" type="imsqti_item_xmlv3p0" href="items/dots.xml">
      <file href="items/dots.xml"/>
      <file href="images/dot%20one.png"/>
    </resource>
  </resources>
</manifest>
"""

_ITEM_30 = """<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="dots"
    title="Dots" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>A</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>
    <p>How many <strong>dots</strong>? <img src="../images/dot%20one.png" alt="One dot"/></p>
    <p><img src="../images/gone.png" alt="Gone"/></p>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
      <qti-simple-choice identifier="A"><em>One</em></qti-simple-choice>
      <qti-simple-choice identifier="B">Two</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
</qti-assessment-item>
"""


def qti30_package_with_images() -> bytes:
    return zip_of(
        {"imsmanifest.xml": _MANIFEST_30, "items/dots.xml": _ITEM_30, "images/dot one.png": PNG}
    )


class TestQti30PackageMedia:
    def test_an_image_relative_to_the_item_is_stored_and_the_markup_kept(self, client):
        bank = empty_bank()

        report = bank_import(
            bank=bank, text=qti30_package_with_images(), fmt="qti30", dry_run=False
        )

        assert report.totals["created"] == 1
        question = bank_questions(bank)["dots"]
        url = MEDIA.search(question["text"]).group(1)
        assert url.endswith("/dot-one.png")  # a name fit for a URL
        assert "<strong>dots</strong>" in question["text"]
        assert client.get(url).status_code == 200
        assert [c["text"] for c in question["choices"]] == ["<em>One</em>", "Two"]

    def test_a_file_the_package_lacks_is_reported(self):
        parsed = parse_file(qti30_package_with_images(), "qti30")

        messages = [n.message for n in parsed.questions[0].report.warnings]
        assert any("'../images/gone.png' is not in the package" in m for m in messages)

    def test_a_dry_run_stores_no_file(self):
        bank = empty_bank("dry")

        bank_import(bank=bank, text=qti30_package_with_images(), fmt="qti30", dry_run=True)

        assert not bank.media.exists()


class TestPackageExport:
    @pytest.fixture
    def bank_with_media(self):
        bank = empty_bank("with-media")
        media = media_store(bank=bank, name="dot.png", data=PNG)
        url = f"/media/q/{media.sha256}/{media.filename}"
        question_create(
            bank=bank,
            data={
                "key": "pic",
                "kind": "single_choice",
                "text": f'<p>Which <strong>dot</strong>? <img src="{url}" alt="A dot"></p>',
                "choices": [
                    {"text": "<em>This</em> one", "is_correct": True},
                    {"text": "That one", "is_correct": False},
                ],
            },
        )
        return bank, url

    @pytest.mark.parametrize("fmt", ["qti12", "qti30"])
    def test_a_package_carries_the_files_and_comes_back_with_them(self, bank_with_media, fmt):
        bank, url = bank_with_media
        package = bank_export_package(bank=bank, fmt=fmt)

        with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
            names = archive.namelist()
        folder = "web_resources/" if fmt == "qti12" else "media/"
        assert f"{folder}dot.png" in names and "imsmanifest.xml" in names
        target = empty_bank("from-package")
        report = bank_import(bank=target, text=package.data, fmt=fmt, dry_run=False)
        assert report.totals["created"] == 1
        question = bank_questions(target)["pic"]
        assert question["text"] == bank_questions(bank)["pic"]["text"]  # the same media URL
        assert target.media.get().sha256 == url.split("/")[3]
        assert [c["text"] for c in question["choices"]] == ["<em>This</em> one", "That one"]

    def test_a_package_is_qti_only(self, bank_with_media):
        with pytest.raises(ValueError, match="Only QTI"):
            bank_export_package(bank=bank_with_media[0], fmt="gift")

    def test_the_export_endpoint_answers_the_package_as_a_zip(self, bank_with_media, erin):
        client = token_client(erin)
        bank = bank_with_media[0]
        url = f"/api/v1/banks/{bank.pk}/export/?format=qti12&package=1"

        response = client.get(url)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert 'filename="with-media-qti12.zip"' in response["Content-Disposition"]
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert "web_resources/dot.png" in archive.namelist()

    def test_the_export_endpoint_refuses_a_package_it_cannot_write(self, bank_with_media, erin):
        client = token_client(erin)
        bank = bank_with_media[0]

        gift = client.get(f"/api/v1/banks/{bank.pk}/export/?format=gift&package=1")
        both = client.get(f"/api/v1/banks/{bank.pk}/export/?format=qti30&package=1&report=1")

        assert gift.status_code == 400 and "package" in error_of(gift)["fields"]
        assert both.status_code == 400 and "report" in error_of(both)["fields"]
