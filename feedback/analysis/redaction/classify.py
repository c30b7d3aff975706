"""One run of name-like words read in its context: a colleague's, a patient's (or a relative's),
a full name that nothing explains, or nobody's.

The nearest and most specific cue wins, so _classify reads a chain of sections in a fixed order
and the first that decides says whose the name is: what is no person (not_persons), a training
or a deed that only a colleague does, a label or a naming verb (whose_name), a contact judged a
colleague's, then the cue words before the name (cue_words: a role, a title, a patient's or a
relative's noun, a relation), then the name itself and the words after it (name_alone: a role,
a clinical event, a bed, an identifier). What the sections share of a run is read once
(reading).
"""

import re

from feedback.analysis.redaction.cue_words import (
    _CARE_HOME_RESIDENT_NAMED,
    _WE_AFTER,
    _after_patient_noun,
    _after_relation,
    _after_staff_role,
    _after_title,
)
from feedback.analysis.redaction.evidence import (
    _documented_with,
)
from feedback.analysis.redaction.name_alone import (
    _CLOSING_QUOTE,
    _OPENING_QUOTE,
    _elder_given_name,
    _family_by_plural,
    _full_name,
    _place_named_after_someone,
    _quoted_name,
    _said_after,
    _single_name_in_care,
    _single_unlisted,
    _surname_alone,
)
from feedback.analysis.redaction.not_persons import _named_place, _place_not_person
from feedback.analysis.redaction.patient_context import (
    _ARTICLE_BEFORE,
    _CALLER_OF_KIN_AFTER,
    _CONTACT_PLACEHOLDER_AFTER,
    _ENGLISH_VERB_AFTER,
    _FAMILY_AFTER,
    _FILED_UNDER_BEFORE,
    _FILED_UNDER_HINT,
    _KIN_LIST_AFTER,
    _NAME_LABEL_BEFORE,
    _NAME_LABEL_HINT,
    _NAMING_BEFORE,
    _NAMING_HINT,
    _PATIENT_AFTER,
    _PERSON_EVENT_AFTER,
    _PLACE_BEFORE,
    _QUOTED_SELF_INTRODUCTION,
    _RELATIVE_SAID_AFTER,
    _SELF_INTRODUCTION,
    _SON_BEFORE,
)
from feedback.analysis.redaction.reading import _UNDECIDED, _ends_with, _Reading, _Undecided
from feedback.analysis.redaction.runs import _Run
from feedback.analysis.redaction.staff_context import (
    _AGENT_BEFORE,
    _AGENT_HINT,
    _NAME_BEFORE_CONTACT,
    _TEACHING_BY,
    _TRAINING_WITH,
    _WITH_HINT,
    _named_in_staff_role,
    _staff_after,
)
from feedback.analysis.redaction.vocabulary import (
    _PATIENT_CLASS,
    _STAFF,
    _UNIT_CODE,
)
from feedback.analysis.redaction.whose_name import _name_owner
from feedback.analysis.redaction.words import (
    _CAMEL_CASE,
    _COMMON,
    _ORDINARY,
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
    reading = _Reading(text, run.start, words, names, after)
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


def _kin_said_after(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A name the text then says is a patient's relative: a relative's, whatever its title."""
    if _RELATIVE_SAID_AFTER.match(text[run.end : run.end + 80]) or _CALLER_OF_KIN_AFTER.match(
        text, run.end, run.end + 60
    ):
        return _PATIENT_CLASS
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
    if _HEARD_FROM_BEFORE.search(
        text, max(0, run.start - 30), run.start
    ) and _ON_A_UNIT_AFTER.match(text, run.end):
        return _STAFF  # "Heard from Gisèle on 6 Ouest that ...": news from a colleague's unit
    helped = _HELPED_BEFORE.search(text, max(0, run.start - 14), run.start)
    if helped and _WITH_A_CHART_AFTER.match(after):
        return _STAFF  # "j'ai aidé Marie-Eve avec le dossier de M. Roy": helped with the work
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
    """A record filed under a name, a naming verb, a self-introduction or a name's label says
    whose the name is: a patient's or a relative's, or whoever the sentence is about."""
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
        if owner == _STAFF and _CARE_HOME_RESIDENT_NAMED.search(
            text, max(0, run.start - 80), run.start
        ):
            owner = _PATIENT_CLASS  # a role in English, a resident at a care home lives there
        if owner:
            return owner
    if (
        "[" in after
        and _SELF_INTRODUCTION.search(text, max(0, run.start - 20), run.start)
        and _CONTACT_PLACEHOLDER_AFTER.match(after)
    ):
        return _PATIENT_CLASS  # "this is Derek, call me back at [TÉLÉPHONE]": a relative's number
    if (
        _SELF_INTRODUCTION.search(text, max(0, run.start - 20), run.start)
        and _QUOTED_SELF_INTRODUCTION.search(text, max(0, run.start - 160), run.start)
        and not _staff_after(after)
    ):
        return _PATIENT_CLASS  # "the patient only said 'I'm Tommy from up north'"
    if (
        _NAME_LABEL_HINT.search(text, max(0, run.start - 40), run.start)
        and _NAME_LABEL_BEFORE.search(text, max(0, run.start - 60), run.start)
        and (not _staff_after(after) or _ENTERED_AS_PATIENT_AFTER.match(after))
    ):
        return _PATIENT_CLASS  # "nom: bouchard madeleine", "the husband's name is Rajesh"
    return _UNDECIDED


def _colleague_contact(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """The number or address right after the name, already judged a colleague's, makes it hers."""
    if _NAME_BEFORE_CONTACT.match(reading.after):
        return _STAFF
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
    # capitalised word is a name of any origin ("his son Garang"), even one a dictionary lists
    # ("her son Paulo", "his son Gerry"); at a clause's head or in parentheses, where a word may
    # say where the son is ("the son (Georgia)"), only one no dictionary knows.
    # A list of kin says the son is English and the word a name, even one a dictionary lists:
    # ", son Vince & daughter-in-law Teresa".
    aside = son and (
        son["clause"] and not _KIN_LIST_AFTER.match(text, run.end)
        or son.group().rstrip().endswith("(")
    )
    if son and (
        word.listed
        or not single
        or word.capital
        and not word.upper
        and not word.flags & _COMMON
        and not (aside and word.flags & _ORDINARY)
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


# The chain, in the order its cues are read: places and nouns first, then a colleague's
# deeds, labels, the cue words before the name, then what the name itself and the words after
# it say. The order is part of the behaviour.
_BEFORE_FAMILY = (
    _place,
    _common_noun,
    _pet_name_prefix,
    _kin_said_after,
    _colleague_by_deed,
    _named_by_label,
    _colleague_contact,
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


# News heard from someone, then the unit where she works: a colleague passes it on ("Heard from
# Gisèle on 6 Ouest that", "appris de Lise au 4e Nord que"); a relative is heard from no unit.
_HEARD_FROM_BEFORE = re.compile(
    r"\b(?i:heard|learned|learnt|told|appris|entendu|su)[ \t]+(?:(?i:[çc]a|cela|it|this|that)"
    r"[ \t]+)?(?i:from|de|d['’]|par)[ \t]*$"
)
_ON_A_UNIT_AFTER = re.compile(
    rf"[ \t]+(?i:on|at|from|sur|au|à|a|de|du)[ \t]+(?:(?i:the|le|la|l['’])[ \t]*)?"
    rf"(?:{_UNIT_CODE}|(?i:[ée]tage|floor|unit[ée]?|ward|wing))(?![\w'’-])"
)


# Someone helped with another's chart is a colleague at work: "j'ai aidé Marie-Eve avec le
# dossier de Mme Roy", "helped Anna with the chart of bed 4", "helped Tom with Mr. Li's record".
# Helped with "son dossier", one's own, it may be a patient.
_HELPED_BEFORE = re.compile(
    r"\b(?i:aid[ée]e?|help(?:ed|ing)?|assist[ée]e?|assist(?:ed|ing)?|d[ée]pann[ée]e?|"
    r"coach[ée]e?|coached|guid[ée]e?|guided)[ \t]+$"
)
_WITH_A_CHART_AFTER = re.compile(
    r"[ \t]*,?[ \t]+(?i:avec|with|pour|for|dans|on)[ \t]+"
    r"(?:(?i:le|la|les|l['’]|the|un|une|a)[ \t]*)?"
    r"(?:(?i:dossiers?|charts?|records?|files?|notes?)[ \t]+(?i:de|du|d['’]|des|of|for)\b"
    r"|[^!?\n]{1,40}?['’]s[ \t]+(?i:charts?|records?|files?|notes?)\b)"
)


# A name entered in the record as the patient's, which is no colleague's deed: "mom's name
# Zeynep Yilmaz entered as the patient", "le nom du père inscrit comme patient".
_ENTERED_AS_PATIENT_AFTER = re.compile(
    r"[ \t,]+(?:(?i:was|got|has\s+been|is|a\s+[ée]t[ée]|est)[ \t]+)?"
    r"(?i:entered|registered|admitted|filed|charted|inscrite?|enregistr[ée]e?|entr[ée]e?|saisie?)"
    r"[ \t]+(?i:as|comme|en[ \t]+tant[ \t]+que)[ \t]+(?:(?i:the|a|la|le|l['’]|une?)[ \t]*)?"
    r"(?i:patiente?|pte?|usag[èe]re?|client)\b"
)


# "P'tit" or "Ti" as a word of its own before a name: "P'tit Gus", "Ti Gus".
_PET_PREFIX_BEFORE = re.compile(r"(?<![\w'’-])(?i:p['’]tite?|ti|tit)[ \t]+$")


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


# A surname's initial after a given name: what follows it speaks of the person.
_INITIAL_AFTER_NAME = re.compile(r"[ \t]+[A-ZÀ-Þ]\.(?=[ \t]*[,(])")
# What a colleague gives: "la formation BCMA de X", "a talk by X".
_TRAINING_OF = re.compile(
    r"(?i:\b(?:formations?|pr[ée]sentations?|capsules?|ateliers?|sessions?|conf[ée]rences?|cours|"
    r"webinaires?|webinars?|trainings?|presentations?|talks?|workshops?|d[ée]mos?|lectures?)\b"
    r"(?:[ \t]+[\w'’-]+){0,3}?[ \t]+(?:de|d['’]|by|from|par)[ \t]*)$"
)
_OF_HINT = re.compile(r"(?i:\b(?:de|d['’]|by|from|par)[ \t]*)$")
