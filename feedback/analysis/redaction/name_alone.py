"""A name read by itself and by the words after it, once no cue before it has decided: a name
alone in quotes, a single name that falls or is booked, a family's plural, a word no list knows
before an identifier, a role or a clinical event after the name, a surname alone, a full name.
"""

import re

from feedback.analysis.redaction.cue_words import (
    _THANKED_BEFORE,
)
from feedback.analysis.redaction.not_persons import _named_place
from feedback.analysis.redaction.patient_context import (
    _AGED_PERSON_AFTER,
    _BOOKED_AT_AFTER,
    _CARE_GIVEN_BEFORE,
    _DETERMINER_BEFORE,
    _MOVED_BEFORE,
    _PATIENT_AFTER,
    _PATIENT_STRONG_AFTER,
    _PATIENT_VOICE,
    _PERSON_EVENT_AFTER,
    _PLACE_BEFORE,
    _SURNAME_DETERMINER_BEFORE,
)
from feedback.analysis.redaction.reading import _UNDECIDED, _ends_with, _Reading, _Undecided
from feedback.analysis.redaction.runs import _opens_sentence, _Run
from feedback.analysis.redaction.staff_context import (
    _SIGNATURE_BEFORE,
    _staff_after,
)
from feedback.analysis.redaction.vocabulary import (
    _DEFAULT,
    _FAMILY,
    _PATIENT_CLASS,
    _STAFF,
)
from feedback.analysis.redaction.words import (
    _CAMEL_CASE,
    _ELDER,
    _GIVEN,
    _LOWER_OK,
    _ORDINARY,
    _PLACE,
    _SURNAME,
    _UNKNOWN,
    _flags,
    _key,
    _name_evidence,
    _name_shaped,
    _quoted_name_word,
    _Word,
)

# Where the person lives, the address already judged a home's: "Caroline habite maintenant au
# [ADRESSE]", "Denise lives at [ADRESSE]". Whose home address a note gives is the patient's
# or a relative's.
_HOME_AFTER = re.compile(
    r"[ \t]+(?:(?i:habite|habitait|demeure|demeurait|reste|restait|vit|vivait|lives|lived|"
    r"is\s+living|stays|now\s+lives|has\s+moved|moved|a\s+d[ée]m[ée]nag[ée]e?|d[ée]m[ée]nage)"
    r"(?:[ \t]+(?i:maintenant|now|toujours|still|encore|d[ée]sormais))?[ \t]+"
    r"(?i:au|à|a|at|on|to|in|dans|sur)?[ \t]*(?:(?i:le|la|l['’]|the)[ \t]*)?\[ADRESSE\])"
)

# A pet name made with "ti-" or "p'tit-" joined to a word: "Ti-Guy", "P'tit-Loup".
_PET_NAME = re.compile(r"(?i:ti|tit|p['’]tite?|ptite?)-[A-ZÀ-Þ][a-zà-ÿ]")

# A few words in parentheses between a name and what is said of it, where one comes from:
# "Kateri (Kahnawake) attendait son transport".
_ASIDE = re.compile(r"[ \t]*\([^()\d\n\[]{1,30}\)")

_TO_HINTS = frozenset({" à ", " a ", "au ", " A ", " À ", "to ", "To ", "AU ", "Au "})

# A test, an order or a dose done on someone, or a requisition in someone's name.
_ORDERED_ON = re.compile(
    r"\b(?i:ordered|ordering|order|drew|drawn|ran|run|did|done|charted|documented|gave|given|"
    r"hung|started|scanned|placed|booked)\b[^.!?\n;,]{0,30}\b(?i:on)[ \t]+$"
    r"|\b(?i:requ[êe]te|r[ée]quisition|ordonnance|commande|prescription)s?\b[^.!?\n;]{0,20}"
    r"\b(?i:au\s+nom\s+d[e'’])[ \t]*$"
)

_UNIT_AFTER = re.compile(r"[ \t]+(?i:unit|wing|floor|ward|team|service|building|tower)\b")

_OPENING_QUOTE = re.compile(r"[«\"“‘'][ \t]*$")

_CLOSING_QUOTE = re.compile(r"[ \t]*[»\"”’']")

# One singled out of a count of patients just told, by the surname alone as a chart names
# one: "rapport sur 6 pts, Roy à lui seul a pris 15 min", "4 patients today, Khan alone took an
# hour". A colleague goes by the given name ("5 patients ce soir, Marie seule ne suffit pas").
_SINGLED_OUT_AFTER = re.compile(
    r"[ \t]+(?i:alone|by\s+(?:him|her)self|on\s+(?:his|her)\s+own|[àa]\s+(?:lui|elle)\s+seule?|"
    r"tout\s+seule?)\b"
)

_PATIENT_COUNT_BEFORE = re.compile(
    r"\b\d{1,3}\s+(?i:pts?|patiente?s?|usag[èe]re?s?|r[ée]sidente?s?|client(?:e)?s?)\b"
    r"[^.!?\n]*$"
)

# "the", then a capitalised plural: a family named by its surname in English.
_THE_BEFORE = re.compile(r"(?<![\w'’-])(?i:the)[ \t]+$")

# A relative's noun, then the family in apposition: "her parents, the", "foster parents (the".
_RELATIVE_THEN_THE = re.compile(
    rf"\b(?i:{_FAMILY}|parents|folks|in-laws)[ \t]*[,(:—–-][ \t]*(?i:the)[ \t]+$"
)


def _plural_family(text: str, run: _Run) -> bool:
    """An English family named by its plural surname after "the": "the Tremblays visited", a
    listed surname's plural; a name no list knows only in apposition to a relative's noun
    ("her foster parents (the Lindqvists)")."""
    word = run.words[0]
    raw = word.raw
    if not (word.capital and not word.upper and len(raw) > 4 and raw.endswith("s")):
        return False
    if not _THE_BEFORE.search(text, max(0, run.start - 5), run.start):
        return False
    stem = _flags(_key(raw[:-1]))
    if stem & _SURNAME and not stem & (_GIVEN | _PLACE) and not word.flags & _ORDINARY:
        return True
    return bool(word.flags & _UNKNOWN) and bool(
        _RELATIVE_THEN_THE.search(text, max(0, run.start - 40), run.start)
    )


_SENTENCE_BEFORE = re.compile(r"[.!?][ \t]+$")

# Where a writer works, in capitals after the signature: ", CSSS", ", CIUSSS-EMTL".
_INSTITUTION_AFTER = re.compile(r"[ \t]*,[ \t]*[A-ZÀ-Þ][A-ZÀ-Þ0-9&-]{1,11}[ \t.!]*")


def _is_full_name(text: str, words: list[_Word]) -> bool:
    if len(words) < 2:
        return False
    first, last = words[0], words[-1]
    if first.flags & _GIVEN:
        if not first.capital:
            return any(w.flags & (_SURNAME | _UNKNOWN) and not w.capital for w in words[1:])
        return last.capital
    if len(words) != 2 or not (first.capital and last.capital):
        return False
    if first.flags & _SURNAME and last.flags & _GIVEN:
        return True  # surname first, as on a wristband: "Okafor Chidi"
    if last.flags & _SURNAME and not first.upper and not last.upper and not first.listed:
        # An unlisted given name before a listed surname ("Rolland Guay"); a sentence may open
        # with an ordinary word, though.
        return not (first.flags & _ORDINARY and _opens_sentence(text, first.start))
    # Names of every origin that no list holds have the shape of names: capitalised words that
    # no dictionary knows ("Eerili Qumaaluk", "Tsering Dolma"), or one of them beside a listed
    # name ("Bohdan Shevchuk").
    return all(_name_shaped(w) for w in words) and not (first.upper or last.upper)


def _quoted_name(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A name alone in quotes, as a list or a wristband shows it: a patient's."""
    names = reading.names
    quote = _OPENING_QUOTE.search(text, max(0, run.start - 3), run.start)
    if (
        quote
        and _CLOSING_QUOTE.match(text, run.end)
        and not _PLACE_BEFORE.search(text, max(0, quote.start() - 40), quote.start())
        and all(_quoted_name_word(w) for w in names)
        and not _staff_after(text[run.end + 3 : run.end + 93].lstrip(" \t»\"”'’"))
    ):
        return _PATIENT_CLASS  # a name alone in quotes, as a list or a wristband shows it
    return _UNDECIDED


def _single_name_in_care(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A single name that falls, moves home, is booked, singled out of a count or given care: a
    patient's, for a colleague is named by what they do."""
    single, word, after = reading.single, reading.word, reading.after
    if single and (word.capital or word.listed) and not word.upper and _name_evidence(word):
        if (
            (_PERSON_EVENT_AFTER.match(after) or _HOME_AFTER.match(after))
            and not _DETERMINER_BEFORE.search(text, max(0, run.start - 8), run.start)
            and not _staff_after(after)
            # A place named after someone has rooms too: "CHSLD Marie-Rollet, room 12".
            and not _named_place(text, run)
        ):
            return _PATIENT_CLASS  # "Blanc est tombé", "Hope was transferred to ICU"
        if (
            _PET_NAME.match(word.raw)
            and not _staff_after(after)
            and not _THANKED_BEFORE.search(text, max(0, run.start - 60), run.start)
        ):
            # "Ti-Guy est revenu cette nuit": a pet name is how the unit knows a regular, and
            # a colleague is named by name or role in feedback.
            return _PATIENT_CLASS
        if (
            word.capital
            and word.flags & (_SURNAME | _UNKNOWN)
            and not word.flags & _GIVEN
            and _BOOKED_AT_AFTER.match(text, run.end)
            and not _staff_after(after)
        ):
            return _PATIENT_CLASS  # "Zaccardi est à 8h": booked at an hour
        if (
            word.capital
            and word.flags & (_SURNAME | _UNKNOWN)
            and not word.flags & _GIVEN
            and _SINGLED_OUT_AFTER.match(text, run.end)
            and _PATIENT_COUNT_BEFORE.search(text, max(0, run.start - 80), run.start)
            and not _staff_after(after)
        ):
            return _PATIENT_CLASS  # "6 pts took me 50 min, Roy alone was 15": one of them
        if (
            text[max(0, run.start - 3) : run.start] in _TO_HINTS
            and _CARE_GIVEN_BEFORE.search(text, max(0, run.start - 50), run.start)
            or _MOVED_BEFORE.search(text, max(0, run.start - 16), run.start)
        ) and not _staff_after(after):
            return _PATIENT_CLASS  # "on a donné son congé à Gendron", "transféré Blanc aux SI"
    return _UNDECIDED


def _family_by_plural(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A family named by its surname's plural: the Tremblays."""
    single = reading.single
    if single and _plural_family(text, run):
        return _PATIENT_CLASS  # "the Tremblays", "her parents (the Lindqvists)": a family
    return _UNDECIDED


def _single_unlisted(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A single word no list holds is a name only before an identifier or what only patients do."""
    single, word, after, identified = (
        reading.single,
        reading.word,
        reading.after,
        reading.identified,
    )
    if single and not word.listed:
        strong = (
            word.capital
            and not word.upper
            and (
                not word.flags & _ORDINARY
                or not _opens_sentence(text, word.start)
                or _AGED_PERSON_AFTER.match(after)
            )
            and _PATIENT_STRONG_AFTER.match(after)
            # A device in a room is no name: "installé le BiPAP en chambre 12".
            and not _CAMEL_CASE.search(word.raw)
            and not _named_place(text, run)
        )
        # An ordinary word or an acronym before an identifier is no name: "Contrat no [DOSSIER]".
        identified = identified and not word.flags & _ORDINARY and len(word.raw) > 4 - word.upper
        return _PATIENT_CLASS if identified or strong else None
    return _UNDECIDED


def _place_named_after_someone(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A place's noun right before the name: the name is the place's, as a hospital's."""
    identified = reading.identified
    if not identified and _named_place(text, run):
        return None  # "Hôpital Anna-Laberge, salle 3": the name is the place's
    return _UNDECIDED


def _said_after(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """What the words after the name say: a colleague's role or deed, or a patient's identifier or
    event."""
    after, identified = reading.after, reading.identified
    if _staff_after(after):
        return _STAFF
    aside = _ASIDE.match(after)
    if (
        identified
        or _PATIENT_AFTER.match(after)
        or aside
        and _PATIENT_AFTER.match(after[aside.end() :])
    ):
        return _PATIENT_CLASS
    return _UNDECIDED


def _elder_given_name(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A given name of the patients' generation, with no cue: a full name's default."""
    single, word = reading.single, reading.word
    if single and word.flags & _ELDER and (word.flags & _LOWER_OK or not word.raw.isascii()):
        # "Fernand a encore essayé de se lever": a name of that generation is a patient's,
        # unless its list or its neighbours say staff.
        return _DEFAULT
    return _UNDECIDED


def _surname_alone(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A surname alone after les, an order on someone or a determiner: a patient's."""
    single, word, cues = reading.single, reading.word, reading.cues
    if single and word.flags & _SURNAME and word.capital:
        if text[max(0, run.start - 4) : run.start].lower() == "les ":
            return _PATIENT_CLASS  # a family: "les Gagnon"
        if _ORDERED_ON.search(text, max(0, run.start - 60), run.start) and not _UNIT_AFTER.match(
            text, run.end
        ):
            return _PATIENT_CLASS  # what was ordered on someone: "I ordered a CT on Blanchette"
        determiner = cues and _ends_with(_SURNAME_DETERMINER_BEFORE, text, cues, run.start)
        if determiner:
            return _PATIENT_CLASS
    return _UNDECIDED


def _full_name(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A full name with no cue: a place's after a place's noun, the writer's as a signature, else
    the default."""
    names, after, cues = reading.names, reading.after, reading.cues
    if _is_full_name(text, names):
        if cues and _ends_with(_PLACE_BEFORE, text, cues, run.start):
            return None
        institution = _INSTITUTION_AFTER.fullmatch(after)
        if (
            (not after.strip(" \t.!") or institution)
            and (
                _SIGNATURE_BEFORE.search(text, max(0, run.start - 20), run.start)
                # A name after the last sentence with where the writer works: "... trop
                # long. Lise Côté, CIUSSS".
                or institution
                and _SENTENCE_BEFORE.search(text, max(0, run.start - 4), run.start)
            )
            and not _PATIENT_VOICE.search(text, 0, run.start)
        ):
            return _STAFF  # the writer's signature, unless the note speaks for a patient
        return _DEFAULT
    return _UNDECIDED
