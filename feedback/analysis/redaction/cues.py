"""The cue word that says what an identifier-shaped number is: the nearest one before it in its
clause. Of "code d'usager" the head noun speaks, a verb between a thing and a number cuts them
apart, and a number of the same list shares its cue.
"""

import re
from functools import lru_cache

from feedback.analysis.redaction.vocabulary import DOSSIER, PATIENT, _Lazy, _word_set
from feedback.analysis.redaction.words import _GIVEN, _flags
from feedback.analysis.resources import load_json
from feedback.analysis.text import fold

# What a number is, read from the nearest cue word before it: a chart (dossier, MRN), its
# owner (a patient, a relative, a wristband), a bare "no" or "#" that says nothing by itself, a
# date of birth, or anything else that numbers things (lots, orders, tickets, devices, phones).
# Rooms, beds and extensions only claim short numbers: "room 0551823" is a chart number typed
# in the wrong field.
_CHART_CUE, _OWNER_CUE, _WEAK_CUE, _OTHER_CUE, _SMALL_CUE, _BIRTH_ID_CUE, _CONTACT_CUE = (
    "chart",
    "owner",
    "weak",
    "other",
    "small",
    "birth",
    "contact",
)
# "ID" alone names no chart: the noun before it says whose it is ("patient ID", "employee ID").
_LABEL_CUE = "label"
# Nouns that are verbs too ("build", "release", "patch") name only the number right after them.
_RELEASE_CUE = "release"


_CUE_TOKEN = _Lazy(
    r"\[[A-ZÉ ]+\]|[^\W\d_]+(?:/[^\W\d_]+)?(?:#|\.)?|n[°º]|#|\d+(?:[\s./-]\d+)*[^\W\d_]*"
)

_OF = frozenset({"de", "d", "du", "des", "of", "la", "le", "l", "les", "the"})

# Phrases whose noun numbers nothing.
_IDIOMS = frozenset({("in", "case"), ("en", "cas"), ("au", "cas"), ("just", "case")})

# A contact's noun after these names the channel something was said through, not the number:
# "demandé son numéro de dossier au téléphone (33410)", "gave the MRN over the phone".
_CHANNEL_BEFORE = frozenset({"au", "par", "by", "via", "over"})
_CHANNEL_NOUNS = frozenset({"telephone", "tel", "phone", "cell", "cellulaire", "fax"})

_FINITE_VERBS = _word_set(
    """
    est sont etait etaient sera a ont avait avaient dit disent affiche indique montre is are was
    were has have had says said shows reads read lists gives donne
    """
)

_CLAUSE_BREAK = re.compile(r"[.!?](?:\s|$)|\n")

# What stands between a question and the number that answers it: a dash, an arrow, "R :".
_ANSWER_GAP = re.compile(
    r"[^\w\n]*(?:(?i:r|r[ée]p|r[ée]ponse|answer|ans|a)[ \t]*[:.][^\w\n]*"
    r"|(?i:c['’]est|it['’]s|ah\s+oui|oui|yes)\b[^\w\n]*)?"
)

_ID_ABBREVIATION = re.compile(
    r"\b(?i:m|dr|dre|mr|mrs|ms|mme|mlle|st|ste|inf|ext|no|n|dos|doss|t[ée]l|ch|r[ée]f|num|pt|"
    r"pte|app|env|approx)$"
)


def _nearest_cue(before: str, limit: int = 7) -> tuple[str | None, bool, int]:
    """The class of the closest cue word before a number in its clause, whether a bare "no" or
    "#" came closer, and how many words away the cue stands. Of "code d'usager", "lot du
    patient", the head noun speaks; a number of the same list shares the list's cue."""
    opening = 0
    for cut in _CLAUSE_BREAK.finditer(before):
        if cut.group()[0] == "?" and _ANSWER_GAP.fullmatch(before, cut.end()):
            continue  # the answer to a question: "quel est son no de dossier? 0045871"
        if not _ID_ABBREVIATION.search(before, max(0, cut.start() - 7), cut.start()):
            opening = cut.end()
    tokens = _CUE_TOKEN.findall(before, opening)[-limit:]
    weak = verb = False
    for distance, index in enumerate(range(len(tokens) - 1, -1, -1)):
        token = tokens[index]
        if token[0] == "[":
            # A chart number or a patient just named owns the next number of the list.
            if token == DOSSIER and distance <= 2:
                return _CHART_CUE, weak, distance
            if token == PATIENT and distance <= 2:
                return _OWNER_CUE, weak, distance
            return None, weak, distance
        if token[0].isdigit():
            continue  # a number of the same list shares its cue
        kind = _cue_kind(token)
        if kind and index and (fold(tokens[index - 1]), fold(token)) in _IDIOMS:
            kind = None  # "in case we need it", "au cas où": no case, no file
        if kind == _CONTACT_CUE and _channel(tokens, index):
            kind = None  # "au téléphone", "over the phone": how it was said, not what
        if kind == _LABEL_CUE:
            head = index - 1
            while head >= 0 and fold(tokens[head]).rstrip(".") in _OF:
                head -= 1
            owner = _cue_kind(tokens[head]) if head >= 0 else None
            if owner in (_CHART_CUE, _OWNER_CUE):
                return owner, weak, distance
            return _LABEL_CUE, weak, distance
        if kind == _RELEASE_CUE:
            if distance <= 1:
                return _OTHER_CUE, weak, distance
            continue
        if kind == _WEAK_CUE:
            weak = True
        elif kind is None and fold(token) in _FINITE_VERBS:
            verb = distance > 0  # right before the number, a copula: "son matricule est 1045"
        elif kind and not (
            kind in (_OTHER_CUE, _SMALL_CUE, _CONTACT_CUE) and (distance > 4 or verb)
        ):
            # A thing claims the number that names it, not one said of it across a verb: "lot
            # 2215874", "son numéro d'employé est 104522", but not "sur le formulaire c'est
            # écrit 819 555 0199".
            head = index - 1
            while head >= 0 and fold(tokens[head]).rstrip(".") in _OF:
                head -= 1
            if head < index - 1 and head >= 0:
                outer = _cue_kind(tokens[head])
                if outer and outer != _WEAK_CUE and outer != kind:
                    return outer, weak, distance
            return kind, weak, distance
    return None, weak, limit


def _channel(tokens: list[str], index: int) -> bool:
    """Whether the contact's noun at ``index``, by the words before it, names the means of a
    call: "au téléphone", "par tél.", "by phone", "over the phone", "on the phone"."""
    if fold(tokens[index]).rstrip(".") not in _CHANNEL_NOUNS or not index:
        return False
    before = fold(tokens[index - 1])
    if before == "the" and index > 1:
        return fold(tokens[index - 2]) in ("over", "on")
    return before in _CHANNEL_BEFORE


def _cue_kind(token: str) -> str | None:
    key = fold(token)
    if token[0].isupper() and token[1:].islower() and _flags(key) & _GIVEN:
        return None  # a given name, not a noun: "sa sœur Line au 450-…"
    if key.endswith("#"):
        return _id_cues().get(key[:-1]) or _WEAK_CUE
    return _id_cues().get(key) or _id_cues().get(key.rstrip("."))


@lru_cache(maxsize=1)
def _id_cues() -> dict[str, str]:
    """Each cue word, folded, and the class of number it names (redaction_words.json)."""
    groups = load_json("redaction_words.json")["number_cues"]
    return {fold(word): kind for kind, words in groups.items() for word in words}
