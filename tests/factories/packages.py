# ruff: noqa: E501 (manifests as their writers lay them out, one element a line)
"""QTI zip packages as Canvas and QTI 3.0 tools write them, built from the sample files.

`python -m tests.factories.packages` writes fixtures/formats/canvas-quiz-qti12.zip and
qti30-package.zip (committed); the tests also build hostile zips with `zip_of`.

Canvas's QTI export (canvas-lms lib/cc/qti/): imsmanifest.xml, `<id>/<id>.xml` (the quiz as
a QTI 1.2 assessment, resource type imsqti_xmlv1p2), `<id>/assessment_meta.xml` (Canvas's
quiz settings), and question banks as `non_cc_assessments/<id>.xml.qti` (an objectbank).
"""

import io
import re
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"

QUIZ_ID = "g0a1b2c3d4e5f60718293a4b5c6d7e8f9"
META_ID = "g9f8e7d6c5b4a39281706f5e4d3c2b1a0"
BANK_ID = "g7f3b1c0b8a1e1f6f9d3c2e4a5b6c7d8e"
CANVAS_ZIP = "canvas-quiz-qti12.zip"
QTI30_ZIP = "qti30-package.zip"

_MANIFEST_12 = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="gd41c7e2f9b0a8c6e4f2a0b8c6d4e2f0a" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" xmlns:lom="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource" xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_v1p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd http://www.imsglobal.org/xsd/imsmd_v1p2 http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd">
  <metadata>
    <schema>IMS Content</schema>
    <schemaversion>1.1.3</schemaversion>
    <imsmd:lom>
      <imsmd:general>
        <imsmd:title>
          <imsmd:string>QTI Quiz Export for course "Chemistry 101"</imsmd:string>
        </imsmd:title>
      </imsmd:general>
    </imsmd:lom>
  </metadata>
  <organizations/>
  <resources>
    <resource identifier="{QUIZ_ID}" type="imsqti_xmlv1p2">
      <file href="{QUIZ_ID}/{QUIZ_ID}.xml"/>
      <dependency identifierref="{META_ID}"/>
    </resource>
    <resource identifier="{META_ID}" type="associatedcontent/imscc_xmlv1p1/learning-application-resource" href="{QUIZ_ID}/assessment_meta.xml">
      <file href="{QUIZ_ID}/assessment_meta.xml"/>
    </resource>
    <resource identifier="{BANK_ID}" type="associatedcontent/imscc_xmlv1p1/learning-application-resource" href="non_cc_assessments/{BANK_ID}.xml.qti">
      <file href="non_cc_assessments/{BANK_ID}.xml.qti"/>
    </resource>
  </resources>
</manifest>
"""

_META = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz identifier="{QUIZ_ID}" xmlns="http://canvas.instructure.com/xsd/cccv1p0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://canvas.instructure.com/xsd/cccv1p0 https://canvas.instructure.com/xsd/cccv1p0.xsd">
  <title>Week 2 quiz</title>
  <description>&lt;p&gt;Elements and compounds.&lt;/p&gt;</description>
  <shuffle_answers>true</shuffle_answers>
  <scoring_policy>keep_highest</scoring_policy>
  <quiz_type>assignment</quiz_type>
  <points_possible>3.5</points_possible>
  <allowed_attempts>1</allowed_attempts>
  <show_correct_answers>true</show_correct_answers>
</quiz>
"""

_MANIFEST_30 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="MANIFEST-geography" xsi:schemaLocation="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd">
  <metadata>
    <schema>QTI Package</schema>
    <schemaversion>3.0.0</schemaversion>
  </metadata>
  <organizations/>
  <resources>
    <resource identifier="test-geography" type="imsqti_test_xmlv3p0" href="tests/geography.xml">
      <file href="tests/geography.xml"/>
      <dependency identifierref="item-planets-01"/>
      <dependency identifierref="capital-fr"/>
    </resource>
    <resource identifier="item-planets-01" type="imsqti_item_xmlv3p0" href="items/item-planets-01.xml">
      <file href="items/item-planets-01.xml"/>
    </resource>
    <resource identifier="capital-fr" type="imsqti_item_xmlv3p0" href="items/capital-fr.xml">
      <file href="items/capital-fr.xml"/>
    </resource>
  </resources>
</manifest>
"""

_TEST_30 = """<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-test xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="test-geography" title="Geography">
  <qti-test-part identifier="part-1" navigation-mode="linear" submission-mode="individual">
    <qti-assessment-section identifier="section-1" title="Section 1" visible="true">
      <qti-assessment-item-ref identifier="item-planets-01" href="../items/item-planets-01.xml"/>
      <qti-assessment-item-ref identifier="capital-fr" href="../items/capital-fr.xml"/>
    </qti-assessment-section>
  </qti-test-part>
</qti-assessment-test>
"""


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def zip_of(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 5, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def canvas_members() -> dict[str, str | bytes]:
    """A Canvas quiz of the sample bank's first two questions, and the bank's last three."""
    bank = sample("canvas-bank-qti12.xml")
    items = re.findall(r"    <item .*?</item>\n", bank, flags=re.S)
    head = bank[: bank.index("<objectbank")]
    quiz = (
        f'{head}<assessment ident="{QUIZ_ID}" title="Week 2 quiz">\n'
        "    <qtimetadata>\n      <qtimetadatafield>\n        <fieldlabel>cc_maxattempts"
        "</fieldlabel>\n        <fieldentry>1</fieldentry>\n      </qtimetadatafield>\n"
        '    </qtimetadata>\n    <section ident="root_section">\n'
        + "".join(items[:2])
        + "    </section>\n  </assessment>\n</questestinterop>\n"
    )
    rest = bank[: bank.index(items[0])] + "".join(items[2:]) + bank[bank.index("  </objectbank>") :]
    return {
        "imsmanifest.xml": _MANIFEST_12,
        f"{QUIZ_ID}/{QUIZ_ID}.xml": quiz,
        f"{QUIZ_ID}/assessment_meta.xml": _META,
        f"non_cc_assessments/{BANK_ID}.xml.qti": rest,
    }


def qti30_members() -> dict[str, str | bytes]:
    return {
        "imsmanifest.xml": _MANIFEST_30,
        "tests/geography.xml": _TEST_30,
        "items/item-planets-01.xml": sample("qti30-choice-item.xml"),
        "items/capital-fr.xml": sample("qti30-text-entry-item.xml"),
    }


if __name__ == "__main__":
    (SAMPLES / CANVAS_ZIP).write_bytes(zip_of(canvas_members()))
    (SAMPLES / QTI30_ZIP).write_bytes(zip_of(qti30_members()))
