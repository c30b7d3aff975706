"""The number stages in the order they depend on one another: RAMQ numbers, dates of birth
after a cue, chart numbers that a cue claims, phone numbers, the remaining dates, then the
chart numbers that only their shape gives away.
"""

import re

from feedback.analysis.redaction.addresses import redact_addresses
from feedback.analysis.redaction.contacts import (
    _CUED_PHONE_HINTS,
    _INTERNATIONAL_HINT,
    _LOCAL_PHONE,
    _PHONE,
    _SPOKEN_HINTS,
    _redact_cued_phones,
    _redact_foreign_phones,
    _redact_international_phones,
    _redact_spoken_phones,
    _replace_phone,
)
from feedback.analysis.redaction.dates import (
    _BIRTH,
    _BIRTH_HINTS,
    _CORRECTED_BIRTH,
    _DATE_ALONE,
    _DATE_HINT,
    _DAY_AFTER_BIRTH_YEAR,
    _DAY_MONTH,
    _OWN_DAY,
    _OWN_DAY_HINTS,
    _SPELLED_YEAR_HINTS,
    _TOLD_BIRTHDAY,
    _TOLD_BIRTHDAY_HINTS,
    _redact_birth_years_after,
    _replace_birth,
    _replace_birthday,
    _replace_told_birthday,
    _replace_uncued_date,
)
from feedback.analysis.redaction.identifiers import (
    _EIGHT_DIGITS,
    _FIVE_DIGITS,
    _GLUED_RAMQ,
    _NINE_DIGITS,
    _RAMQ,
    _SEVEN_DIGITS,
    _redact_ids,
    _redact_sins,
    _replace_glued_ramq,
    _replace_ramq,
)
from feedback.analysis.redaction.vocabulary import (
    _DASHES,
    _SPACES,
    BIRTH_DATE,
    PHONE,
    RAMQ,
    _has_any,
)

# Numbers are read with their separators made plain: dashes of every kind as "-", the spaces
# a word processor puts in numbers as " ", a fraction slash as "/".
_PLAIN_FORMS = str.maketrans(
    {**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SPACES, " "), "\u2044": "/", "\uff0f": "/"}
)

_PLAIN_HINT = re.compile(f"[{_DASHES}{_SPACES}\u2044\uff0f]")

_SPACED_PLACEHOLDER = re.compile(r"\[DATE\sDE\sNAISSANCE\]")


# Digits typed or read out one by one ("5 1 4 5 5 5 0 1 4 8", "1 9 4 7 - 0 3 - 1 2"): eight
# or more single digits, each set apart by a space or a separator.
_SPACED_DIGITS = re.compile(
    r"(?<![\w.,/-])\d(?!\d)(?:(?:[ \t]|[ \t]?[-./][ \t]?)\d(?!\d)){7,}(?![\w,]|[.]\d)"
)

_DIGIT_GAP = re.compile(r"[ \t]*([-./]?)[ \t]*")


# Digits set apart are read as one number only when a word names what they are: scores or
# counts in a row ("3 4 4 5 2 3 1 4") are not.
# Whole words: "hôtel" holds "tel", "recall" holds "call".
_SPACED_CUE = re.compile(
    r"(?:\b(?i:t[ée]l(?:[ée]phones?)?|cell(?:ulaire)?s?|(?:cell|smart)?phones?|mobiles?|"
    r"num[ée]ros?|numbers?|no|n\.?a\.?s|sin|ddn|dob|n[ée]e?|born|naissance|birth\w*|ramq|nam|"
    r"cartes?|cards?|dossiers?|mrn|charts?|file|assurance|insurance|joindre|rejoindre|reach|"
    r"call\w*|appel\w*|rappel\w*)\b|#)\.?[^.!?\n\d]{0,30}$"
    # Where someone is reached: "sa femme au 5 1 4 - 5 5 5 - 0 1 9 0".
    r"|\b(?i:au|at)[ \t]*$"
)


def _closed_up(match: re.Match) -> str:
    text = match.string
    if not _SPACED_CUE.search(text, max(0, match.start() - 50), match.start()):
        return match.group()
    return _DIGIT_GAP.sub(r"\1", match.group())


def _redact_numbers_in_plain_form(text: str, low: str) -> str:
    plain = text.translate(_PLAIN_FORMS) if _PLAIN_HINT.search(text) else text
    # Where each character of the plain form comes from in the text.
    origin = list(range(len(text) + 1))
    if _SPACED_DIGITS.search(plain):
        pieces, origin, at = [], [], 0
        for match in _SPACED_DIGITS.finditer(plain):
            pieces.append(plain[at : match.start()])
            origin.extend(range(at, match.start()))
            closed = _closed_up(match) != match.group()
            for offset, char in enumerate(match.group()):
                if not (closed and char in " \t"):
                    pieces.append(char)
                    origin.append(match.start() + offset)
            at = match.end()
        pieces.append(plain[at:])
        origin.extend(range(at, len(text) + 1))
        plain = "".join(pieces)
    if plain == text:
        return _redact_numbers(text, low)
    out = _redact_numbers(plain, low)
    if out == plain:
        return text
    # Put the original characters back wherever the text was kept.
    import difflib

    pieces = []
    matcher = difflib.SequenceMatcher(None, plain, out, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pieces.append(text[origin[i1] : origin[i2]] if op == "equal" else out[j1:j2])
    return _SPACED_PLACEHOLDER.sub(BIRTH_DATE, "".join(pieces))


# Another province's health card, 4-3-3 digits and a version code ("1234-567-890-AB"), after
# the words that name it: what the RAMQ number is to Québec.
_HEALTH_CARD_HINTS = ("health", "santé", "sante", "soleil", "maladie", "hcn", "ohip", "phn")
_HEALTH_CARD = re.compile(
    r"(?P<cue>\b(?i:health\s*(?:card|number|insurance)|carte\s+(?:sant[ée]|soleil)|"
    r"assurance[\s-]maladie|hcn|ohip|phn)\b[^.!?\n\d]{0,40}?)"
    r"(?<![\w-])\d{4}[ -]?\d{3}[ -]?\d{3}(?:[ -]?[A-Za-z]{2})?(?![\w-])"
)

# Eight digits or more in groups, as a phone number of any country is written.
_GROUPED_DIGITS = re.compile(r"\d[ \t./-]{1,2}\d(?:[\d \t./-]*\d){5}")

_SHORT_CHART_HINTS = ("dossier", "doss", "mrn", "chart")


def _redact_numbers(text: str, low: str) -> str:
    text = redact_addresses(text)
    if ("+" in text or "00" in text or "011" in text) and _INTERNATIONAL_HINT.search(text):
        # First: the groups of a foreign number are no chart, social insurance or RAMQ number.
        text = _redact_international_phones(text)
    if _has_any(low, _CUED_PHONE_HINTS) and _GROUPED_DIGITS.search(text):
        text = _redact_cued_phones(text)
    if _GROUPED_DIGITS.search(text) or "00" in text or "011" in text:
        # Before chart numbers: a relative's foreign number is no chart number of theirs.
        text = _redact_foreign_phones(text)
    ramq_digits: list[str] = []
    if _EIGHT_DIGITS.search(text):
        text = _RAMQ.sub(lambda m: _replace_ramq(m, ramq_digits), text)
        text = _GLUED_RAMQ.sub(lambda m: _replace_glued_ramq(m, ramq_digits), text)
    if _has_any(low, _HEALTH_CARD_HINTS):
        text = _HEALTH_CARD.sub(lambda m: m["cue"] + RAMQ, text)
    for digits in dict.fromkeys(ramq_digits):
        # The digits of a RAMQ number quoted again on their own are the same identifier.
        fragment = r"[\s.-]?".join(digits[:4]) + r"[\s.-]?" + r"[\s.-]?".join(digits[4:])
        text = re.sub(rf"(?<![\w-]){fragment}(?![\w-])", RAMQ, text)
    births: set[tuple[int, frozenset[int]]] = set()
    if _has_any(low, _BIRTH_HINTS):
        text = _BIRTH.sub(lambda m: _replace_birth(m, births), text)
        if any(not day for _, day in births):
            text = _DAY_AFTER_BIRTH_YEAR.sub(lambda m: m["gap"] + BIRTH_DATE, text)
        if "[DATE DE NAISSANCE]" in text:
            text = _CORRECTED_BIRTH.sub(lambda m: m["gap"] + BIRTH_DATE, text)
            text = _redact_birth_years_after(text)
            if _has_any(low, _OWN_DAY_HINTS):
                text = _OWN_DAY.sub(lambda m: m["cue"] + BIRTH_DATE, text)
    if _has_any(low, _TOLD_BIRTHDAY_HINTS):
        text = _TOLD_BIRTHDAY.sub(_replace_told_birthday, text)
    if _NINE_DIGITS.search(text):
        text = _redact_sins(text)
    five = _FIVE_DIGITS.search(text)
    charts: list[str] = []
    refs: list[str] = []
    if five or _has_any(low, _SHORT_CHART_HINTS) and sum(map(str.isdigit, text)) >= 4:
        text = _redact_ids(text, True, charts, refs)
    if five:
        text = _PHONE.sub(_replace_phone, text)
    if _SEVEN_DIGITS.search(text):
        text = _LOCAL_PHONE.sub(lambda m: m["cue"] + PHONE, text)
    if _has_any(low, _SPOKEN_HINTS):
        text = _redact_spoken_phones(text)
    if _DATE_HINT.search(text) or _has_any(low, _SPELLED_YEAR_HINTS):
        text = _DATE_ALONE.sub(lambda m: _replace_uncued_date(m, births), text)
    if births:
        # The birthday quoted again without its year: "ddn 05-06-71 (elle confirme : 6 mai)".
        days = {pair for _, pair in births}
        text = _DAY_MONTH.sub(lambda m: _replace_birthday(m, days), text)
    if _FIVE_DIGITS.search(text):
        text = _redact_ids(text, False, charts, refs)
    return text
