"""The Spanish and French catalogs are complete, and what the tool loads (the compiled .mo,
committed so that running the tool needs no gettext) says exactly what the .po says."""

import gettext
import re

import pytest

from tests.support.catalogs import catalog_paths, read_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w+\}")
CATALOGS = catalog_paths()


def test_every_shipped_language_has_a_catalog():
    assert [path.parts[-3] for path in CATALOGS] == ["es", "fr"]
    for path in CATALOGS:
        assert path.is_file(), f"{path} is missing: run `make messages`"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_every_message_is_translated_and_none_is_fuzzy(path):
    entries = [entry for entry in read_po(path) if entry.msgid]

    untranslated = [entry.msgid for entry in entries if not entry.translated]
    obsolete = [entry.msgid for entry in entries if entry.obsolete]

    assert entries, f"{path} has no messages"
    assert not untranslated, f"{path}: translate these (and drop any fuzzy flag): {untranslated}"
    assert not obsolete, f"{path}: run `make messages` to drop messages the code no longer has"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_translations_keep_every_placeholder(path):
    for entry in read_po(path):
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for form in entry.msgstr.values():
            if entry.msgid and form:
                assert sorted(PLACEHOLDER.findall(form)) == expected, (
                    f"{path}: {entry.msgid!r} → {form!r}"
                )


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_the_compiled_catalog_says_what_the_po_says(path):
    compiled = path.with_suffix(".mo")
    assert compiled.is_file(), f"{compiled} is missing: run `make catalogs`"
    with compiled.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]

    expected: dict[object, str] = {}
    for entry in read_po(path):
        if not entry.msgid or not entry.translated:
            continue
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            expected.update({(entry.key, n): form for n, form in entry.msgstr.items()})
    found = {key: value for key, value in catalog.items() if key != ""}  # "" is the header

    assert found == expected, f"{compiled} is stale: run `make catalogs` and commit it"
