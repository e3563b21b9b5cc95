"""Every interface string has a Dutch translation, and the compiled file is current."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def po_entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry, parsed without extra packages."""
    entries = []
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
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


def test_every_string_is_translated_to_dutch():
    entries = po_entries()
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert untranslated == []


def test_compiled_translations_match_the_po_file():
    catalog = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    for msgid, msgstr, _fuzzy in po_entries():
        if "\\" in msgid or "\\" in msgstr:
            continue  # escaped text; the gettext round trip is checked on the rest
        assert catalog.gettext(msgid) == msgstr, msgid
