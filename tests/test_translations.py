"""Every interface string has its French translation (French is the default language)."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("feedback/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def test_every_string_of_the_interface_is_translated_into_french():
    extracted = {
        (message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS
        )
    }
    with open(ROOT / "translations/fr/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = {
            (m.id if isinstance(m.id, str) else m.id[0]): m
            for m in read_po(handle)
            if m.id
        }
    untranslated = sorted(
        message_id
        for message_id in extracted
        if message_id not in catalogue
        or not catalogue[message_id].string
        or catalogue[message_id].fuzzy
    )
    assert len(extracted) > 40
    assert untranslated == [], "run `make translations` and translate these into French"
