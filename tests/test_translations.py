"""Every interface string has a Dutch translation, and the compiled file is current."""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent
PO = BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def po_entries(path: Path = PO) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry, parsed without extra packages."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        parts = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[\d\])\s+"(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        if parts.get("msgid"):
            msgstr = parts.get("msgstr", parts.get("msgstr[0]", ""))
            entries.append((parts["msgid"], msgstr, fuzzy))
    return entries


def test_every_string_in_the_catalogue_is_translated_to_dutch():
    entries = po_entries()
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert untranslated == []


def test_compiled_translations_match_the_po_file():
    with PO.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for msgid, msgstr, _fuzzy in po_entries():
        if "\\" in msgid or "\\" in msgstr:
            continue  # escaped text; the gettext round trip is checked on the rest
        assert catalog.gettext(msgid) == msgstr, msgid


def test_every_string_in_the_code_is_in_the_catalogue(settings, tmp_path, monkeypatch):
    """Extract the strings afresh (as `make messages` does) in a copy of the
    project: a string added to the code without a translation fails here.

    Needs GNU gettext's xgettext, as `make messages` does; CI installs it.
    """
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed on this machine")
    project = tmp_path / "project"
    for name in [*settings.PROJECT_APPS, "rio", "templates", "locale"]:
        shutil.copytree(BASE_DIR / name, project / name, ignore=shutil.ignore_patterns("*.pyc"))
    copy = project / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    settings.LOCALE_PATHS = [str(project / "locale")]
    monkeypatch.chdir(project)
    call_command("makemessages", locale=["nl"], verbosity=0)
    fresh = po_entries(copy)
    assert len(fresh) >= len(po_entries())
    missing = [msgid for msgid, msgstr, fuzzy in fresh if not msgstr or fuzzy]
    assert missing == [], "run `make messages` and translate these"
