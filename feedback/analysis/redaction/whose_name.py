"""Whose a name is, read from the words before it: a relative's noun and its owner before a
titled name ("Le conjoint de la patiente, Dr Roger Lavoie"), or whom a sentence that names
someone is about ("un patient qui s'appelle …", "the parents named her Chloé").
"""

import re

from feedback.analysis.redaction.owners import _OWNER
from feedback.analysis.redaction.vocabulary import (
    _CLAUSE_END,
    _PATIENT_CLASS,
    _STAFF,
    _TITLE_ABBREVIATION,
)

# A relative's noun, in French or English; names.py reads it in its own patterns too.
_KIN = (
    r"(?:conjointe?|[ée]poux|[ée]pouse|mari|femme|fils|fille|p[èe]re|m[èe]re|fr[èe]re|"
    r"s(?:œ|oe)ur|gendre|bru|belle-fille|beau-fils|neveu|ni[èe]ce|petite?-(?:fils|fille)|"
    r"cousine?|husband|wife|spouse|partner|son|daughter|father|mother|brother|sister|nephew|"
    r"niece|grandson|granddaughter|son-in-law|daughter-in-law|cousin)"
)

# A colleague named earlier in the sentence, whose relative a possessive after it may be.
_COLLEAGUE_EARLIER = re.compile(
    r"\b(?:Dr|Dre|Drs|Docteure?|Doctor|Pr|Prof)\b\.?|\b(?i:coll[èe]gue|colleague|infirmi[èe]re|"
    r"nurse|formatrice|formateur|trainer|pharmacien(?:ne)?|pharmacist|coordonnat\w*)\b"
)

# A relative's noun, its owner said (a possessive, or "de la patiente", "of Mrs. Roy"), then
# the name in apposition: "Le conjoint de la patiente, Dr Roger Lavoie". Not a family as a
# group ("médecin de famille du patient, Dr Landry").
_RELATIVE_APPOSITION = re.compile(
    rf"(?:(?P<possessive>\b(?i:son|sa|his|her|their|leur))\s+(?i:{_KIN})"
    rf"|\b(?i:patient|patiente|pt|resident|client)['’]s\s+(?i:{_KIN})"
    rf"|\b(?i:{_KIN})\s+(?i:de|du|d['’]|of)\s+(?:(?i:la|le|l['’]|the|notre|our)\s*)?"
    r"(?:(?i:patiente?|pte?|usag[èe]re?|r[ée]sidente?|cliente?|b[ée]n[ée]ficiaire|madame|monsieur|"
    r"b[ée]b[ée]|baby|enfant|child|nouveau-n[ée]e?|newborn)"
    r"|(?:Mme|Mrs?|Ms|M)\.?(?:\s+[A-ZÀ-Þ][\w'’-]+){1,2}|\[PATIENT\]))"
    r"(?:\s*[,:(—–]\s*|\s+(?i:est|is|was|c['’]est)\s+|\s+)(?:(?i:le|la|l['’]|the)\s*)?$"
)


def _relative_named(text: str, start: int) -> bool:
    """Whether a relative's noun and its owner come right before a title at start. A possessive
    says whose only when no colleague is named before it in the sentence: "la Dre Roy et son
    mari Dr Martin" speak of her husband, no patient's."""
    found = _RELATIVE_APPOSITION.search(text, max(0, start - 70), start)
    if not found:
        return False
    if not found["possessive"]:
        return True
    sentence = text[max(0, found.start() - 120) : found.start()]
    sentence = re.split(r"[.!?\n]\s", sentence)[-1]
    return not _COLLEAGUE_EARLIER.search(sentence)


def _name_owner(text: str, start: int) -> str | None:
    """Whom the sentence before a name is about: a patient or relative, or a colleague."""
    begin = max(0, start - 160)
    for end in _CLAUSE_END.finditer(text, begin, start):
        if not _TITLE_ABBREVIATION.search(text, max(0, end.start() - 4), end.start()):
            begin = end.end()
    for found in reversed(list(_OWNER.finditer(text, begin, start))):
        if found.lastgroup == "patient":
            return _PATIENT_CLASS
        if found.lastgroup == "staff":
            return _STAFF
    # With nobody in its own sentence, a patient named in the sentence before is the one
    # named again: "… une usagère, Mme X, … Son vrai prénom est Mélina." A colleague there
    # decides nothing: "Le GPS des infirmières l'envoie ailleurs. Il s'appelle …".
    for found in _OWNER.finditer(text, max(0, begin - 200), begin):
        if found.lastgroup == "patient":
            return _PATIENT_CLASS
    return None
