"""Street addresses and postal codes: a patient's or a relative's go, an institution's stay.

An address is a civic number (with a letter, or an apartment before it: "4-1180"), a street
type and a street name ("1245, rue des Érables", "88 boul. Saint-Joseph Est", "17 Maple
Street"), with the apartment that follows ("app. 3", "Apt 4B", "#5"). A Canadian postal code
has the shape A1A 1A1 with the letters Canada Post uses.

Whose it is: an apartment makes it a home. Otherwise the nearest cue before it in its clause
decides: a place of care or of work ("l'hôpital", "le CLSC", "our warehouse", "salle") keeps
it; a dwelling or a patient's word ("habite", "lives", "domicile", "la mère") removes it. An
address that nothing explains is someone's home: feedback names a place of care by its name.
"""

import re

from feedback.analysis.redaction.dates import _month
from feedback.analysis.redaction.owners import _PATIENT_OWNER
from feedback.analysis.redaction.vocabulary import ADDRESS, _Lazy
from feedback.analysis.redaction.words import (
    _COMMON,
    _CUE,
    _NOT_A_NAME_ENDING,
    _ORDINARY,
    _flags,
    _key,
)

_FRENCH_TYPE = (
    r"(?:rue|boulevard|boul\.?|bd|blvd\.?|avenue|av\.?|ave\.?|chemin|ch\.|rang|route|"
    r"mont[ée]e|c[ôo]te|place|croissant|terrasse|impasse|all[ée]e|promenade|carr[ée]|"
    r"rond-point|sentier|square|quai|parc|ruelle|voie|passage|traverse|circuit|esplanade|"
    r"grande[ -]all[ée]e)"
)

_ENGLISH_TYPE = (
    r"(?:street|st\.?|road|rd\.?|avenue|ave\.?|drive|dr\.|boulevard|blvd\.?|lane|ln\.?|"
    r"crescent|cres\.?|court|ct\.?|crt\.?|place|pl\.?|way|circle|terrace|trail|highway|hwy\.?|"
    r"parkway|pkwy\.?|grove|close|ridge|row|sideroad|gardens|heights|mews|square|sq\.?)"
)

# A word of a street's name: capitalised, a number ("route 132"), or in lower case when typed
# quickly ("rue jolicoeur"); the particles between them.
# A full stop is a word's only inside it or after an abbreviation ("St.", "Ste."): the one
# that ends the sentence after an address is no part of it.
_CAPITAL_WORD = (
    r"[A-ZÀ-Þ](?:[\w'’-]|\.(?=[\w-])|(?<=\bSt|\bMt)\.|(?<=\bSte)\.|(?<=\b[A-ZÀ-Þ])\.)*"
)
_NAME_WORD = rf"(?:{_CAPITAL_WORD}|\d{{1,4}}\b|[a-zà-ÿ][\w'’-]{{2,}})"
_PARTICLE = r"(?:(?i:de\s+la|du|des|de|la|le|les)\s+|(?i:de\s+l|d|l)['’]\s*)"

_CIVIC = r"(?P<civic>(?:\d{1,4}-)?\d{1,5}(?:-?[A-Da-d])?(?![\w-]))"

_APARTMENT = (
    r"(?P<apartment>,?[ \t]*(?:(?i:app(?:artement)?|appt|apt|apartment|unit[ée]?|logement|"
    r"log)\.?|\#)[ \t]*\d{1,5}[A-Za-z]?(?![\w-]))?"
)

_DIRECTION = (
    r"(?:[ \t]+(?:Est|Ouest|Nord|Sud|East|West|North|South|OUEST|NORD|SUD|EAST|WEST|NORTH|"
    r"SOUTH|[EONSW]\.)(?![\w-]))?"
)

_ADDRESS = _Lazy(
    rf"(?<![\w.,/-]){_CIVIC},?[ \t]+(?:(?i:de\s+la|du|de\s+l['’])[ \t]*)?"
    # A numbered range or avenue, the number first: "145, 3e Rang Ouest", "22 4e Avenue".
    rf"(?:(?P<ordinal>\d{{1,2}}(?i:e|er|re|[èe]me|i[èe]me)[ \t]+(?i:rang|avenue|av\.|rue|"
    rf"concession|range?))(?![\w-])"
    # A rural route: "1234 Rural Route 2", "88 RR 3", "450 R.R. #1".
    rf"|(?P<rural>(?:(?i:rural[ \t]+route|sideroad|concession(?:[ \t]+road)?|township[ \t]+road)"
    rf"|R\.?R\.?)[ \t]*#?[ \t]*\d{{1,3}})(?![\w-])"
    rf"|(?P<ftype>(?i:{_FRENCH_TYPE}))[ \t]+{_PARTICLE}?(?P<fname>{_NAME_WORD}"
    rf"(?:[ \t]+{_PARTICLE}?{_CAPITAL_WORD}){{0,3}})"
    # English order: the name, then its type ("17 Maple Street", "1500 Ridgewood Ave.").
    rf"|(?P<ename>(?:[A-ZÀ-Þ][\w'’-]+|\d{{1,3}}(?:e|re|er|st|nd|rd|th)|(?P<lower>[a-z][a-z'’-]+))"
    rf"(?:[ \t]+[A-ZÀ-Þ][\w'’-]+){{0,2}})[ \t]+"
    rf"(?P<etype>(?i:{_ENGLISH_TYPE}))(?![\w-])"
    # With no type, a street is known by its direction or the apartment after it ("1234
    # Sherbrooke Est, app. 5", "4520 Saint-Denis app 3"), or by a home named just before.
    rf"|(?P<uname>{_PARTICLE}?[A-ZÀ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-Þ][\w'’-]+){{0,2}}))"
    rf"{_DIRECTION}{_APARTMENT}"
)

_BOULEVARD = re.compile(r"(?i:boul\.?|bd|blvd\.?)")

_DIRECTIONS = frozenset(
    ["est", "ouest", "nord", "sud", "east", "west", "north", "south", "e.", "o.", "n.", "s.", "w."]
)

_COUNT_BEFORE = re.compile(r"\b(?i:les|des|ces|nos|vos|leurs|these|those)[ \t]+$")

_PARTICLE_GAP = re.compile(r"(?i:\bde\b|\bdu\b|\bdes\b|\bd['’])")

# A room, a bed or a floor before the number: "chambre 12 Pavillon Sud" is no street.
_ROOM_BEFORE = re.compile(
    r"\b(?i:chambres?|ch\.?|lits?|beds?|rooms?|rm|salles?|local|locaux|unit[ée]s?|units?|postes?|"
    r"portes?|doors?|civi[èe]res?|box|cubicules?|aile|wing|[ée]tages?|floors?|niveau|level)"
    r"[ \t#:.]*$"
)

# Words that say where someone lives or moves. "Reste" and "vit" only with the place after
# them: "il reste 2 Advil" counts what is left.
_HOME_RIGHT_BEFORE = re.compile(
    r"(?:\b(?i:habit\w*|demeur\w*|r[ée]sid\w*|lives?|living|lived|adresse|address|domicile)"
    r"[ \t]*(?i:au|à|a|at|on|:|=|est|is)?|\b(?i:reste|vit|restait|vivait)[ \t]+(?i:au|à|a)"
    # Where someone moves from or to: "déménagé du 410 Notre-Dame", "moved to 8 Bishop".
    r"|\b(?i:d[ée]m[ée]nag\w*|moved|moving|moves)[ \t]+(?i:du|de|au|à|a|dans|to|from|into)"
    # The other end of a home just removed: "[ADRESSE] to 18 Mackay", "[ADRESSE] ou au 5 Ash".
    r"|\[ADRESSE\][ \t]*,?[ \t]*(?i:to|au|à|a|ou|or|vers|au\s+lieu\s+du|instead\s+of)"
    r"(?:[ \t]+(?i:au|du|at))?)"
    r"[ \t]*$"
)

# Canada Post never uses D, F, I, O, Q or U, nor W or Z first.
_POSTAL_CODE = _Lazy(
    r"(?<![\w-])(?:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d"
    r"|[abceghj-nprstvxy]\d[abceghj-nprstv-z][ -]\d[abceghj-nprstv-z]\d)(?![\w-])"
)

# Cheap tests that let most texts skip the patterns above.
_STREET_HINT = re.compile(
    rf"\d(?:-?[A-Da-d])?,?[ \t]+(?:(?i:de\s+la\s+|du\s+|de\s+l['’])?(?i:{_FRENCH_TYPE})[ \t]"
    r"|[A-ZÀ-Þ]|\d{1,3}(?i:e|re|er|[èe]me|i[èe]me|st|nd|rd|th)[ \t]"
    r"|(?:de\s+la|du|des|de)\s+[A-ZÀ-Þ]"
    r"|[a-z][a-z'’-]+[ \t]+(?i:street|st|road|rd|avenue|ave|drive|dr|lane|ln|boulevard|blvd|"
    r"crescent|court|place|way)\b)"
)
_POSTAL_HINT = re.compile(r"[A-Za-z]\d[A-Za-z][ -]?\d")

# Places of care and of work, whose address a colleague gives.
_INSTITUTION = (
    r"\b(?i:h[ôo]pital|hospital|caf[ée]t[ée]ria|cafeteria|auditorium|amphith[ée][âa]tre|"
    r"biblioth[èe]que|library|garage|gu[ée]rite|clsc|chsld|chu|cusm|chum|cisss|ciusss|pavillon|pavilion|"
    r"clinique|clinic|centre|center|entrep[ôo]t|warehouse|bureau|office|site|si[èe]ge|"
    r"point\s+de\s+service|pharmacie|pharmacy|stationnement|parking|salle|local|formations?|"
    r"training|gmf|labo(?:ratoire)?|lab|[ée]cole|school|refuge|shelter|desk|quai|dock|"
    r"urgence|unit[ée]|direction|dsn|dsi|d[ée]p[ôo]t|magasin|[ée]difice|building|campus|"
    r"our|notre|nos|institut|institute|cssss?|ressource\s+interm[ée]diaire|ri|rpa|"
    r"soutien|support|commandement|command)(?![\w-])"
)

_HOME = (
    r"\b(?i:habit\w*|demeur\w*|vit|vivent|vivait|r[ée]sid(?:e|ent|ait|ant)|reste|restait|"
    r"lives?|living|lived|adresse|address|domicile|home|maison|"
    r"chez|postal|postale|envoi|lettre|letter|mail|courrier|convocation)(?![\w-])"
)

_OWNER_BEFORE = _Lazy(rf"(?P<home>{_HOME}|{_PATIENT_OWNER})|(?P<place>{_INSTITUTION})")

# A room or an office after the address is a building's: "2025 rue Laviolette, salle 1".
_ROOM_AFTER = re.compile(
    r"[ \t]*[,(—–-]?[ \t]*(?i:salle|local|bureau|suite|dock|quai|porte|door|entr[ée]e|"
    r"pavillon|aile|wing|room)\b"
)

_FLOOR_BEFORE = re.compile(
    r"\b(?i:[ée]tages?|floors?)[ \t]+(?i:du|de\s+l['’]|of\s+the|of|at)?[ \t]*$"
)

_FLOOR_AFTER = re.compile(
    r"[ \t]*[,(—–-]?[ \t]*(?:\d{1,2}(?i:e|er|re|[èe]me|st|nd|rd|th)[ \t]+(?i:[ée]tage|floor)"
    r"|(?i:[ée]tage|floor)[ \t]+\d{1,2})\b"
)

# The place named in parentheses after the address: "450 route 116 (entrepôt régional)".
_PLACE_AFTER = _Lazy(rf"[ \t]*\([ \t]*(?:(?i:l['’]|le|la|notre|our|the)[ \t]*)?{_INSTITUTION}")

# A full stop after an abbreviation ("boul.", "app.", "M.") ends no clause.
_ABBREVIATIONS = "boul av ave ch st ste rd dr app apt no n m mme inf ext bd blvd pl cres"
_CLAUSE_BREAK = re.compile(
    r"[!?;](?:\s|$)|\n|"
    + "".join(rf"(?<!\b{word})(?<!\b{word.capitalize()})" for word in _ABBREVIATIONS.split())
    + r"\.\s"
)


def redact_addresses(text: str) -> str:
    """The text with patients' and relatives' addresses and postal codes as placeholders."""
    kept: list[tuple[int, int]] = []
    if _STREET_HINT.search(text):
        civics: set[str] = set()
        text = _ADDRESS.sub(lambda m: _replace_address(m, kept, civics), text)
        if civics:
            # Once more, where a home just removed names the next one as its other end.
            text = _ADDRESS.sub(lambda m: _replace_address(m, kept, civics), text)
            text = _redact_address_again(text, civics)
    if _DWELLING_HINT.search(text):
        text = _DWELLING_NUMBER.sub(lambda m: m["lead"] + ADDRESS, text)
    if _POSTAL_HINT.search(text):
        text = _POSTAL_CODE.sub(_replace_postal_code, text)
        text = _GLUED_LOWER_POSTAL_CODE.sub(_replace_glued_postal_code, text)
    if ADDRESS in text:
        text = _APARTMENT_AFTER_TOWN.sub(lambda m: m["lead"] + ADDRESS, text)
        text = _APARTMENT_BEFORE.sub(ADDRESS, text)
    return text


# A house's number alone after a verb of dwelling, its street said before or left out: "Elle
# habite au 155", "he lives at 42". "Reste au 12" is a patient staying in room 12, and an
# ordinal ("habite au 3e") is a floor.
_DWELLING_HINT = re.compile(r"(?i:habit|demeur|r[ée]sid|lives|living)")
_DWELLING_NUMBER = re.compile(
    r"(?P<lead>\b(?i:habitent|habite|habitait|demeure|demeurent|demeurait|r[ée]side|"
    r"r[ée]sident|r[ée]sidait|lives|lived|living|resides|resided)[ \t]+"
    r"(?i:au|aux|at|au\s+num[ée]ro|at\s+number|at\s+no\.?)[ \t]+#?[ \t]*)"
    r"\d{1,5}(?:-?[A-Da-d])?(?![\w/-]|[.,]\d)"
    # A unit's wing or a floor after it is a place of care: "lives at 5 East".
    r"(?![ \t]*(?i:nord|sud|est|ouest|north|south|east|west|[ée]tage|floor)\b)"
)


# The apartment written first, as English does: "Apt 4, 22 Elm St." is one home's.
_APARTMENT_BEFORE = re.compile(
    r"(?<![\w-])(?i:app(?:artement)?|appt|apt|apartment|unit|suite|logement|log)\.?[ \t]*#?[ \t]*"
    r"\d{1,5}[A-Za-z]?[ \t]*[,–—-]?[ \t]*\[ADRESSE\]"
)


# The apartment written after the town: "[ADRESSE], Montréal, apt 5" is the same home's.
_APARTMENT_AFTER_TOWN = re.compile(
    r"(?P<lead>\[ADRESSE\],?[ \t]+[A-ZÀ-Þ][\w'’-]+(?:[ \t-][A-ZÀ-Þ][\w'’-]+){0,2},?[ \t]*)"
    r"(?i:app(?:artement)?|appt|apt|apartment|logement|log)\.?[ \t]*\d{1,5}[A-Za-z]?(?![\w-])"
)


def _replace_address(match: re.Match, kept: list[tuple[int, int]], civics: set[str]) -> str:
    """The placeholder for a home's address (its civic number noted in ``civics``), or the
    match itself."""
    replaced = _address_or_kept(match, kept)
    if replaced == ADDRESS:
        civics.add(match["civic"])
    return replaced


# The same home written again, shorter: its civic number and the first words of a street with
# no type ("4520 rue Saint-Denis app 3 ... 4520 St-Denis"), its direction and apartment.
_STREET_AGAIN = rf"(?P<street>{_PARTICLE}?{_CAPITAL_WORD}(?:[ \t]+[A-ZÀ-Þ][\w'’-]+){{0,2}})"


def _redact_address_again(text: str, civics: set[str]) -> str:
    """The text with a home's civic number, quoted again before a street's name, removed too:
    a reader takes it for the same address whatever form the street's name takes."""
    numbers = "|".join(re.escape(civic) for civic in sorted(civics, key=len, reverse=True))
    again = re.compile(
        rf"(?<![\w.,/-])(?P<number>{numbers}|\d{{3,5}}(?![\w-])),?[ \t]+"
        + _STREET_AGAIN
        + rf"{_DIRECTION}{_APARTMENT}"
    )

    def replace(match: re.Match) -> str:
        first = _key(re.search(r"[A-ZÀ-Þ][\w'’-]*", match["street"]).group().strip("'’-"))
        if first in _DIRECTIONS or _month(first) or _flags(first) & (_CUE | _COMMON):
            return match.group()  # "le 4520 Nord", "du 12 Mars": no street
        if match["number"] not in civics and not _civic_reordered(match["number"], civics):
            return match.group()
        return ADDRESS

    text = again.sub(replace, text)
    return _BARE_CIVIC.sub(lambda m: _replace_bare_civic(m, civics), text)


# A civic number alone after an article or "#", as a record gives the house's number without
# its street ("le CLSC avait le 4512", "the chart says #88").
_BARE_CIVIC = re.compile(
    r"(?P<lead>\b(?i:le|au|du|the|at|no\.?|num[ée]ro|number)[ \t]+|\#[ \t]*)"
    r"(?P<number>\d{3,5})(?![\w/-]|[.,]\d|[ \t]*(?:%|\$|(?i:patients?|pts|personnes|people|"
    r"fois|times|ans|years|mg|mcg|ml|g|kg|h|min|km|lits|beds|dossiers|charts)\b))"
)


def _replace_bare_civic(match: re.Match, civics: set[str]) -> str:
    """The placeholder for a number alone that is a home's civic number just removed, or the
    same digits in another order: the house's number as another record has it."""
    if _civic_reordered(match["number"], civics):
        return match["lead"] + ADDRESS
    return match.group()


def _civic_reordered(number: str, civics: set[str]) -> bool:
    """Whether a number of three digits or more is a civic number removed, its digits in the
    same or another order (two swapped, as one mistypes a house's number)."""
    for civic in civics:
        digits = re.sub(r"\D", "", civic)
        if len(digits) >= 3 and sorted(digits) == sorted(number):
            return True
    return False


def _address_or_kept(match: re.Match, kept: list[tuple[int, int]]) -> str:
    if _COUNT_BEFORE.search(match.string, max(0, match.start() - 8), match.start()):
        return match.group()  # "les 3 rue Principale de la région": a count, not a number
    name = match["fname"] or match["ename"] or ""
    if match["lower"] and not _HOME_RIGHT_BEFORE.search(
        match.string, max(0, match.start() - 30), match.start()
    ):
        return match.group()  # "2 good drive sessions"; but "Home address: 12 elm street"
    if (
        match["ordinal"]
        and match["ordinal"].split()[-1].islower()
        and match.end() == match.end("ordinal")
        and not _HOME_RIGHT_BEFORE.search(match.string, max(0, match.start() - 30), match.start())
        and _owner_before(match.string, match.start()) != "home"
    ):
        return match.group()  # "12 3e rang de patients": a count and a row, unless a home's
    # "rue des rables", "chemin du lac-noir": a particle after the type says a name follows,
    # whatever its case; "3 rue barrée" names no street.
    named = match["fname"] and match.start("fname") > match.end("ftype") + 1
    if (
        match["fname"]
        and not named
        and not _street_name(name)
        and not match["apartment"]
        and not _BOULEVARD.fullmatch(match["ftype"])
        and not _HOME_RIGHT_BEFORE.search(match.string, max(0, match.start() - 30), match.start())
        and _owner_before(match.string, match.start()) != "home"
    ):
        # An apartment after it says a home: "14 rue principale, app 3"; so does a home's word
        # before it in the clause ("habite au 8 rue bouleau"), and a boulevard's abbreviation,
        # which no other phrase uses, names a street whatever word follows ("1204 boul. laurier").
        return match.group()
    if match["ftype"] and match["ftype"].lower().startswith("ch") and name[:1].isdigit():
        return match.group()  # "2 ch. 305": rooms, not a road
    if match["uname"] and not _untyped_street(match):
        return match.group()
    if not match["apartment"] and _institution(match):
        return match.group()
    return ADDRESS


def _untyped_street(match: re.Match) -> bool:
    """Whether words after a civic number name a street though no type says so."""
    words = match["uname"].split()
    text = match.string
    first = _key(words[0].strip("'’"))
    # "de la Montagne" names a street though "montagne" is a word; "Pavillon Sud" does not.
    particle = _PARTICLE_GAP.search(text, match.end("civic"), match.start("uname") + 1)
    # A home's words right before make a street of any word ("habite au 12 Wellington"), and
    # so does a hyphenated proper name ("Côte-des-Neiges"), which no dictionary word is, or an
    # apartment named by its word ("7720 Papineau, app 12"), or by "#" after a home's word in
    # the clause ("Adresse du fils : 7720 Papineau #12").
    apartment = match["apartment"] or ""
    housed = (
        _HOME_RIGHT_BEFORE.search(text, max(0, match.start() - 30), match.start())
        or _proper_compound(match["uname"])
        or apartment
        and ("#" not in apartment or _owner_before(text, match.start()) == "home")
    )
    if (
        first in _DIRECTIONS
        or _month(first)
        or _flags(first) & _CUE
        or _flags(first) & _ORDINARY
        and not particle
        and not housed
        or _ROOM_BEFORE.search(text, max(0, match.start() - 20), match.start())
    ):
        return False  # "au 4 Nord", "le 15 Mars Est", "chambre 12 Pavillon Sud"
    if match["apartment"] or _key(words[-1]) in _DIRECTIONS:
        return True
    return bool(_HOME_RIGHT_BEFORE.search(text, max(0, match.start() - 30), match.start()))


# A hyphenated name whose every part is capitalised, or a particle: "Côte-des-Neiges",
# "Jean-Talon", "St-Denis". Words are not written so; a place or a person's name is.
_PROPER_COMPOUND = re.compile(
    r"[A-ZÀ-Þ][\w'’]*(?:-(?:(?:de|du|des|la|le|les|d['’]|l['’]|aux?|sur|en)-)*"
    r"[A-ZÀ-Þ][\w'’]*)+"
)


def _proper_compound(name: str) -> bool:
    """Whether the first word of a name is a hyphenated proper name."""
    first = name.split()[0]
    return bool(_PROPER_COMPOUND.fullmatch(first))


def _street_name(name: str) -> bool:
    """Whether the words after a street type name a street: one capitalised, a number, or a
    word no dictionary knows."""
    for word in re.findall(r"[\w.-]+", name):
        if word[0].isupper() or word[0].isdigit():
            return True
        key = _key(word.strip(".'’-"))
        if not _flags(key) & (_ORDINARY | _COMMON) and not _NOT_A_NAME_ENDING.match(key):
            return True  # "rue jolicoeur", not "rue barrées"
    return False


def _institution(match: re.Match) -> bool:
    """Whether the nearest cue before the address, in its clause, is a place of care or of
    work, or a room or a place of work follows it."""
    text, start = match.string, match.start()
    if _ROOM_AFTER.match(text, match.end()) or _PLACE_AFTER.match(text, match.end()):
        return True
    owner = _owner_before(text, start)
    floor = _FLOOR_BEFORE.search(text, max(0, start - 24), start) or _FLOOR_AFTER.match(
        text, match.end()
    )
    if floor and owner is None:
        return True  # a building's floor, no home said: "au 3e étage du 1560 Sherbrooke Est"
    return owner == "place"


def _owner_before(text: str, start: int) -> str | None:
    begin = max(0, start - 90)
    for cut in _CLAUSE_BREAK.finditer(text, begin, start):
        begin = cut.end()
    cues = list(_OWNER_BEFORE.finditer(text, begin, start))
    if not cues:
        return None
    last = cues[-1]
    if last.lastgroup == "place" and _ADDRESS_KEPT_IN.search(text, begin, last.start()):
        return "home"  # "l'adresse au DSN dit encore …": the record that keeps a home's address
    return last.lastgroup


# An address noun right before the system or the place that records it: the address is what
# the record says of someone, not the place's own ("the address in DSN still says", "l'adresse
# au dossier du CLSC"); "the address of the clinic" is the clinic's.
_ADDRESS_KEPT_IN = re.compile(
    r"\b(?i:adresses?|address(?:es)?)[ \t]+"
    # Whose it is may come between: "l'adresse de la patiente dans le DSN".
    rf"(?:(?i:du|de\s+la|de\s+l['’]|of\s+the|of)[ \t]*(?:{_PATIENT_OWNER})[ \t]+)?"
    r"(?i:in|dans|au)[ \t]+"
    r"(?:(?i:the|le|la|l['’])[ \t]*)?(?:(?i:dossier|chart|file|fiche|system|"
    r"syst[èe]me)[ \t]+(?i:du|de|de\s+la|of|of\s+the|in|in\s+the)?[ \t]*)?$"
)


def _replace_postal_code(match: re.Match) -> str:
    text, start = match.string, match.start()
    # Right after an address just removed, it is the same home's.
    if ADDRESS in text[max(0, start - 60) : start]:
        return ADDRESS
    if _owner_before(text, start) == "place":
        return match.group()
    return ADDRESS


# In lower case and glued ("h3c1k3") the shape alone is too weak; a postal code or an address
# named just before it makes it one.
_GLUED_LOWER_POSTAL_CODE = _Lazy(
    r"(?<![\w-])[abceghj-nprstvxy]\d[abceghj-nprstv-z]\d[abceghj-nprstv-z]\d(?![\w-])"
)

_POSTAL_CUE_BEFORE = re.compile(
    r"\b(?i:code\s+postal|postal\s+code|postal|adresse|address|domicile)[^.!?\n\d]{0,50}$"
)


def _replace_glued_postal_code(match: re.Match) -> str:
    text, start = match.string, match.start()
    if not _POSTAL_CUE_BEFORE.search(text, max(0, start - 70), start):
        return match.group()
    return _replace_postal_code(match)
