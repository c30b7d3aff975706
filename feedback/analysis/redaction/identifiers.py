"""RAMQ numbers (four letters and eight digits, with any separator or none, any case, whose
digits encode a birth date) and chart numbers (dossier, MRN), with or without a site prefix.

An identifier-shaped number is read by its cue (``cues``); with no cue, its shape decides: a
long bare number, a prefixed code, the chart number named before, quoted again or mistyped.
"""

import re

from feedback.analysis.redaction.contacts import _PHONE, _belongs_to_service, _measures_before
from feedback.analysis.redaction.cues import (
    _BIRTH_ID_CUE,
    _CHART_CUE,
    _CONTACT_CUE,
    _LABEL_CUE,
    _OTHER_CUE,
    _OWNER_CUE,
    _SMALL_CUE,
    _cue_kind,
    _nearest_cue,
)
from feedback.analysis.redaction.dates import _compact_date, _looks_like_date, _recent_compact_date
from feedback.analysis.redaction.owners import _contact_owner
from feedback.analysis.redaction.vocabulary import (
    _DASHES,
    _L,
    _S,
    _SEP1,
    _STAFF,
    BIRTH_DATE,
    DOSSIER,
    PHONE,
    RAMQ,
    SIN,
    _Lazy,
    _one_letter_apart,
)
from feedback.analysis.redaction.words import _COMMON, _ORDINARY, _flags, _key
from feedback.analysis.text import fold

# What people type between the parts of a RAMQ number besides one plain separator: doubled
# spaces, a separator with spaces around it (" - ", ". "), a colon, a middle dot, a comma.
_RAMQ_SEP = r"(?:[ \t]{0,2}[._/\\:·•,;|*+~=-][ \t]{0,2}|[ \t]{1,3})"

_RAMQ = re.compile(
    r"(?:(?<![^\W_])|(?<=(?i:ramq))|(?<=(?i:nam)))"
    r"(?!(?i:inc|ritm|req|chg|prb|task|sctask|ctask|rfc|kb|tkt))"
    rf"(?P<letters>{_L}{{4}}|{_L}(?:{_SEP1}{_L}){{3}}"
    rf"|(?P<split>{_L}{{3}}[ ]{_L}|{_L}{{2}}[ ]{_L}{{2}}))(?:\.[ \t]|{_RAMQ_SEP}?)"
    # Eight digits in pairs, any pair set apart ("4512 1803", "45 12 18 03", "451218-03").
    rf"(?P<digits>\d\d(?:{_RAMQ_SEP}?\d\d){{3}}|\d(?:{_SEP1}\d){{7}}"
    rf"|(?P<odd>\d(?:{_SEP1}?\d){{7}}))"
    rf"(?!{_S}\d)(?:(?![^\W_])|(?<=\d{{8}})(?=[^\W\d_]{{2}}))"
)

_TICKET_PREFIX = (
    r"(?!(?i:INC|RITM|REQ|CHG|PRB|TASK|SCTASK|CTASK|RFC|KB|TKT|SR|WO|PO|CS|ISO|COVID)(?:[-\s]?\d|"
    r"\b))"
)

_WIDE_SEPARATOR = re.compile(r"[^\w.\-/\\ ]|[^\w]{2,}")

_YEAR_RANGE = re.compile(r"\s?(?:19|20)\d\d[-.](?:19|20)\d\d")

# A code numbered by year ("OS-2023-0045", "PR-2019-014") is an order, a protocol, a lot.
_YEAR_SEQUENCE = re.compile(r"[-/.]?(?:19|20)\d\d[-/.]\d{1,5}")

# Words that make a lettered code after a bare "#" or "no" a chart number, not an asset's.
_CHART_CONTEXT = re.compile(
    r"(?i:dossier|\bdoss\b|\bmrn|\bchart|\bfile\b|\brecord|\bpatiente?|\bpte?\b|\busag[èe]re?|"
    r"bracelet|wristband|armband|fusion|merge)"
)

# Where services call their patients clients (addiction, CLSC), a lettered code right after the
# noun is the client's number: "client #A-20931", "la cliente no B-44120"; not a software
# client's version, which names the software between ("client Citrix v-20931").
_CLIENT_RIGHT_BEFORE = re.compile(
    r"\b(?i:cliente?)[ \t]*(?:#|(?i:no\.?|n°|num[ée]ro|number|id)[ \t]*#?)?[ \t]*$"
)

_ID_CANDIDATE = _Lazy(
    r"(?:(?<![\w.,/@()+-])|(?<=[^\W\d_]\.)|(?<=\())"
    rf"(?P<value>{_TICKET_PREFIX}"
    # A site's or a system's capitals, a word's letters, or a longer run of capitals before a
    # hyphen, as a temporary chart is coded ("TEMPUNK-00412").
    r"(?:(?P<prefix>[A-Z]{2,5}(?=[ \t]\d)|[^\W\d_]{1,5}(?:[-.][^\W\d_]{1,5}){0,2}(?=[-./]?\d)"
    r"|[A-Z]{6,8}(?=-\d))"
    r"(?P<psep>[-./ \t])?)?"
    r"(?P<digits>\d{1,4}(?:(?:[ \t]|[ \t]?[-./][ \t]?)\d{1,4})*[ \t](?:[-./][ \t]?)?\d{1,4}"
    r"(?:(?:[ \t]|[ \t]?[-./][ \t]?)\d{1,4})*(?![-./]?\d)|\d+(?:[-./]\d+)*)"
    r"(?P<check>-[A-Z](?![\w-]))?)"
    r"(?:(?![\w-])|(?<=\d{5})(?=[a-zà-öø-ÿ]{3}))(?![.,]\d)"
)

_ID_UNIT_AFTER = _Lazy(
    r"\s*(?:\$|%|€|(?i:mg|mcg|µg|ug|ml|mmol|µmol|umol|g|kg|unités|unites|units|ui|patients?|"
    r"pts|clics|clicks|fois|times|min|minutes|heures|hours|jours|days|semaines|weeks|ans|years|"
    r"km|pages|lignes|lines|fichiers|files|dossiers|charts|notes|messages|courriels|e-?mails|"
    r"appels|calls|tickets|billets|requ[êe]tes|requests|employ[ée]e?s|employees|lits|beds|"
    r"litres|dollars|naissances|births|visites|visits|usagers|users|utilisateurs|postes)\b)"
)

_PATIENTS_AFTER = re.compile(
    r"[ \t]+(?i:du|de\s+la|de\s+l['’]|of\s+the|of|for\s+the|pour\s+l[ae']?)\s*"
    r"(?i:patiente?|pte?|usag[èe]re?|client|cliente|r[ée]sidente?|b[ée]b[ée]|baby)\b"
)

_AREA_CODE_BEFORE = re.compile(r"\(\s?\d{3}\s?\)[ \t]?$")

# "514 5550177": an area code, then the rest of a phone number, which the phone stage reads.
_AREA_CODE_APART = re.compile(r"(?<![\w.,/-])([2-9]\d\d)[ \t.-]$")

# What makes a RAMQ-shaped code an employee's or an order's (unless a health card is named).
_RAMQ_REFERENCE_BEFORE = re.compile(
    r"\b(?i:matricule|employ[ée]e?|employee|badge|login|utilisateur|username|user\s+id|"
    r"commande|order|facture|invoice|lot|s[ée]rie|serial|asset|actif|inventaire|inventory|"
    r"projet|project|contrat|contract|mod[èe]le|model|p/n|part|imprimante|printer|appareil|"
    r"device|(?-i:SN|S/N)|s/n)\b"
    r"(?![^.!?\n]*(?i:ramq|nam\b|carte|card|assurance|health|soleil))[^.!?\n]{0,25}$"
)

# A health card named right before a code of its shape: the code is its number, even mistyped
# so that its digits encode no date.
_HEALTH_CARD_BEFORE = re.compile(
    r"(?i:\bramq|\bnam\b|\bhcn\b|\bhin\b|carte[\s-]+soleil|assurance[\s-]+maladie|"
    r"health[\s-]+(?:card|insurance)|medicare)[^.!?\n\d]{0,25}$"
)

_HEALTH_CARD_IN_SENTENCE = re.compile(
    r"(?i:\bramq|\bnam\b|\bhcn\b|carte[\s-]+soleil|assurance[\s-]+maladie|"
    r"health[\s-]+card|medicare)[^.!?\n\d]{0,100}$"
)

# A RAMQ number glued to the name before it ("JeanTREJ41071211", "ROYMARIEROYM52120344"):
# the whole token goes, the name with it.
_GLUED_RAMQ = re.compile(
    r"(?<![^\W_])[^\W\d_]+(?P<letters>[A-Z]{4}|[a-z]{4})"
    r"(?P<digits>\d{8})(?![^\W_])"
)

_EIGHT_DIGITS = re.compile(rf"\d(?:{_RAMQ_SEP}?\d){{7}}")

_FIVE_DIGITS = re.compile(rf"\d(?:[\s./{_DASHES}-]?\d){{4}}")

_SEVEN_DIGITS = re.compile(r"\d{3}[-.\s]\d{4}")


# Three groups of digits or more, set apart by spaces alike, not a social insurance number's
# three groups of three.
_GROUPED_LIKE_A_PHONE = re.compile(r"(?!\d{3} \d{3} \d{3}$)\d{1,4}(?: \d{1,6}){2,6}")

# Digits in pairs, as France and others write a phone number: "01 23 45 67 89".
# A chart's noun, then only what says the number is it ("c'est le", "is", "soit le"), and a
# site's letter: the digits in groups that follow are the chart number however far they stand
# in words ("son dossier c'est le H 0047 1182").
_CHART_IS_BEFORE = re.compile(
    r"\b(?i:dossier|doss|mrn|chart|record)\b[ \t:#=-]*"
    r"(?:(?i:c['’]est|est|[ée]tait|soit|is|was|it['’]s|le|la|l['’]|the|no|num[ée]ro|number)"
    r"[ \t:#=-]*){1,4}(?:[A-Z][ \t]*)?$"
)

# A chart's noun right before a site's capitals: the number after them is the chart's.
_CHART_RIGHT_BEFORE = re.compile(
    r"\b(?i:dossier|doss|mrn|chart|record)\b\.?(?:[ \t]*(?i:no|n[°o]|#|:|num[ée]ro))?[ \t:#=-]*$"
)

_PAIRED_DIGITS = re.compile(r"\d\d(?:[ .-]\d\d){3,6}")

# Digits written as a whole date, day, month and year set apart alike, are no RAMQ number's.
_DATE_SHAPED = re.compile(r"\d\d([/.-])\d\d\1(?:19|20)\d\d|(?:19|20)\d\d([/.-])\d\d\2\d\d")


def _replace_ramq(match: re.Match, found: list[str]) -> str:
    letters = re.sub(r"[^\w]", "", match["letters"])
    digits = re.sub(r"\D", "", match["digits"])
    if not letters.isalpha():
        return match.group()
    if not _birth_digits(digits) and not _HEALTH_CARD_BEFORE.search(
        match.string, max(0, match.start() - 40), match.start()
    ):
        return match.group()  # "FORM-2024-0031": no month 24, so no date of birth, no RAMQ
    if _DATE_SHAPED.fullmatch(match["digits"].strip()):
        return match.group()  # "la date 12/03/1941": a date after a word, for the dates stage
    if _belongs_to_service(match, _RAMQ_REFERENCE_BEFORE):
        return match.group()  # "code d'employé BERG 8804 1232"
    # After a word, digits grouped oddly or set apart by more than a plain separator are no
    # RAMQ number unless a health card is named: "pour 12 345 678", "Lits : 4512 1803".
    # Digits that encode a birth date, with a health card named earlier in the sentence, are
    # that card's however they are set apart: "le NAM … coupé sur deux lignes (MORA 5911 / 2408)".
    odd = (
        match["odd"]
        or _WIDE_SEPARATOR.search(match.group())
        and not _HEALTH_CARD_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
        and not (
            _birth_digits(digits)
            and _HEALTH_CARD_IN_SENTENCE.search(
                match.string, max(0, match.start() - 120), match.start()
            )
        )
    )
    if odd and _flags(_key(letters)) & (_COMMON | _ORDINARY):
        return match.group()
    if match["split"] and not (
        (match["letters"].isupper() or match["letters"].islower())
        and _HEALTH_CARD_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
    ):
        return match.group()  # letters split by a space are a RAMQ number's only if named one
    found.append(digits)
    return RAMQ


def _replace_glued_ramq(match: re.Match, found: list[str]) -> str:
    if not _birth_digits(match["digits"]):
        return match.group()
    found.append(match["digits"])
    return RAMQ


def _birth_digits(digits: str) -> bool:
    """Whether the digits of a RAMQ number encode a birth date: YYMMDD, women's months + 50."""
    month, day = int(digits[2:4]), int(digits[4:6])
    return (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31


def _redact_ids(text: str, cued_only: bool, charts: list[str], refs: list[str]) -> str:
    """Chart numbers among the identifier-shaped numbers; with cued_only, only those that a
    cue word claims (the rest wait until phone numbers and dates are read). The numbers that a
    thing's cue claims (a ticket, a lot) are added to refs."""
    pieces, last = [], 0
    for match in _ID_CANDIDATE.finditer(text):
        before = "".join(pieces[-4:]) + text[last : match.start()]
        kind = _id_kind(match, before[-90:], cued_only, charts, refs)
        if kind is None:
            continue
        start = match.start("value")
        prefix = match["prefix"]
        if prefix and (_cue_kind(prefix) or _site_before_chart(match, kind)):
            start = match.start("psep") + 1 if match["psep"] else match.start("digits")
        pieces.append(text[last:start])
        pieces.append(kind)
        if kind == DOSSIER:
            charts.append(match["value"][start - match.start("value") :])
        last = match.end("value")
    if not pieces:
        return text
    return "".join(pieces) + text[last:]


def _site_before_chart(match: re.Match, kind: str) -> bool:
    """Whether the capitals before a chart number, set apart by a space, are a word of their own:
    the site or the system that keeps the chart ("Dossier CHUS 1123987"), which stays."""
    return kind == DOSSIER and match["psep"] in (" ", "\t") and match["prefix"].isupper()


def _id_kind(
    match: re.Match, before: str, cued_only: bool, charts: list[str], refs: list[str]
) -> str | None:
    """The placeholder for an identifier-shaped number, or None to keep it."""
    value, digits, prefix, separator = match["value"], match["digits"], match["prefix"], ""
    count = sum(c.isdigit() for c in digits)
    if (
        count < 4
        or _ID_UNIT_AFTER.match(match.string, match.end())
        or _AREA_CODE_BEFORE.search(before)
        or _AREA_CODE_APART.search(before)
        and _PHONE.fullmatch(_AREA_CODE_APART.search(before)[1] + " " + value)
    ):
        return None
    site = prefix and _site_after_chart_noun(match, before)
    if prefix and _cue_kind(prefix) and not site:
        before, prefix = before + " " + prefix, None  # "MRN 3349201", "doss.0441827"
        value = digits
    elif prefix:
        if match["psep"] in (" ", "\t") and (
            _looks_like_date(digits) or _PHONE.fullmatch(digits) and not site
        ):
            # A phone number or a date after a word: "Centre de services TI 1-866-555-0123",
            # "Note SU 2024-05-02"; but after a chart's noun, the capitals are its site's and
            # the digits its number however they are grouped ("dossier HD 447-1290").
            return None
        separator = match["psep"] or ""
    spaced = " " in digits or "\t" in digits
    if spaced and _measures_before(match.string, match.start()):
        return None  # readings in a row: "TA 120 80 135 90", "glycémies 5.4 6.2 7.8"
    if charts and _same_chart(prefix, digits, charts):
        return DOSSIER  # the chart number named before, quoted again or mistyped
    cue, weak, distance = _nearest_cue(before)
    if cue in (_OTHER_CUE, _LABEL_CUE) and _PATIENTS_AFTER.match(match.string, match.end()):
        cue = _OWNER_CUE  # "Account number 7720041 of the patient": the patient's number
    if cue == _BIRTH_ID_CUE:
        return BIRTH_DATE if _compact_date(digits) else None  # "Date naissance 19530411"
    if _looks_like_date(value) or _YEAR_RANGE.fullmatch(digits.replace(" ", "")):
        return None
    if spaced and distance > 3 and not _CHART_IS_BEFORE.search(before[-50:]):
        cue = None
    if cue == _SMALL_CUE and count > 5:
        cue = None  # "room 0551823": a chart number in the wrong field
    if cue in (_OTHER_CUE, _SMALL_CUE, _CONTACT_CUE, _LABEL_CUE) or _dummy(digits):
        if cue and count >= 6:
            refs.append(digits)
        return None
    if cue not in (_CHART_CUE, _OWNER_CUE) and _recent_compact_date(digits):
        return None  # "20240917", a print date or a run date, not a chart number
    year_code = _YEAR_SEQUENCE.fullmatch(separator + digits)
    if cue == _CHART_CUE:
        if distance > 0 and _PHONE.fullmatch(value):
            return None  # a phone number, unless the chart's cue stands right before it
        if year_code and distance > 0 and not (weak and distance == 1):
            return None  # "les dossiers de formation FORM-2024-0031"
        if count == 4 and not (
            digits.isdigit() and not digits.startswith(("19", "20")) and distance <= 2
        ):
            return None
        return DOSSIER
    phone = _PHONE.fullmatch(value) or _SEVEN_DIGITS.fullmatch(value)
    if (
        cue != _OWNER_CUE
        and _PAIRED_DIGITS.fullmatch(value)
        and _contact_owner(match.string, match.start(), match.end()) == _STAFF
    ):
        return None  # a service's number in another country's form: "le 01 23 45 67 89 du TI"
    if (
        (cue == _OWNER_CUE or weak)
        and count >= 5
        and not phone
        and (
            not prefix
            or _CHART_CONTEXT.search(before[-60:])
            or _CLIENT_RIGHT_BEFORE.search(before[-24:])
        )
    ):
        if not prefix and 8 <= count <= 15 and _GROUPED_LIKE_A_PHONE.fullmatch(value):
            # Digits in three groups or more, as a phone number of another country is written,
            # after a word that names no chart: "Numéro en Belgique 32 471 23 45 67".
            return PHONE
        return DOSSIER
    if cued_only or count < 6:
        return None
    if refs and _sibling_reference(digits, refs):
        return None  # "ticket 4522118, reopened as 4522190": a number of the same series
    if spaced:
        return None
    if prefix and (prefix.isupper() and len(prefix) >= 2 or match["check"]):
        if year_code:
            return None
        if re.search(
            rf"(?<![\w-]){re.escape(prefix)}[-/.]?\d+\s*(?:[àa]|to|through|[-–—,/&]|et|and|au)"
            r"\s*$",
            before,
        ):
            return None  # the end of a range or a list of codes: "TI-005230 à TI-005233"
        return DOSSIER
    if not prefix and digits.isdigit() and 7 <= count <= 10:
        return DOSSIER  # a bare number this long is an identifier, unless a cue says otherwise
    if charts and not phone and not year_code:
        return DOSSIER  # another number shaped like the chart number already named
    return None


def _site_after_chart_noun(match: re.Match, before: str) -> bool:
    """Whether capitals set apart before a number stand right after a chart's noun: they are
    the site's code ("dossier MR 887-2214", even where they spell a title), the digits after
    them the chart's number however they are grouped."""
    return (
        match["psep"] in (" ", "\t")
        and match["prefix"].isupper()
        and bool(_CHART_RIGHT_BEFORE.search(before[-30:]))
    )


def _sibling_reference(digits: str, refs: list[str]) -> bool:
    """Whether a number belongs to the series of a reference named before (a ticket, a lot, an
    order): as many digits, the same first three."""
    mine = re.sub(r"\D", "", digits)
    for ref in refs:
        theirs = re.sub(r"\D", "", ref)
        if len(theirs) == len(mine) and theirs[:3] == mine[:3] and mine != theirs:
            return True
    return False


def _dummy(digits: str) -> bool:
    """Whether a number is a test system's filler, one digit repeated: "9999999"."""
    return len(set(re.sub(r"\D", "", digits))) == 1


def _same_chart(prefix: str | None, digits: str, charts: list[str]) -> bool:
    """Whether a number repeats a chart number already named, maybe mistyped: the same digits
    give or take leading zeros, or two digits swapped or changed ("0451236" for "00451236",
    "HRL 0 447 192" for "HRL 0 447 129"), or one digit more or less."""
    mine = re.sub(r"\D", "", digits).lstrip("0")
    if len(mine) < 5:
        return False
    for chart in charts:
        letters = re.match(r"[^\W\d_]*", chart).group()
        if prefix and letters and fold(prefix) != fold(letters):
            continue
        theirs = re.sub(r"\D", "", chart).lstrip("0")
        if len(theirs) == len(mine) and sum(a != b for a, b in zip(mine, theirs, strict=True)) <= 2:
            return True
        if min(len(mine), len(theirs)) >= 6 and _one_letter_apart(mine, theirs):
            return True  # a digit dropped or doubled: "2019-04512" for "2019-004512"
    return False


# A social insurance number (NAS, SIN): nine digits, grouped in threes or not, whose check
# digit is right (Luhn). Named by its cue, any nine digits are one; without a cue, only those
# whose check digit holds and that nothing else claims (an order, a lot, an amount). Read
# aloud or typed from a card, its digits may be set apart one by one ("5 5 0 0 4 7 1 2 0").
_SIN_NUMBER = _Lazy(
    r"(?<![\w.,/-])(?P<digits>\d{3}(?P<sep>[ .-]?)\d{3}(?P=sep)\d{3}"
    r"|(?<!\d[ .-])\d(?P<each>[ .-])\d(?:(?P=each)\d){7}(?![ .-]\d))(?![\w-]|[.,]\d)"
)

_NINE_DIGITS = re.compile(r"\d{3}[ .-]?\d{3}[ .-]?\d{3}|\d(?:[ .-]\d){8}")

_SIN_CUE_BEFORE = re.compile(
    r"(?i:\bn\.?[ \t]?a\.?[ \t]?s\b\.?|\bs\.?i\.?n\b\.?|assurance[\s-]+sociale|"
    r"social[\s-]+insurance)[^.!?\n\d\[]{0,35}$"
)


def _redact_sins(text: str) -> str:
    return _SIN_NUMBER.sub(_replace_sin, text)


def _replace_sin(match: re.Match) -> str:
    text, start = match.string, match.start()
    digits = re.sub(r"\D", "", match["digits"])
    if _SIN_CUE_BEFORE.search(text, max(0, start - 60), start):
        return SIN
    if (
        not _luhn(digits)
        or _dummy(digits)
        or digits.endswith("000")  # "125 000 000": an amount, whatever its check digit
        or _ID_UNIT_AFTER.match(text, match.end())
    ):
        return match.group()
    cue = _nearest_cue(text[max(0, start - 90) : start])[0]
    if cue in (_OTHER_CUE, _SMALL_CUE, _LABEL_CUE, _CONTACT_CUE, _CHART_CUE, _BIRTH_ID_CUE):
        return match.group()  # "Lot 046 454 286", "dossier 130692544": what the cue says
    return SIN


def _luhn(digits: str) -> bool:
    """Whether the last digit checks the others as in a social insurance number."""
    total = 0
    for position, digit in enumerate(int(c) for c in reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
