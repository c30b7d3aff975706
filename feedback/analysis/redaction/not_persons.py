"""What is no person, though its words are names: a town, a street, a place named after someone,
a business, a device's brand or a drug.

A name-like run is read as a place or a thing when the words around it say so (a preposition of
place, a street's type, a device's noun, a dose); a title or a patient's noun makes a person of it
again.
"""

import re

from feedback.analysis.redaction.patient_context import (
    _HOLIDAYS,
    _PATIENT_AFTER,
    _PATIENT_STRONG_AFTER,
    _PATIENT_TITLE_BEFORE,
    _PERSON_EVENT_AFTER,
    _PLACE_BEFORE,
)
from feedback.analysis.redaction.runs import _Run
from feedback.analysis.redaction.vocabulary import _FAMILY, word_list
from feedback.analysis.redaction.words import _GIVEN, _PLACE, _SURNAME, _key

_EN_BEFORE = re.compile(r"(?<![\w'’-])[eE]n[ \t]+$")

_CITY_AFTER_ADDRESS = re.compile(r"\[ADRESSE\][ \t]*[,(]?[ \t]*$")

_CIVIC_BEFORE = re.compile(r"(?<![\w.,-])\d{1,5}[ \t]+$")

_STREET_TYPE_AFTER = re.compile(
    r"[ \t]+(?i:street|st|avenue|ave|road|rd|drive|dr|lane|ln|boulevard|blvd|crescent|cres|"
    r"court|ct|way|place|terrace|trail|highway|hwy)\b"
)

# A patient "de" or "from" somewhere: the name after it is a place's. A relative "de" someone
# ("la fille de Gaston Roy") names a person, and so does a title ("le patient du Dr Roy").
_ORIGIN_BEFORE_NAME = re.compile(
    r"\b(?i:patiente?s?|pts?|pte|usag[èe]re?s?|r[ée]sidente?s?|clientes?|monsieur|madame|dame|"
    r"homme|(?<![lL]a )femme|gens|people|man|woman|lady|gentleman|gars)"
    r"[ \t]+(?i:(?:originaires?|venant|arriv[ée]e?s?|coming|vient|viennent|venue?s?|revient|"
    r"(?:est|sont)[ \t]+(?:arriv[ée]e?s?|venue?s?))[ \t]+)?(?i:de|d['’]|des|from)[ \t]*$"
    # Whoever is on a visit from somewhere: "en visite de France".
    r"|\b(?i:en[ \t]+visite|de[ \t]+passage|de[ \t]+retour)[ \t]+(?i:de|d['’]|du|des|from)[ \t]*$"
)

# A street's type after its name, as English writes it, spelt out and capitalised: "the King
# Street West clinic", "on Roy Avenue". A person's name is never followed by one, and a run
# that ends on one ("Wellington Road") is the street itself.
_STREET_TYPE_NAME = r"(?:Street|Avenue|Road|Boulevard|Crescent|Lane|Highway)"
_STREET_NAMED_AFTER = re.compile(rf"[ \t]+{_STREET_TYPE_NAME}\b")
_STREET_NAMED_LAST = re.compile(_STREET_TYPE_NAME)

# "Patient" in capitals opening the title of a report or a screen of the record: "Patient
# Summary", "Patient Lists", "Patient Station". The title's noun is a thing's, never a name
# (unlike "Patient Hope", "Patient Brown").
_REPORT_TITLE_BEFORE = re.compile(r"(?<![\w'’-])Patient[ \t]+$")
_REPORT_NOUN = re.compile(
    r"Summary|Summaries|Lists?|Stations?|Lookup|Look-up|Portal|Header|Banner|Snapshot|"
    r"Overview|Profile|Reports?|Search|Sidebar|Storyboard|Movement"
)

# A street's type before its name, as French writes it; "ch." is a room, not a "chemin".
_STREET_TYPE_BEFORE = re.compile(
    r"(?<![\w'’-])(?i:rue|boulevard|boul\.|avenue|av\.|chemin|mont[ée]e|rang)[ \t]+$"
)

# A device's noun right before a word in capitals makes that word its brand or model: "le
# glucomètre Accu-Chek", "la pompe Sigma", "the old Lenovo laptops" has it after. A person's
# device is said with "de" or a possessive ("le glucomètre de M. Roy"), never glued to a name.
_DEVICE_BEFORE = re.compile(
    r"\b(?i:glucom[èe]tres?|glucometers?|tensiom[èe]tres?|saturom[èe]tres?|oxym[èe]tres?|"
    r"thermom[èe]tres?|pompes?|pumps?|moniteurs?|monitors?|imprimantes?|printers?|"
    r"num[ée]riseurs?|scanners?|lecteurs?|readers?|ordinateurs?|ordis?|computers?|laptops?|"
    r"tablettes?|tablets?|d[ée]fibrillateurs?|defibrillators?|appareils?|devices?|"
    r"logiciels?|software|bladder\s+scanners?|glucose\s+meters?|"
    # Who lifts and who breathes for a patient are machines named by their maker: "le
    # lève-personne Arjo", "the ceiling lift Guldmann", "le respirateur Hamilton".
    r"l[èe]ve-?(?:personnes?|patients?)|(?:ceiling|mechanical|patient|floor|sit-to-stand)"
    r"\s+lifts?|ventilateurs?|respirateurs?|ventilators?|vents?|bipap|cpap|"
    r"(?:lits?|beds?|matelas|mattress(?:es)?)[ \t]+(?i:[ée]lectriques?|th[ée]rapeutiques?|"
    r"bariatriques?|electric|bariatric)|"
    # What a machine reads or sets, then "du" or "from the": a person's readings are "de M.
    # Roy", never "du Roy". "les données du Hamilton", "the alarms from the Dräger".
    r"(?:donn[ée]es|alarmes?|lectures?|valeurs?|[ée]cran|r[ée]glages|param[èe]tres)[ \t]+du|"
    r"(?:data|readings?|alarms?|settings|screen|values)[ \t]+(?:from|on|of)[ \t]+the)[ \t]+$"
)

# What is given of a drug, then its name: "son injection d'", "a dose of", "2 co. de". Only
# after a possessive, an indefinite or a number: "l'injection de X", "la dose de X" may be a
# patient's, and so may a pump or a perfusion.
_DOSE_OF_BEFORE = re.compile(
    r"(?:\b(?i:son|sa|ses|leurs?|his|her|their|une?|an?|\d+)|['’]s)[ \t]+"
    # An adjective may come between: "her monthly shot of", "sa dernière injection d'".
    r"(?:[a-zà-ÿ]{3,}[ \t]+)?"
    r"(?i:injections?|doses?|comprim[ée]s?|co\.|cos|capsules?|caps|sirop|timbres?|patch(?:es)?|"
    r"ampoules?|fioles?|vials?|tablets?|tabs?|pills?|shots?|puffs?|bouff[ée]es?)"
    r"(?:[ \t]+(?i:\d+(?:[.,]\d+)?[ \t]*(?:mg|mcg|ml|g|u|ui|units?))?)?"
    r"[ \t]+(?i:de|d['’]|du|of)[ \t]*$"
)

# "chez" is a preposition in lower case; in capitals after a comma, a parenthesis, a slash or a
# word, within a sentence, it opens the name of a house or a restaurant ("Chez Doris").
_ESTABLISHMENT_BEFORE = re.compile(r"(?:[,(;/]|[\w'’])[ \t]*(?<![\w'’-])Chez[ \t]+$")

_STREET_TYPE_LAST = re.compile(r"(?:St|Ave|Rd|Dr|Blvd|Cres|Ln|Ct|Hwy)$")

# What opens a place: a preposition of place, a site's or a unit's word, a floor ("4e", "3 East").
# Not "to", which gives to a person as often as it goes to a town, nor "est", which is a verb.
_TOWN_BEFORE = re.compile(
    r"(?:\b(?i:[àa]|au|aux|de|du|d['’]|in|at|near|from|vers|pr[èe]s\s+de|h[ôo]pital|hospital|"
    r"chsld|clsc|chu|gmf|pharmacie|pharmacy|labo|lab|laboratoire|urgence|ed|er|site|"
    r"installation|centre|center|commandement|unit[ée]|[ée]tage|floor|east|west|nord|sud|"
    r"north|south|ouest)|\b\d{1,2}(?:e|[eè]me|th|st|nd|rd)?)[ \t]*$"
)

# What makes a person of a town's name: a title, a patient's or a relative's noun, a relation.
_PERSON_BEFORE = re.compile(
    rf"(?:{_PATIENT_TITLE_BEFORE.pattern}|\b(?i:patiente?s?|pts?|pte|usag[èe]re?s?|"
    r"r[ée]sidente?s?|client(?:e)?s?|dr|dre|docteure?|doctor|nurse|inf|infirmi[èe]re?|"
    rf"{_FAMILY}|chez|visite|named|nomm[ée]e?|appel[ée]e?|called|merci|thanks))\.?"
    r"(?:[ \t]+(?:de|d['’]|of))?[ \t,:]*$"
)


def _town(text: str, run: _Run) -> bool:
    """A town (or a feast) that is also a given name or a surname, read as the town.

    Only a title, a patient's or a relative's noun, or what only a person goes through makes a
    person of it; after a preposition of place or a site's word it is the town regardless,
    unless a person's word comes right before that ("la fille d'Alma").
    """
    before = text[max(0, run.start - 40) : run.start]
    if _PERSON_BEFORE.search(before):
        return False
    if _TOWN_BEFORE.search(before):
        return True
    after = text[run.end : run.end + 90]
    return not (_PERSON_EVENT_AFTER.match(after) or _PATIENT_STRONG_AFTER.match(after))


# A person's title or a patient's noun right before a business's name makes it a person's again.
_PERSON_RIGHT_BEFORE = re.compile(
    r"(?:\b(?:M|Mme|Mlle|Mr|Mrs|Ms|Dr|Dre)\.?|\b(?i:monsieur|madame|patiente?|pte?|usag[èe]re?|"
    r"client|cliente))[ \t]+$"
)


# The placeholder "[PATIENT]" is no patient's noun: "M. [PATIENT] (Jean Coutu …)" is a pharmacy.
_PATIENT_APPOSITION_BEFORE = re.compile(
    r"(?<!\[)\b(?i:patiente?|pte?|usag[èe]re?|r[ée]sidente?|client|cliente|patient['’]s)\b"
    r"[^.!?\n]{0,25}[,:(][ \t]*$"
)


def _business(text: str, run: _Run) -> bool:
    """A business named after a person (a pharmacy chain, a supplier, a charity's house), which
    staff mention as a place or a brand; a title or a patient's noun before it names a person."""
    name = " ".join(_key(w.raw) for w in run.words)
    if name not in word_list("businesses_named_like_people"):
        return False
    # A person of that name is said to be one: "Jean Coutu, 82 ans, a chuté", "le patient du
    # 12, Jean Coutu, a refusé".
    return not (
        _PERSON_RIGHT_BEFORE.search(text, max(0, run.start - 12), run.start)
        or _PATIENT_APPOSITION_BEFORE.search(text, max(0, run.start - 40), run.start)
        or _PATIENT_AFTER.match(text[run.end : run.end + 90])
    )


def _street_or_house(text: str, run: _Run) -> bool:
    """A street named after its type ("le Jean Coutu rue Ontario"), a house whose name opens on
    "Chez" in capitals ("Maison du Père, Chez Doris"): a place, whatever list the words are in;
    or a brand of drug that no list of names knows, given as a dose ("son injection d'Invega
    Sustenna"): a drug; a word right after a device's noun ("la pompe Sigma"): its brand; a
    report's title ("Patient Summary")."""
    return bool(
        _STREET_TYPE_BEFORE.search(text, max(0, run.start - 12), run.start)
        or _STREET_NAMED_AFTER.match(text, run.end)
        or len(run.words) > 1
        and _STREET_NAMED_LAST.fullmatch(run.words[-1].raw)
        or _DEVICE_BEFORE.search(text, max(0, run.start - 30), run.start)
        or _REPORT_TITLE_BEFORE.search(text, max(0, run.start - 10), run.start)
        and _REPORT_NOUN.fullmatch(text, run.start, run.end)
        or _ESTABLISHMENT_BEFORE.search(text, max(0, run.start - 8), run.start)
        or not any(w.flags & (_GIVEN | _SURNAME) for w in run.words)
        and _DOSE_OF_BEFORE.search(text, max(0, run.start - 30), run.start)
    )


# What a patient not yet identified is registered as: "Jane Doe 47", "John Doe", "Baby Doe".
# "Baby" is a patient's noun, not a word of the run: "Baby Doe" leaves "Doe" after it.
_UNKNOWN_PERSON_NAMES = frozenset({"john doe", "jane doe", "baby doe", "bebe doe"})
_BABY_BEFORE = re.compile(r"(?<![\w'’-])(?i:baby|b[ée]b[ée])[ \t]+$")


def _placeholder_record(text: str, run: _Run) -> bool:
    """A name that stands for a patient not yet identified, never one of a person."""
    name = " ".join(_key(w.raw) for w in run.words)
    return name in _UNKNOWN_PERSON_NAMES or (
        name == "doe" and bool(_BABY_BEFORE.search(text, max(0, run.start - 6), run.start))
    )


# "au CLSC. Roy est tombé": the place's sentence is over, the name opens another.
_SENTENCE_CLOSED_BEFORE = re.compile(r"[.!?][ \t]+$")


def _named_place(text: str, run: _Run) -> bool:
    """Whether a place's noun stands right before the run: a place named after someone has
    rooms and admits people too ("CHSLD Marie-Rollet, room 12")."""
    return bool(
        _PLACE_BEFORE.search(text, max(0, run.start - 40), run.start)
        and not _SENTENCE_CLOSED_BEFORE.search(text, max(0, run.start - 3), run.start)
    )


def _place_not_person(text: str, run: _Run) -> bool:
    """Whether the run names where someone is or comes from (a street, a town after an address
    or a preposition, a feast): the words before and after it say place before any person cue."""
    names = run.words
    if _CITY_AFTER_ADDRESS.search(text, max(0, run.start - 14), run.start) or (
        _CIVIC_BEFORE.search(text, max(0, run.start - 8), run.start)
        and (_STREET_TYPE_AFTER.match(text, run.end) or _STREET_TYPE_LAST.match(names[-1].raw))
    ):
        return True  # a town after an address ("[ADRESSE], Lévis"), a street ("1425 Bishop St.")
    if _ORIGIN_BEFORE_NAME.search(text, max(0, run.start - 40), run.start):
        return True  # where someone comes from: "le patient de Harrington Harbour"
    if _EN_BEFORE.search(text, max(0, run.start - 4), run.start):
        return True  # "son fils en France", "en Outaouais": French "en" opens a place, no person
    # "à Alma", "CHSLD d'Alma", "Labo Alma:": a town that is also a name; "le repas de Noël": a
    # feast.
    return (
        all(w.flags & _PLACE for w in run.words)
        or len(run.words) == 1
        and _key(run.words[0].raw) in _HOLIDAYS
    ) and _town(text, run)
