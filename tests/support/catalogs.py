"""Reading the tool's translation catalogs (lti_quiz/locale), and the check that they are current.

`read_po` is a small reader of what makemessages writes (msgctxt, msgid, msgid_plural, msgstr[n],
flags), enough for tests to say that a catalog is complete and that its compiled `.mo` says the
same: no new dependency, no system gettext needed to run the tests.

`python -m tests.support.catalogs` (`make check-catalogs`, run by CI) extracts the messages of
the current code with makemessages (GNU gettext) into the catalogs, compares the msgids with what
was there, and puts the catalogs back as they were: it fails when the code has a message no
catalog has yet, which `make messages` then adds for translation.
"""

import ast
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "lti_quiz" / "locale"
LANGUAGES = ("es", "fr")  # every shipped language but English, the source language
DOMAINS = ("django",)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The key the compiled catalog (and Python's gettext) knows the message by."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") first; entries end at a blank line, as
    makemessages writes them."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    started = False

    def finish() -> None:
        nonlocal entry, started
        if started:
            entries.append(entry)
        entry, started = Entry(), False

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            entry.obsolete, started = True, True
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if target is not None:
                _append(entry, target, ast.literal_eval(line))
            continue
        keyword, _, value = line.partition(" ")
        started = True
        text = ast.literal_eval(value)
        if keyword.startswith("msgstr["):
            target = ("msgstr", int(keyword[7:-1]))
        elif keyword == "msgstr":
            target = ("msgstr", 0)
        else:
            target = (keyword, 0)
        _append(entry, target, text, start=True)
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str, *, start: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif name == "msgid":
        entry.msgid = ("" if start else entry.msgid) + text
    elif name == "msgid_plural":
        entry.msgid_plural = ("" if start else entry.msgid_plural or "") + text
    elif name == "msgctxt":
        entry.msgctxt = ("" if start else entry.msgctxt or "") + text


def catalog_paths(suffix: str = ".po") -> list[Path]:
    return [
        LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}{suffix}"
        for language in LANGUAGES
        for domain in DOMAINS
    ]


def msgids(path: Path) -> set[str]:
    return {entry.key for entry in read_po(path) if entry.msgid and not entry.obsolete}


def main() -> int:
    """Extract from the current code; fail when a message is missing from a catalog."""
    before = {path: msgids(path) for path in catalog_paths()}
    with tempfile.TemporaryDirectory() as saved:
        backup = Path(saved) / "locale"
        shutil.copytree(LOCALE_DIR, backup)
        try:
            # `make check-catalogs` has installed what is needed: this Python runs makemessages.
            command = ["make", "--no-print-directory", "-o", ".venv/bin/.installed", "messages"]
            subprocess.run([*command, f"PY={sys.executable}"], cwd=ROOT, check=True)
            after = {path: msgids(path) for path in catalog_paths()}
        finally:
            shutil.rmtree(LOCALE_DIR)
            shutil.copytree(backup, LOCALE_DIR)
    problems = []
    for path, found in after.items():
        name = path.relative_to(ROOT)
        problems += [f"{name}: not in the catalog yet: {msgid!r}" for msgid in found - before[path]]
        problems += [f"{name}: no longer in the code: {msgid!r}" for msgid in before[path] - found]
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    if problems:
        print("Run `make messages`, translate, then `make catalogs`.", file=sys.stderr)
        return 1
    print(f"catalogs: every message of the code is in {len(after)} catalogs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
