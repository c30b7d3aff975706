"""One run of name-like words read in its context: a colleague's, a patient's (or a relative's),
a full name that nothing explains, or nobody's.

The nearest and most specific cue wins: a training or a deed that only a colleague does, a
label or a naming verb, a contact judged a colleague's, then the words before the name (a role,
a title, a patient's or a relative's noun, a relation), then the words after it (a role, a
clinical event, a bed, an identifier).
"""

import re

from feedback.analysis.redaction.cue_words import (
    _THANKED_BEFORE,
    _WE_AFTER,
    _after_patient_noun,
    _after_relation,
    _after_staff_role,
    _after_title,
)
from feedback.analysis.redaction.evidence import (
    _documented_with,
)
from feedback.analysis.redaction.not_persons import _named_place, _place_not_person
from feedback.analysis.redaction.patient_context import (
    _AGED_PERSON_AFTER,
    _ARTICLE_BEFORE,
    _BOOKED_AT_AFTER,
    _CARE_GIVEN_BEFORE,
    _CONTACT_PLACEHOLDER_AFTER,
    _DETERMINER_BEFORE,
    _ENGLISH_VERB_AFTER,
    _FAMILY_AFTER,
    _FILED_UNDER_BEFORE,
    _FILED_UNDER_HINT,
    _MOVED_BEFORE,
    _NAME_LABEL_BEFORE,
    _NAME_LABEL_HINT,
    _NAMING_BEFORE,
    _NAMING_HINT,
    _PATIENT_AFTER,
    _PATIENT_STRONG_AFTER,
    _PATIENT_VOICE,
    _PERSON_EVENT_AFTER,
    _PLACE_BEFORE,
    _SELF_INTRODUCTION,
    _SON_BEFORE,
    _SURNAME_DETERMINER_BEFORE,
)
from feedback.analysis.redaction.reading import _UNDECIDED, _ends_with, _Reading, _Undecided
from feedback.analysis.redaction.runs import _opens_sentence, _Run
from feedback.analysis.redaction.staff_context import (
    _AGENT_BEFORE,
    _AGENT_HINT,
    _NAME_BEFORE_CONTACT,
    _SIGNATURE_BEFORE,
    _TEACHING_BY,
    _TRAINING_WITH,
    _WITH_HINT,
    _named_in_staff_role,
    _staff_after,
)
from feedback.analysis.redaction.vocabulary import (
    _DEFAULT,
    _FAMILY,
    _PATIENT_CLASS,
    _STAFF,
)
from feedback.analysis.redaction.whose_name import _name_owner
from feedback.analysis.redaction.words import (
    _CAMEL_CASE,
    _COMMON,
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


def _classify(text: str, words: list[_Word], run: _Run) -> str | None:
    """Staff, patient, default (a full name with no cue) or None (nothing to redact): what the
    first section of the chain to decide says, the sections in the order of their cues."""
    names = run.words
    after = text[run.end : run.end + 90]
    initial = _INITIAL_AFTER_NAME.match(text, run.end)
    if initial:
        after = text[initial.end() : initial.end() + 90]  # "Rosalie G. (ch 218)"
    reading = _Reading(text, run.start, words, names, len(names) == 1, names[0], after)
    for section in _BEFORE_FAMILY:
        decision = section(text, run, reading)
        if decision is not _UNDECIDED:
            return decision
    # A relative's noun right after the name ("Roy, the son"), which the caller reads; only the
    # runs that no earlier section decided are marked.
    run.family = bool(_FAMILY_AFTER.match(after))
    for section in _AFTER_FAMILY:
        decision = section(text, run, reading)
        if decision is not _UNDECIDED:
            return decision
    return None


def _place(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A street, a town or a feast that the words around it place: where someone is, not who."""
    if _place_not_person(text, run):
        return None
    return _UNDECIDED


def _common_noun(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A word in lower case after an article or inside a quoted phrase is a noun, not a name."""
    single, word = reading.single, reading.word
    if (
        single
        and not word.capital
        and word.flags & _ORDINARY
        and (
            _ARTICLE_BEFORE.search(text, max(0, run.start - 8), run.start)
            # A quotation that goes on past the word quotes a phrase: "« foster family »".
            or _OPENING_QUOTE.search(text, max(0, run.start - 3), run.start)
            and not _CLOSING_QUOTE.match(text, run.end)
        )
    ):
        return None  # "a foster family", "the host family": in lower case after an article, a word
    return _UNDECIDED


def _pet_name_prefix(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A pet name: P'tit or Ti before a name, then what a patient does."""
    single, word, after = reading.single, reading.word, reading.after
    if (
        single
        and word.capital
        and not word.upper
        and _PET_PREFIX_BEFORE.search(text, max(0, run.start - 8), run.start)
        and not _staff_after(after)
        and _PATIENT_AFTER.match(after)
    ):
        return _PATIENT_CLASS  # "P'tit Gus a fugué", "Ti Gus est tombé": a pet name
    return _UNDECIDED


def _colleague_by_deed(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A training given, a role held, work done together or a deed: a colleague's."""
    after = reading.after
    if _OF_HINT.search(text, max(0, run.start - 6), run.start) and _TRAINING_OF.search(
        text, max(0, run.start - 80), run.start
    ):
        return _STAFF  # "la formation BCMA de Stéphanie Arsenault"
    if _named_in_staff_role(text, run.start, run.end, bool(_PATIENT_AFTER.match(after))):
        return _STAFF  # "Pharmacie (Luc Caron) a confirmé", "la procédure de Lise Roy"
    if (
        _WITH_HINT.search(text, max(0, run.start - 6), run.start)
        and _TRAINING_WITH.search(text, max(0, run.start - 140), run.start)
        and not _PATIENT_AFTER.match(after)
        and not _documented_with(text, run.start)
    ):
        return _STAFF  # "formation de 3h avec Kevin Roy"
    if _WITH_HINT.search(text, max(0, run.start - 6), run.start) and _WE_AFTER.match(after):
        return _STAFF  # "Avec Jonathan Fortin on a refait les étiquettes": working together
    if (
        _AGENT_HINT.search(text, max(0, run.start - 5), run.start)
        and (
            _AGENT_BEFORE.search(text, max(0, run.start - 40), run.start)
            or _TEACHING_BY.search(text, max(0, run.start - 90), run.start)
        )
        and not _PATIENT_AFTER.match(after)
    ):
        return _STAFF  # "billet ouvert par Jean-François Caron"
    return _UNDECIDED


def _named_by_label(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A record filed under a name, a naming verb, a name's label or a contact says whose."""
    names, after = reading.names, reading.after
    filed = _FILED_UNDER_HINT.search(
        text, max(0, run.start - 30), run.start
    ) and _FILED_UNDER_BEFORE.search(text, max(0, run.start - 60), run.start)
    if (
        filed
        # A thing is filed under a word: "classé sous Informatique", "filed under Facilities".
        and all(w.listed and not w.flags & _COMMON or not w.flags & _ORDINARY for w in names)
        and (filed["person"] or filed["pronoun"] or not _staff_after(after))
    ):
        return _PATIENT_CLASS  # "la famille la cherche sous Roy": the name on a patient's record
    if _NAMING_HINT.search(text, max(0, run.start - 30), run.start) and _NAMING_BEFORE.search(
        text, max(0, run.start - 30), run.start
    ):
        # "un patient qui s'appelle « Laurent, Martin »", "the parents named her Chloé": the
        # person named is whoever the sentence is about.
        owner = _name_owner(text, run.start)
        if owner:
            return owner
    if (
        "[" in after
        and _SELF_INTRODUCTION.search(text, max(0, run.start - 20), run.start)
        and _CONTACT_PLACEHOLDER_AFTER.match(after)
    ):
        return _PATIENT_CLASS  # "this is Derek, call me back at [TÉLÉPHONE]": a relative's number

    if (
        _NAME_LABEL_HINT.search(text, max(0, run.start - 40), run.start)
        and _NAME_LABEL_BEFORE.search(text, max(0, run.start - 60), run.start)
        and not _staff_after(after)
    ):
        return _PATIENT_CLASS  # "nom: bouchard madeleine", "the husband's name is Rajesh"
    if _NAME_BEFORE_CONTACT.match(after):
        return _STAFF  # the number or address after the name was judged a colleague's
    return _UNDECIDED


def _little_child(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A child called by a word after le petit, the little, then placed in care or befallen."""
    single, word, after = reading.single, reading.word, reading.after
    if (
        single
        and word.capital
        and not word.upper
        and _CHILD_BEFORE.search(text, max(0, run.start - 16), run.start)
        and (
            _PATIENT_AFTER.match(after)
            or _PERSON_EVENT_AFTER.match(after)
            or _CHILD_CARED_AFTER.match(after)
        )
        and not _CAMEL_CASE.search(word.raw)
        and not _staff_after(after)
        and not _named_place(text, run)
    ):
        # "le petit Gull en isolement", "la petite Zora a chuté": a child called by a word of
        # any kind, as its place or what befalls it shows; "le petit Tylenol" is given, not placed.
        return _PATIENT_CLASS
    return _UNDECIDED


def _email_handle(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A name glued after "@" with no cue before it: a colleague's handle in a message."""
    cues = reading.cues
    if not cues and text[run.start - 1 : run.start] == "@":
        return _STAFF
    return _UNDECIDED


def _son_named(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """After an English son, a relative's name; son is no cue word, French son being everywhere."""
    single, word = reading.single, reading.word
    son = _SON_BEFORE.search(text, max(0, run.start - 16), run.start)
    if son and son["clause"] and not _ENGLISH_VERB_AFTER.match(text, run.end):
        son = None
    # "son" is no cue word (French "son" is everywhere): "the son, mike"; after "his son", a
    # capitalised word that no dictionary knows is a name of any origin ("his son Garang").
    if son and (
        word.listed
        or not single
        or not son["clause"]
        and word.capital
        and not word.upper
        and not word.flags & (_ORDINARY | _COMMON)
    ):
        return _PATIENT_CLASS
    return _UNDECIDED


def _home_before_address(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A place's noun, a name, then an address: a home's name, no person's."""
    cues, identified = reading.cues, reading.identified
    if (
        identified
        and "[ADRESSE]" in identified.group()
        and cues
        and _ends_with(_PLACE_BEFORE, text, cues, run.start)
    ):
        return None  # a home's name before its address: "Manoir Saint-Georges, [ADRESSE]"
    return _UNDECIDED


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


# The chain, in the order its cues are read: places and nouns first, then a colleague's
# deeds, labels, the cue words before the name, then what the name itself and the words after
# it say. The order is part of the behaviour.
_BEFORE_FAMILY = (
    _place,
    _common_noun,
    _pet_name_prefix,
    _colleague_by_deed,
    _named_by_label,
    _little_child,
    _after_staff_role,
    _after_title,
    _after_patient_noun,
    _after_relation,
    _email_handle,
    _son_named,
    _home_before_address,
)
_AFTER_FAMILY = (
    _quoted_name,
    _single_name_in_care,
    _family_by_plural,
    _single_unlisted,
    _place_named_after_someone,
    _said_after,
    _elder_given_name,
    _surname_alone,
    _full_name,
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
_PET_PREFIX_BEFORE = re.compile(r"(?<![\w'’-])(?i:p['’]tite?|ti|tit)[ \t]+$")

# A few words in parentheses between a name and what is said of it, where one comes from:
# "Kateri (Kahnawake) attendait son transport".
_ASIDE = re.compile(r"[ \t]*\([^()\d\n\[]{1,30}\)")


# A child called by its name, the article before the diminutive: "le petit", "la p'tite",
# "the little", "notre petite".
_CHILD_BEFORE = re.compile(
    r"(?<![\w'’-])(?i:le|la|les|notre|nos|mon|ma|mes|the|our|my)[ \t]+"
    r"(?i:petite?s?|p['’]tite?s?|ptite?s?|little)[ \t]+$"
)

# Where only a child in care lies: "le petit Gull en isolement", "the little one in the NICU".
_CHILD_CARED_AFTER = re.compile(
    r"[ \t]+(?i:en|in|à|a|au|aux|dans|at|on)[ \t]+(?:(?i:l['’]|la|le|les|the)[ \t]*)?"
    r"(?i:isolement|isolation|p[ée]diatrie|peds|pediatrics|n[ée]onat\w*|nicu|picu|"
    # "à l'urgence" is a place, "en urgence" a haste.
    r"soins\s+intensifs|icu|(?<=[l'’])urgence|observation|incubateur|couveuse|incubator|"
    r"salle\s+de\s+r[ée]veil|recovery)\b"
)


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

# A surname's initial after a given name: what follows it speaks of the person.
_INITIAL_AFTER_NAME = re.compile(r"[ \t]+[A-ZÀ-Þ]\.(?=[ \t]*[,(])")
# What a colleague gives: "la formation BCMA de X", "a talk by X".
_TRAINING_OF = re.compile(
    r"(?i:\b(?:formations?|pr[ée]sentations?|capsules?|ateliers?|sessions?|conf[ée]rences?|cours|"
    r"webinaires?|webinars?|trainings?|presentations?|talks?|workshops?|d[ée]mos?|lectures?)\b"
    r"(?:[ \t]+[\w'’-]+){0,3}?[ \t]+(?:de|d['’]|by|from|par)[ \t]*)$"
)
_OF_HINT = re.compile(r"(?i:\b(?:de|d['’]|by|from|par)[ \t]*)$")

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
