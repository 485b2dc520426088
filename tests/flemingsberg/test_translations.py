"""The Swedish catalogue is complete, and the compiled .mo matches the .po it came from."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
KEYWORDS = ("msgctxt", "msgid_plural", "msgid", "msgstr[0]", "msgstr[1]", "msgstr")


def _entries() -> list[dict[str, str]]:
    """A small .po reader: one dict per entry, keyword -> unescaped string."""
    entries = []
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry = {}
                break
            if line.startswith("#"):
                if line.startswith("#,") and "fuzzy" in line:
                    entry["fuzzy"] = "yes"
                continue
            keyword = next((k for k in KEYWORDS if line.startswith(k + " ")), None)
            if keyword:
                current = keyword
                line = line[len(keyword) + 1 :]
            if current and line.startswith('"'):
                entry[current] = entry.get(current, "") + ast.literal_eval(line)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


ENTRIES = _entries()


def test_catalogue_is_not_empty():
    assert len(ENTRIES) > 300


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["msgid"][:40])
def test_every_string_has_a_current_swedish_translation(entry):
    assert "fuzzy" not in entry
    swedish = entry.get("msgstr") or entry.get("msgstr[1]")
    assert swedish, f"No Swedish for {entry['msgid']!r}"
    # Placeholders survive translation.
    for placeholder in re.findall(r"%\(\w+\)s", entry.get("msgid_plural", entry["msgid"])):
        if placeholder != "%(counter)s" or "msgid_plural" not in entry:
            assert placeholder in swedish, (entry["msgid"], placeholder)
    with translation.override("sv"):
        if "msgid_plural" in entry:
            compiled = translation.ngettext(entry["msgid"], entry["msgid_plural"], 2)
        elif "msgctxt" in entry:
            compiled = translation.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            compiled = translation.gettext(entry["msgid"])
    assert compiled == swedish, "django.mo is out of date: run msgfmt (make messages)"
