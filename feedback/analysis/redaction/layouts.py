"""Names set out as records rather than sentences: "LAST, First" pairs of a census or a
wristband, items of a list under a header ("Patients : ...", "Formateurs : ...").
"""

import re

from feedback.analysis.redaction.patient_context import (
    _CARE_LIST_HEADER,
    _PATIENT_HEADER,
    _PATIENT_NOUN_BEFORE,
)
from feedback.analysis.redaction.runs import (
    _LAYOUT_CLOSING,
    _LAYOUT_OPENING,
    _PARTICLE_WORD,
    _Run,
)
from feedback.analysis.redaction.staff_context import _STAFF_HEADER, _staff_after
from feedback.analysis.redaction.vocabulary import (
    _DEFAULT,
    _MERGED,
    _PATIENT_CLASS,
    _ROLE,
    _SENTENCE_END,
    _STAFF,
    _TITLE_ABBREVIATION,
    PLACEHOLDER,
    _Lazy,
    word_list,
)
from feedback.analysis.redaction.words import (
    _COMMON,
    _CUE,
    _GIVEN,
    _ORDINARY,
    _PLACE,
    _SURNAME,
    _UNKNOWN,
    _flags,
    _key,
    _name_shaped,
    _product_shaped,
    _Word,
)

_LAST_FIRST_LOWER = re.compile(
    r"[ \t]*,[ \t]*(?P<first>[a-zà-öø-ÿ]\.(?:[ \t]?-?[ \t]?[a-zà-öø-ÿ]\.)*)(?![^\W\d_])(?!\s*ex\b)"
)

_BED_BEFORE = re.compile(
    r"(?:^|[\s/;|—–-])\d{1,4}(?:-?[A-Za-z])?[ \t:—–-]+$"
    r"|(?:^|[\s/;|,(—–-])\d{1,2}(?::\d{2}|h\d{0,2})[ \t]+$"
)

_BED_AFTER = re.compile(
    r"[ \t]*[,(/;—–-]?[ \t]*(?:(?i:lit|bed|ch|chambre|room|rm|civi[èe]re|stretcher)\b|\d)"
)

# An initial after a surname, with its full stop or alone before an entry's end: "ROY J / …".
_INITIAL_AFTER = re.compile(
    r"[ \t]+(?P<first>[^\W\d_]\.(?:-?[^\W\d_]\.)?|[A-ZÀ-Þ](?=[ \t]*(?:[/;|\n]|$)))(?![^\W\d_])"
)

_CENSUS_FIRST = re.compile(
    r"[ \t]*,[ \t]*(?P<first>[^\W\d_]{3,}(?:-[^\W\d_]+)?)(?=[ \t]*(?:[/;|(\n—–]|$))"
)

_LAST_FIRST = re.compile(
    r"[ \t]*,[ \t]*(?P<first>\?|[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]?\."
    r"(?:[ \t]?-?[ \t]?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]?\.)*)"
)

# A sign-off: a dash after a sentence's stop, then the name that ends the note (maybe with the
# writer's role or unit after a comma), is who writes, not an entry of a list.
_SIGN_OFF_DASH = re.compile(r"[.!?)][ \t]*[-–—~][ \t]*$")
_SIGN_OFF_END = re.compile(r"[ \t]*(?:,[^.!?\n]{0,40})?[.!]?[ \t]*$")

_ITEM_START = re.compile(r"(?:[:;,(\n]|\d\s*[-–—.)]|[-–—•*])[\s«\"'“]*$")


def _header(text: str, start: int) -> str:
    """The words before a colon that opens the list holding text[start], if any."""
    colon = text.rfind(":", max(0, start - 200), start)
    paren = text.rfind("(", max(0, start - 120), start)
    if paren > colon and ")" not in text[paren:start]:
        # "3 admissions (pinard, lacroix, dostie)": the words before the parenthesis.
        if _SENTENCE_END.search(text, paren, start):
            return ""
        opening = max(colon + 1, paren - 120)
        for end in _SENTENCE_END.finditer(text, opening, paren):
            opening = end.end()
        return text[opening:paren]
    if colon < 0:
        return ""
    between = text[colon + 1 : start]
    if _SENTENCE_END.search(between) and not re.search(r"[;—–-]", between):
        return ""
    opening = max(0, colon - 160)  # a bounded look back: long texts stay linear
    for end in _SENTENCE_END.finditer(text, max(0, colon - 120), colon):
        if not _TITLE_ABBREVIATION.search(text, max(0, end.start() - 4), end.start()):
            opening = end.end()
    return text[opening:colon]


def _name_list(text: str, runs: list[_Run]) -> None:
    """In a list of "LAST, First" entries (a census, a schedule), every entry is a patient's,
    even when no list knows the names ("Okonkwo, Adaeze – plaie; Zaretsky, Boris – chute")."""
    entries, resolved = [], 0
    for index, run in enumerate(runs[:-1]):
        following = runs[index + 1]
        if run.kind == _PATIENT_CLASS and following.kind == _PATIENT_CLASS:
            resolved += _ITEM_OPENING.search(text, max(0, run.start - 20), run.start) is not None
            continue
        if (
            run.kind in (_STAFF, _PATIENT_CLASS)
            or following.kind == _STAFF
            or run.title
            or len(run.words) > 2
            or len(following.words) > 2
            or not _ENTRY_GAP.fullmatch(text, run.end, following.start)
            or not _ITEM_OPENING.search(text, max(0, run.start - 20), run.start)
            or not _ITEM_CLOSING.match(text, following.end)
        ):
            continue
        last, first = run.words[-1], following.words[0]
        if not (last.capital and first.capital) or (last.flags | first.flags) & _COMMON:
            continue
        # Names, or words no dictionary knows; "Cons: Cost, Training" is no entry.
        if any(w.listed or not w.flags & _ORDINARY for w in (last, first)):
            entries.append((run, following))
    if not entries:
        return
    # Entries with an initial ("Nguyen, T.") count too.
    initials = sum(
        1
        for run in runs
        if _LAST_FIRST.match(text, run.end)
        and _ITEM_OPENING.search(text, max(0, run.start - 20), run.start)
    )
    if len(entries) + initials + resolved == 1:
        run = entries[0][0]
        placed = _BED_BEFORE.search(text, max(0, run.start - 12), run.start)
        header = _header(text, run.start)
        if not (placed or header and _PATIENT_HEADER.search(header)):
            return
    if _staff_list(text, entries[0][0].start) or _VENDOR_END.search(
        _header(text, entries[0][0].start)
    ):
        return
    for run, following in entries:
        following.kind = _PATIENT_CLASS
        following.words = run.words + following.words
        run.kind = _MERGED
    runs[:] = [run for run in runs if run.kind != _MERGED]


_ITEM_OPENING = re.compile(
    r"(?:^|[\n;/|•*:(]|\b\d{1,2}(?::\d{2}|h\d{0,2})|[-–—])[ \t]*(?:[-–—•*][ \t]*)?[«\"“'‘]?[ \t]*$"
)

_ITEM_CLOSING = re.compile(
    r"[ \t]*(?:[(;/|\n—–»\"”'’]|-\s|\.(?:\s|$)|$|,[ \t]*(?:\d|(?i:mrn|dob|ddn|dossier|ch|lit|bed|"
    r"room)\b)|\d{1,2}(?::\d\d|h\d{0,2})\b"
    # A middle initial before the entry's end: "Doe, Jane B;".
    r"|[A-ZÀ-Þ]\.?[ \t]*(?:[(;/|\n—–]|$))"
)

# "Ng, Wai Ling": a first name may open on a word that the run left out.
_ENTRY_GAP = re.compile(r"[ \t]*,[ \t]*(?:[A-ZÀ-Þ][a-zà-ÿ]+[ \t]+)?")


_PLACED_AFTER = re.compile(r"[ \t,]*\(?[ \t]*(?i:(?:ch|lit|bed|room|rm)\.?[ \t]*)?#?\d")

_NAME_FIELD = re.compile(r"\b(?i:noms?|names?|pr[ée]noms?|identit[ée]|id)\b")


def _items_header(text: str, start: int) -> bool:
    """Whether a list is headed by words that name neither patients nor a name's field."""
    header = PLACEHOLDER.sub(" ", _header(text, start))
    # A unit, a room or an hour in the header is a census's: "5 Est : Mc Duff, Archibald".
    return bool(header.strip()) and not (
        _PATIENT_HEADER.search(header)
        or _NAME_FIELD.search(header)
        or any(c.isdigit() for c in header)
    )


def _capitals_pair(head: _Word, first: _Word) -> bool:
    """A listed surname and a word in capitals after its comma, inside a text in lower case:
    the "LAST, FIRST" of a label, a wristband or a chart quoted as printed ("label said
    NOWAK, KAROL"), whatever list misses the first name. Acronyms are too short or listed."""
    return bool(
        head.upper
        and first.upper
        and head.flags & _SURNAME
        and not head.flags & (_COMMON | _CUE)
        and len(head.raw) > 2
        and len(first.raw) > 3
        and not first.flags & (_COMMON | _CUE | _PLACE)
        and any(c in "AEIOUYÀÂÉÈÊËÎÏÔÛÜ" for c in first.raw)
    )


def _last_first(text: str, runs: list[_Run]) -> None:
    """ "LAST, First" as in a census, a chart header or a wristband makes one patient's name.

    A surname (listed, in capitals, or a word no dictionary knows) and a first name (listed, or
    name-shaped) make the pair; set apart as an item of a list or a field (between separators,
    in quotes, after a bed number), the pair needs no list to know either name, and the
    particles it opens on belong to it ("de la Chevrotière, Anne-Marie ;").
    """
    for index, run in enumerate(runs):
        named = [w for w in run.words if not _PARTICLE_WORD.fullmatch(w.raw)]
        if run.kind in (_STAFF, _MERGED) or run.title or len(named) > 2:
            continue  # "VAN DER MEER, Johannes": particles are no more words of a surname
        head = run.words[-1]
        lower = not head.capital and head.flags & (_SURNAME | _UNKNOWN)
        surname = (
            head.upper
            or head.capital
            and (
                head.flags & _SURNAME
                # A surname that is also a word, not a first name in a row: "Hope, Daniel".
                or not head.flags & _GIVEN
                and _key(head.raw) in word_list("ambiguous_lower")
            )
            or lower
        )
        # A capitalised word no list knows, before an initial: "Boulerice, Th."
        unknown = head.capital and not head.flags & (_ORDINARY | _GIVEN) and len(head.raw) > 2
        # In a census line, after a bed number, any capitalised word before a first name.
        census = (
            head.capital
            and not head.flags & _GIVEN
            and _BED_BEFORE.search(text, max(0, run.start - 12), run.start)
        )
        following = runs[index + 1] if index + 1 < len(runs) else None
        gap_ok = following and re.fullmatch(r"[ \t]*,[ \t]*", text[run.end : following.start])
        first = following.words[0] if gap_ok else None
        layout = None
        if first is not None and len(following.words) <= 3:
            layout = _LAYOUT_OPENING.search(text, max(0, run.start - 30), run.start)
            if layout and not _LAYOUT_CLOSING.match(text, following.end):
                layout = None
        # The particles a surname opens on, before the run or as its first word ("Mc Duff").
        particles = (
            layout is not None
            and head.capital
            and (
                layout["particles"]
                or len(run.words) > 1
                and _PARTICLE_WORD.fullmatch(run.words[0].raw)
            )
        )
        if not (surname or unknown or census or layout and _name_shaped(head) or particles):
            continue
        if layout and head.flags & _GIVEN and not head.flags & _SURNAME and not head.upper:
            layout = None  # first names in a row: "Nadia, Julie, Marc : merci"
        if _INITIAL_BEFORE.search(text, max(0, run.start - 8), run.start):
            continue  # "L. Nguyen, R. Patel": an initial opens each name
        initials = (_LAST_FIRST_LOWER if lower else _LAST_FIRST).match(text, run.end)
        if not initials and surname and _BED_BEFORE.search(text, max(0, run.start - 12), run.start):
            initials = _INITIAL_AFTER.match(text, run.end)  # "201 vachon g. / 202 lussier m."
        if not initials and head.upper and len(run.words) == 1 and first is None:
            # A surname in capitals and an initial, then a bed or as a field of a list:
            # "MARCOTTE J. lit 7", "- OUELLET M. / ch. 4".
            initial = _INITIAL_AFTER.match(text, run.end)
            if (
                initial
                and len(head.raw) > 2
                and (head.flags & _SURNAME or head.flags & _UNKNOWN and not head.flags & _ORDINARY)
                and (
                    _BED_AFTER.match(text, initial.end())
                    or _LAYOUT_OPENING.search(text, max(0, run.start - 30), run.start)
                )
            ):
                initials = initial
        if (
            first is not None
            and first.flags & _PLACE
            and not first.flags & _GIVEN
            and len(following.words) == 1
        ):
            continue  # a site and its region, no "LAST, First": "(CHDL, Lanaudière)"
        same_case = first is not None and (first.capital if not lower else not first.capital)
        listed_first = (surname or census) and first is not None and first.flags & _GIVEN
        if not listed_first and unknown and first is not None and len(head.raw) > 3:
            # A word no dictionary knows, then a first name that is nothing else: only a
            # surname stands so before a first name ("Wojcik, Halina"), whatever list misses it.
            listed_first = bool(
                first.flags & _GIVEN
                and not first.flags & (_COMMON | _ORDINARY)
                and len(following.words) == 1
            )
        if not listed_first and first is not None and len(following.words) == 1:
            listed_first = _capitals_pair(head, first)
        # Set apart as a field, any first name shaped like one: "« Abou-Samra, Rima »",
        # "KWAN, Bo-Young ⚠️", "303 GAUDREAU, Rhéa".
        shaped_first = (
            layout
            and first is not None
            and not first.flags & _COMMON
            and (_name_shaped(first) or head.upper or head.flags & _SURNAME or lower or particles)
        )
        if (
            shaped_first
            and not listed_first
            and not (head.listed or first.listed or head.upper)
            and _items_header(text, run.start)
            and not _PLACED_AFTER.match(text, following.end)
        ):
            continue  # words no list knows under a header of things: "Rupture : Dilaudid, Ativan"
        if (
            (listed_first or shaped_first)
            and same_case
            and following.kind != _STAFF
            and not (initials and len(first.raw) < 3)
        ):
            if _staff_list(text, run.start) or _staff_after(_after_field(text, following.end)):
                run.kind = following.kind = _STAFF
                continue
            if _VENDOR_END.search(_header(text, run.start)):
                continue  # makers, not a "LAST, First": "commandés auprès de : Brady, Coloplast"
            following.kind = _PATIENT_CLASS
            words = run.words + following.words  # one placeholder for the whole
            if layout and layout["particles"]:
                particles = layout["particles"].rstrip()
                start = layout.start("particles")
                words.insert(0, _Word(start, start + len(particles), particles))
            following.words = words
            run.kind = _MERGED
            continue
        given = None if initials or not surname else _CENSUS_FIRST.match(text, run.end)
        if given:
            # "wong, kelvin / mrn ...": a first name no list knows, closed by a field separator.
            flags = _flags(_key(given["first"]))
            if flags & _COMMON or (
                flags & _ORDINARY
                and run.kind != _PATIENT_CLASS
                and not (lower and _opens_a_field(text, run))
            ):
                continue
            initials = given
        if initials:
            if _staff_list(text, run.start) or _staff_after(_after_field(text, initials.end())):
                run.kind = _STAFF  # "PELLETIER, G. (chef de service)"
                continue
            run.kind = _PATIENT_CLASS
            run.words = run.words + [_Word(initials.start("first"), initials.end("first"), "X")]
    runs[:] = [run for run in runs if run.kind != _MERGED]


def _after_field(text: str, end: int) -> str:
    """What follows a name, past the quotes that close its field: "« Roy, Julie » (pilote)"."""
    closing = _CLOSING_QUOTES.match(text, end)
    return text[closing.end() : closing.end() + 90] if closing else text[end : end + 90]


_CLOSING_QUOTES = re.compile(r"[ \t]*[»\"”’'][ \t]*(?=[(,—–-])")

_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)?[ \t]*$")


def _opens_a_field(text: str, run: _Run) -> bool:
    """Whether a lower-case surname opens a field: "admission: tshimanga, grâce / 3e"."""
    return bool(_LAYOUT_OPENING.search(text, max(0, run.start - 30), run.start))


# A header that ends on the agent of the work: "vérifiées par :", "seen by:".
_AGENT_END = re.compile(r"\b(?i:par|by|avec|with)[ \t]*$")


# A header that ends on where things come from lists makers: "Bracelets commandés chez :".
_VENDOR_END = re.compile(
    r"\b(?i:chez|aupr[èe]s\s+de|(?:ordered|bought|purchased)\s+from|fournisseurs?|suppliers?|"
    r"vendors?|marques?|brands?|fabricants?|manufacturers?)[ \t]*$"
)


_ITEM_SEPARATOR = re.compile(r"[,;\n/|•*]")
_LOWER_WORD = re.compile(r"\b[a-zà-ÿ][a-zà-ÿ'’]+\b")
_ANY_WORD = re.compile(r"\b[^\W\d_][\w'’-]*")


def _clause_after_colon(between: str) -> bool:
    """Three words, two of them in lower case, and no separator of items: a clause, not the head
    of a list. A product's or a test's name counts as a word of it: "Pharm note: verified
    Eliquis for PATEL, Rajesh"."""
    return (
        not _ITEM_SEPARATOR.search(between)
        and len(_LOWER_WORD.findall(between)) >= 2
        and len(_ANY_WORD.findall(between)) >= 3
    )


def _staff_list(text: str, start: int) -> bool:
    """Whether a name stands in a list of staff ("Horaire des formateurs : Gagnon, Isabelle")."""
    header = _header(text, start)
    if header and _PATIENT_NOUN_BEFORE.search(text, max(0, start - 40), start):
        # The writer named the patient right there, whoever signs the header: "Physio: could
        # someone unlock the chart of pt Novak, Ivo".
        return False
    if header and _clause_after_colon(text[text.rfind(":", 0, start) + 1 : start]):
        # A sentence runs from the colon to the name, so the header signs the writer and heads
        # no list: "Externe : la liste de demain affiche encore Roy, J." names a patient.
        return False
    if header and _AGENT_END.search(header):
        return True  # "Doses vérifiées par : Caron, Morin": who did the work
    return bool(header and _STAFF_HEADER.search(header)) and not _PATIENT_HEADER.search(header)


# A place's noun, then its name in parentheses: "le foyer de groupe (Les Pins)", "the
# boarding home (Kinngait House)". A patient lives there; the name is no patient's. A foster
# home is a family's, named by its surname.
_PLACE_NOUN_OPEN = re.compile(
    r"\b(?<![Ff]oster )(?i:home|house|lodge|shelter|hostel|h[ôo]tel|motel|foyer|r[ée]sidence|"
    r"maison|centre|center|refuge|pavillon|pavilion|village|community|communaut[ée]|r[ée]serve|"
    r"reserve|ville|town|municipalit[ée]|clinic|clinique|pharmacie|pharmacy|ressource|rpa|"
    r"chsld|site|hospital|h[ôo]pital)s?[ \t]*\([ \t]*$"
)


def _patient_list(text: str, run: _Run) -> bool:
    """Whether the run opens an item of a list of patients ("Patients : Tremblay ; Roy")."""
    first = run.words[0]
    name_like = first.listed or first.capital and not first.flags & _ORDINARY
    if not name_like or _product_shaped(first):
        return False  # "les notes rapides (SmartPhrases)": a product's name heads no entry
    if not _ITEM_START.search(text, max(0, run.start - 12), run.start):
        return False
    if _PLACE_NOUN_OPEN.search(text, max(0, run.start - 30), run.start):
        return False  # "sent to the boarding home (Ullivik)": the name is the place's
    if _SIGN_OFF_DASH.search(text, max(0, run.start - 6), run.start) and _SIGN_OFF_END.match(
        text, run.end
    ):
        return False  # "... marche mieux. - Kim": a dash after the last stop signs the note
    # A placeholder is none of the writer's words: "[PATIENT]" heads no list of patients.
    header = PLACEHOLDER.sub(" ", _header(text, run.start))
    if (
        not header
        or _STAFF_HEADER.search(header)
        or _AGENT_END.search(header)
        or _VENDOR_END.search(header)
    ):
        return False
    return bool(
        _PATIENT_HEADER.search(header)
        or first.listed
        and first.capital
        and _CARE_LIST_HEADER.search(header)
    )


# A room or bed number opening an entry of a board: "301 HÉBERT 302 KAMAU", "12 - Roy / 14 -
# Poulin"; not a room that a place's noun names ("salles 201 Jean-Talon et 202 Papineau").
_ROOM_ENTRY_BEFORE = re.compile(r"(?:^|[\s:;/,|(—–-])\d{1,4}[A-Za-z]?[ \t]*[:—–-]?[ \t]*$")
_PLACE_NOUN_BEFORE = re.compile(
    r"(?i:salles?|locaux|local|pavillons?|ailes?|wings?|rooms?|halls?|bureaux?|offices?|"
    r"auditoriums?|amphith[ée][âa]tres?|portes?|doors?|quais?|stations?|tours?)\b[^.!?\n]{0,40}$"
)


_ENTRY_END = re.compile(r"[ \t]*(?:[/;|\n]|$|\d)")


def _board_name(word: _Word) -> bool:
    """A word that opens a name on a board: listed as a name, or no dictionary knows it."""
    return bool(
        word.capital
        and (
            word.flags & (_SURNAME | _GIVEN)
            or not word.flags & _ORDINARY
            and (word.flags & _UNKNOWN or word.upper)
        )
    )


def _room_board(text: str, runs: list[_Run]) -> None:
    """Names set out one per room or bed, as on a whiteboard, are patients' names: with at
    least two such entries, a name after its number is one (a list knows its words, or no
    dictionary does)."""
    entries = [
        run
        for run in runs
        if run.kind is None
        and len(run.words) <= 3
        and len(run.words[0].raw) > 2 - run.words[0].upper
        and (run.words[0].upper or len(run.words) == 1 or run.words[1].capital)
        and _board_name(run.words[0])
        and _ROOM_ENTRY_BEFORE.search(text, max(0, run.start - 12), run.start)
    ]
    named = [
        run
        for run in runs
        if run.kind in (_PATIENT_CLASS, _DEFAULT)
        and _ROOM_ENTRY_BEFORE.search(text, max(0, run.start - 12), run.start)
    ]
    if (
        entries
        and len(entries) + len(named) >= 2
        and not _staff_list(text, entries[0].start)
        and not _PLACE_NOUN_BEFORE.search(text, max(0, entries[0].start - 50), entries[0].start)
    ):
        for run in entries:
            run.kind = _PATIENT_CLASS
        # On that board, a name that is also a word is a name in a bed's entry too: "3 - Dorothy
        # / 4 - Earl / 5 - Ruth"; "603 FERMÉ" is a closed bed.
        for run in runs:
            if (
                run.kind is None
                and len(run.words) == 1
                and run.words[0].capital
                and _key(run.words[0].raw) in word_list("ambiguous_lower")
                and _ROOM_ENTRY_BEFORE.search(text, max(0, run.start - 12), run.start)
                and _ENTRY_END.match(text, run.end)
            ):
                run.kind = _PATIENT_CLASS


# A list of patients the text speaks of: "la liste des pts en attente", "my patient list", the
# EHR's list "Mes patients". Bare surnames enumerated after it are its entries, even without a
# header of their own ("on la fait à la main : Roy, Caron, Diallo").
_PATIENTS_LIST_MENTION = re.compile(
    r"\b(?i:listes?\s+(?:des?|de\s+mes|d['’]|of(?:\s+my)?)\s*(?:pts?|patients?|patientes?|"
    r"usag[èe]re?s?|r[ée]sidente?s?|client(?:e)?s?)|(?:patient|census|waiting)\s+lists?|"
    r"mes\s+patients|my\s+patients|mes\s+usagers|mes\s+r[ée]sidents|mes\s+pts)\b"
)
# What the record or a patients' board shows, right before the names: "Epic montrait encore Roy,
# Pelletier, Dufour", "the track board still listed …". The names a census shows are patients'.
_BOARD_SHOWS_BEFORE = re.compile(
    r"\b(?:Epic|Cerner|Meditech|(?i:le[ \t]+tableau|the[ \t]+(?:track(?:ing)?[ \t]+)?board|"
    r"(?:white|track(?:ing)?)[ \t]?board|census|l['’][ée]cran|the[ \t]+screen|le[ \t]+syst[èe]me|"
    r"the[ \t]+system|la[ \t]+liste|the[ \t]+list))[ \t]+"
    r"(?i:montrait|montre|affichait|affiche|listait|showed|shows|displayed|displays|listed|lists|"
    r"still[ \t]+(?:showed|shows|listed|had))"
    r"(?:[ \t]+(?i:encore|toujours|still|again))?[ \t]*:?[ \t]*$"
)
# A role said of them in the same clause: "Epic listed Roy, Caron, Dufour as the nurses".
_ROLE_LATER_IN_CLAUSE = _Lazy(rf"[^.;!?\n]{{0,50}}?\b(?i:{_ROLE})\b")
_ENUMERATION_GAP = re.compile(r"[ \t]*(?:,|;|/|\bet\b|\band\b|&)[ \t]*")


def _enumerated_patients(text: str, runs: list[_Run]) -> None:
    """Three bare names or more enumerated after a mention of a list of patients are patients."""
    index = 0
    while index < len(runs):
        end = index + 1
        while end < len(runs) and _ENUMERATION_GAP.fullmatch(
            text, runs[end - 1].end, runs[end].start
        ):
            end += 1
        group = runs[index:end]
        index = end
        if len(group) < 3 or any(
            run.kind is not None or run.title or len(run.words) > 2 for run in group
        ):
            continue
        if not all(_enumerated_name(run.words[0]) for run in group):
            continue
        if _PATIENTS_LIST_MENTION.search(
            text, max(0, group[0].start - 250), group[0].start
        ) or (
            _BOARD_SHOWS_BEFORE.search(text, max(0, group[0].start - 60), group[0].start)
            and not _staff_after(text[group[-1].end : group[-1].end + 90])
            and not _ROLE_LATER_IN_CLAUSE.match(text, group[-1].end)
        ):
            for run in group:
                run.kind = _PATIENT_CLASS


def _enumerated_name(word: _Word) -> bool:
    """A capitalised listed name or a word no dictionary knows: no product, no function word."""
    return (
        word.capital
        and not word.flags & _COMMON
        and (word.listed or not word.flags & _ORDINARY)
        and not _product_shaped(word)
    )
