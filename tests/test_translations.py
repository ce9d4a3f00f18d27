"""Every interface string has a Chinese translation, and the catalog's placeholders match."""

from __future__ import annotations

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from courseware.config import PROJECT_ROOT

CATALOG = PROJECT_ROOT / "courseware" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
METHODS = [("courseware/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def interface_strings() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT, METHODS, keywords=KEYWORDS
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def catalog() -> dict[str, str]:
    """Each English string with its Chinese one; both forms of a plural map to its one form."""
    entries = {}
    with CATALOG.open("rb") as handle:
        for message in read_po(handle):
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            forms = [message.string] if isinstance(message.string, str) else list(message.string)
            for english in ids:
                entries[english] = forms[0] if all(forms) else ""
    return entries


def test_every_interface_string_has_a_chinese_translation():
    translations = catalog()
    missing = sorted(s for s in interface_strings() if not translations.get(s))
    assert missing == [], "Run `make translate` and translate these in messages.po:\n" + "\n".join(
        missing)


def test_translations_keep_every_placeholder():
    for english, chinese in catalog().items():
        if chinese:
            assert sorted(re.findall(r"%\(\w+\)s", english)) == sorted(
                re.findall(r"%\(\w+\)s", chinese)), english


def test_chinese_translations_use_full_width_punctuation():
    for english, chinese in catalog().items():
        assert not re.search(r"[\u4e00-\u9fff][,;:?!]", chinese or ""), (english, chinese)
