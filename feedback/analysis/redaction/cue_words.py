"""The cue words right before a name, the nearest of which decides: a colleague's role, a title,
a patient's noun, a relation (a relative's noun, "chez", "de").

Each is read as the chain always read it; what it says is overruled only by what makes a relative,
a care home's resident, a place or a shop of the name.
"""

import re

from feedback.analysis.redaction.evidence import (
    _care_in_sentence,
    _documented_with,
    _recipient_at_work,
    _sentence,
)
from feedback.analysis.redaction.not_persons import _named_place
from feedback.analysis.redaction.patient_context import (
    _AGE_SET_OFF_AFTER,
    _ARTICLE_BEFORE,
    _DETERMINER_BEFORE,
    _HOLIDAYS,
    _INDEFINITE_BEFORE,
    _INITIALS_LIST_BEFORE,
    _NEWBORN_BEFORE,
    _PATIENT_AFTER,
    _PATIENT_NOUN_BEFORE,
    _PATIENT_STRONG_AFTER,
    _PATIENT_TITLE_BEFORE,
    _PATIENT_VOICE,
    _POSSESSIVE_RELATIVE_AFTER,
    _PREPOSITION_BEFORE,
    _RELATION_BEFORE,
    _RELATIVE_NOUN_BEFORE,
)
from feedback.analysis.redaction.reading import _UNDECIDED, _ends_with, _Reading, _Undecided
from feedback.analysis.redaction.runs import _Run
from feedback.analysis.redaction.staff_context import (
    _AGENT_BEFORE,
    _AGENT_HINT,
    _STAFF_APPOSITION,
    _STAFF_BEFORE,
    _TEACHING_BY,
    _TITLED_STAFF_DEED_AFTER,
    _WITH_HINT,
    _staff_after,
)
from feedback.analysis.redaction.vocabulary import (
    _DEFAULT,
    _PATIENT_CLASS,
    _ROLE,
    _SENTENCE_END,
    _STAFF,
    _Lazy,
    word_list,
)
from feedback.analysis.redaction.whose_name import _relative_named
from feedback.analysis.redaction.words import (
    _CUE,
    _GIVEN,
    _ORDINARY,
    _PLACE,
    _SURNAME,
    _UNKNOWN,
    _key,
    _Word,
)
from feedback.analysis.resources import common_words

_WORKS_AT = re.compile(
    r"\b(?i:travaill\w*|emploi|employée?s?|embauchée?s?|engagée?s?|stage|job|boulot|works?|"
    r"worked|working|employed)[ \t]+(?=[cC])"
)

_BOUGHT_AT = re.compile(
    r"\b(?i:command\w*|achet\w*|achats?|acquis\w*|fournis|livr[ée]e?s?|ordered|bought|"
    r"purchased)\b[^.!?\n]{0,20}[ \t]+(?=[cC])"
)

_LITTLE_BEFORE = re.compile(r"(?<![\w'’-])(?i:petite?s?|p['’]tite?s?|ptite?s?)[ \t]+$")

_OF_THE_PATIENT_AFTER = re.compile(
    r"[ \t]+(?i:de\s+la|du|de\s+l['’]|à\s+la|au|of\s+the)[ \t]+"
    r"(?i:patiente?|usag[èe]re?|r[ée]sidente?|client(?:e)?|dame|monsieur)\b"
)

_TRANSFER_BEFORE = re.compile(r"\b(?i:transferts?)[ \t]+(?i:de|du|d['’])[ \t]*$")
# Where a transfer goes, a place named in words, not a unit's acronym ("vers l'USI").
_TO_A_PLACE_AFTER = re.compile(
    r"[ \t]*(?:(?i:vers|à|au|jusqu['’]à)[ \t]+|[→>]|->)[ \t]*(?:(?i:l['’]|le|la)[ \t]*)?"
    r"(?:(?i:h[ôo]pital|centre|cisss|ciusss|chsld|clsc)[ \t]+(?:(?i:de|du|d['’])[ \t]*)?)?"
    r"[A-ZÀ-Þ][a-zà-ÿ]"
)

_CHEZ_BEFORE = re.compile(r"(?i:chez)\s*$")

_WHERE_BEFORE = re.compile(r"(?<![\w'’-])(?:[àÀ]|au|Au)[ \t]+$")

_WE_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?i:on\s+a|on\s+s['’]est|on\s+est|nous\s+avons|nous\s+sommes|we\s+)"
)

# Thanks in the sentence before a name: "Thanks to our resident Kevin for the quick fix".
_THANKED_BEFORE = re.compile(
    r"\b(?i:merci|thanks|thank|thx|bravo|kudos|f[ée]licitations|shout[\s-]?outs?)\b[^.!?\n]*$"
)

# A resident, in parentheses or placed in a room: "the resident (Margaret)", "the resident in
# 14, Agnes"; a physician has no bed. Nor does one live in a care home: "Resident at CHSLD
# Saint-Luc (Roy, Jean)", "a resident of Maple Manor nursing home, Ada".
_AT_CARE_HOME = (
    r"\s+(?i:at|of|in|from)\s+(?:(?i:the|our|a)\s+)?(?:[A-ZÀ-Þ][\w'’-]*\s+){0,3}"
    r"(?i:chsld|rpa|ri|nursing\s+home|care\s+home|long[\s-]term\s+care|ltc|seniors['’]?"
    r"\s+(?:home|residence)|r[ée]sidence|manor|lodge|villa|foyer)"
    r"(?:\s+(?:[A-ZÀ-Þ][\w'’-]*|(?i:de|du|des|la|le|of|the)))*?\s*,?"
)
_RESIDENT = re.compile(
    r"(?i:residents?)(?:\s+(?i:in|of|from)\s+(?:(?i:room|rm|bed)\s*)?#?\d{1,4}[A-Za-z]?\s*,"
    rf"|{_AT_CARE_HOME})?"
    # Set apart by a comma or a dash as much as by parentheses: "our resident, Jolene, fell".
    r"\s*[(,:—–-]?\s*$"
)

# A care home's resident, then a naming verb: "a resident at CHSLD Drummond named Jesus
# Castillo"; no physician is placed in a care home.
_CARE_HOME_RESIDENT_NAMED = re.compile(
    rf"(?i:residents?){_AT_CARE_HOME}\s*(?i:named|called|nomm[ée]e?|appel[ée]e?)\s*$"
)

_RESIDENT_APPOSITION = re.compile(r"(?i:residents?)\s*[,:(—–-]?\s*$")

# What a resident physician does in the clause after the name: orders, notes, calls, the
# software that fails them; a year of residency ("R2", "PGY-3") or a shift on call.
_PHYSICIAN_AFTER = re.compile(
    r"[^.!?\n]{0,60}?\b(?i:wrote|writes|write|ordered|orders|order|signed|signs|sign|co-?sign\w*|"
    r"charted|documented|entered|placed|prescribed|paged|called|asked|rounded|admitted\s+(?:him|her|"
    r"them|the)|discharged\s+(?:him|her|them|the)|examined|saw|sees|couldn['’]t|could\s+not|"
    r"can['’]t|cannot|was\s+unable|wasn['’]t\s+able|tried|logged|r[1-6]|pgy-?\d|on\s+call|"
    r"notes?|orders|consult\w*|rotation|staff|team|service|attending|fellow)\b"
)

# A resident worked with on the physicians' tools, in a sentence that speaks of no care:
# "Reviewed the sign-and-hold workflow with resident Chloé", "went over the order sets with our
# resident Omar". One keeps a care home's resident company ("sat with resident Agnes") on no
# workflow.
_TITLED_IN_SENTENCE = re.compile(r"\b(?:M|Mme|Mr|Mrs|Ms|Mlle)\.?[ \t]+(?:[A-ZÀ-Þ]|\[)")
_WITH_RESIDENT_BEFORE = re.compile(r"\b(?i:with|alongside)[ \t]+(?:(?i:the|our|a|my)[ \t]+)?$")
_PHYSICIAN_WORK_BEFORE = _Lazy(
    r"\b(?i:workflows?|orders|order\s+sets?|sign-and-hold|co-?sign\w*|pended|pending\s+orders|"
    r"bpas?|best\s+practice\s+alerts?|smart\s*(?:phrases?|sets?|texts?)|templates?|in-?basket|"
    r"charting|documentation|progress\s+notes?|notes\s+(?:template|writer)|handoffs?|sign-?outs?|"
    r"rounds|rounding|shadow\w*|reviewed|went\s+over|walked\s+(?:\w+\s+)?through|"
    r"trained|taught|showed)\b"
)


def _resident_at_work(text: str, run: _Run, start: int) -> bool:
    """Whether the resident before the name is worked with on the physicians' tools."""
    if not _WITH_RESIDENT_BEFORE.search(text, max(0, start - 12), start):
        return False
    begin = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), 0)
    return bool(
        _PHYSICIAN_WORK_BEFORE.search(text, begin, start)
        and not _care_in_sentence(text, run.start, run.end)
        # A patient named by title in the sentence is care, as their placeholder will be.
        and not _TITLED_IN_SENTENCE.search(text, begin, _sentence(text, run.start, run.end)[1])
    )


_TITLE_OF_STAFF = re.compile(r"(?i:dr|dre|drs|dres|docteure?|doctor|doc|prof|professeure?|pre?)\b")

# A sign-off after the last sentence: "Suggest IT check. — M. Roy".
_DASH_SIGNATURE_BEFORE = re.compile(r"[.!?)][ \t]*[-–—~][ \t]*$")

# A role that opens the note or a line, then a colon: who writes, not who is named.
_HEADER_ROLE = re.compile(r"(?:^|\n)[^\n:]{0,40}:[ \t]*(?:[A-ZÀ-Þ]\.[ \t]*)?$")

# A heading set off by a dash opens with the role itself, as a note's heading does ("Physio -
# ", "Commis 6B – "); a role after an article is one of the sentence ("La préposée - Mme Roy").
_LINE_START = re.compile(r"(?:^|\n)[ \t*•-]*$")

_HEADER_DASH = re.compile(r"[ \t][-–—][ \t]*$")

# The clause goes on in lower case after the name, maybe past an aside in parentheses (a given
# name, what she is known by), a room or bed number, or a given name after a comma, as "LAST,
# First" writes it: "physio : M. Roy, Jean marche 20 m", "Physio - Mme Roy 412 levée".
_CLAUSE_GOES_ON = re.compile(
    r"[ \t]*(?:\([^()\n]{1,60}\)[ \t]*|,[ \t]*[A-ZÀ-Þ][\w'’-]+[ \t]+|\d{1,4}[A-Za-z]?[ \t]+)?"
    r"[a-zà-ÿ]"
)

# A role after a patient's title and name, then a verb with no stop between them, is the
# subject of the next clause, not the name's apposition: "le dossier de M. Roy, inf a perdu
# sa note", "Mrs. Lee, nurse has paged twice". A colleague's role closes: "M. Roy, inf., a".
_ROLE_OPENS_CLAUSE = _Lazy(
    rf"\s*,\s*(?:(?i:la|le|l['’]|the|une?|an?|notre|our)\s*)?(?i:{_ROLE})[ \t]+"
    r"(?i:a|ont|est|sont|avait|[ée]tait|va|vient|has|had|is|was|were|will|did)[ \t]+[a-zà-ÿ]"
)


def _heading_role(text: str, apposition: re.Match) -> bool:
    """The role heads the note or a line, after it a colon, or a dash where it opens the line."""
    if _HEADER_ROLE.search(text, 0, apposition.end()):
        return True
    return bool(
        _HEADER_DASH.search(apposition.group())
        and _LINE_START.search(text, 0, apposition.start())
        and not _THANKS_OPENS.match(apposition.group())
    )


_THANKS_OPENS = re.compile(r"(?i:merci|thank|bravo|kudos|f[ée]licitations|shout)")


# A role's complement that says whose the service is: "physio de", "OT notes for".
_SERVICE_OF_BEFORE = re.compile(r"(?i:\b(?:de|d['’]|du|for|of))[ \t]*$")


def _after_staff_role(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A colleague's role before the name, unless a relative or a care home's resident bears it."""
    single, word, after, cues = reading.single, reading.word, reading.after, reading.cues
    if not cues:
        return _UNDECIDED
    staff = _ends_with(_STAFF_BEFORE, text, cues, run.start)
    if staff and not run.title and _documented_with(text, run.start):
        staff = None  # "documenter une rencontre avec X": an encounter charted is a client's
    if staff and _relative_named(text, staff.start()):
        # A relative named with a title is still the relative: "Le conjoint de la patiente,
        # Dr Roger Lavoie, a appelé", "Her husband, Dr. Paul Martin, wants an update".
        return _PATIENT_CLASS
    if staff and _parent_in_childs_story(text, run, reading, staff):
        return _PATIENT_CLASS
    if (
        staff
        and not run.title
        and _SERVICE_OF_BEFORE.search(staff.group())
        and _AGE_SET_OFF_AFTER.match(after)
    ):
        # A role then "de", "for" names the service a patient gets, not who gives it, where an
        # age follows the name: "les notes de physio de Jimmy Caron (16 ans)".
        return _PATIENT_CLASS
    if staff and not (
        # An English "resident" lives in a care home too: unless the clause after the name
        # shows a physician at work ("wrote the notes", "R2"), the resident is a patient.
        _RESIDENT.match(staff.group())
        and (
            _PATIENT_AFTER.match(after)
            or not _PHYSICIAN_AFTER.match(after)
            and not _resident_at_work(text, run, staff.start())
        )
        # A meeting with someone's son is about that someone: "meeting with X's son".
        or _POSSESSIVE_RELATIVE_AFTER.match(after)
        and not _TITLE_OF_STAFF.match(staff.group())
    ):
        return _STAFF
    if (
        staff
        and _RESIDENT.match(staff.group())
        and not _staff_after(after)
        and not _THANKED_BEFORE.search(text, max(0, run.start - 60), run.start)
    ):
        # The resident who is no physician at work lives in a care home: "the resident
        # (Margaret) was upset about her tray"; what the sentence says of work may still
        # make them a colleague, as for a full name with no cue. Set apart by commas, a name
        # no list knows is theirs where what follows befalls only a patient: "our resident,
        # Jolene, fell at 0230".
        if word.listed or not single:
            return _DEFAULT
        return _PATIENT_CLASS if _PATIENT_AFTER.match(after.removeprefix(",")) else None
    return _UNDECIDED


# A parent's noun opening a sentence, the way "Père", "Mother" also title a priest or a nun.
_PARENT_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)(?:P[èe]re|M[èe]re|Father|Mother)\s+$")

# A child's story: a child's noun or an age that only a child has, earlier in the text.
_CHILD_STORY = re.compile(
    r"\b(?i:petite?|p['’]tite?|ptite?|b[ée]b[ée]|bb|enfant|fillette|gar[çc]on|nourrisson|"
    r"nouveau-n[ée]e?|baby|infant|toddler|child|kid|little\s+(?:boy|girl))\b"
    r"|\b(?:1[0-7]|[1-9])[ \t]*(?i:ans|an|yo|y/o|years?[ \t]+old)\b"
    r"|\b\d{1,2}[ \t]*(?i:mois|mo|months?|semaines|sem|weeks?|jours|days)\b"
)

# What a chaplain does beside a child: "Père Gilles Roy est venu le bénir", "Father Tom prayed".
_CHAPLAIN_DEED = re.compile(
    r"(?i:b[ée]ni|b[ée]nir|bless|pri[èe]re|pri[ée]|pray|onction|sacrement|sacrament|bapt|"
    r"aum[ôo]n|chaplain|pastoral|spirituel|spiritual|communion|confess)"
)


def _parent_in_childs_story(text: str, run: _Run, reading: _Reading, staff: re.Match) -> bool:
    """Whether "Père", "Mère", "Father" or "Mother" opening a sentence of a child's story,
    before a given name and a surname, names the child's parent rather than a priest or a nun:
    "Petit Loïc, 2 ans, brûlé. Père Kevin Charbonneau, n'a pas la carte". A priest is "le père
    Untel" or a given name alone, and a chaplain's visit says what he came to do."""
    if (
        reading.single
        or not reading.word.flags & _GIVEN
        or not _PARENT_OPENS_SENTENCE.search(text, max(0, staff.start() - 4), run.start)
    ):
        return False
    sentence_end = _SENTENCE_END.search(text, run.end)
    sentence = text[run.end : sentence_end.start() if sentence_end else len(text)]
    return bool(
        _CHILD_STORY.search(text, 0, staff.start()) and not _CHAPLAIN_DEED.search(sentence)
    )


def _after_title(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A title before the name: a patient's, unless a role, a deed, a signature or a request at work
    says a colleague's."""
    cues = reading.cues
    if not cues:
        return _UNDECIDED
    title = _ends_with(_PATIENT_TITLE_BEFORE, text, cues, run.start)
    if title and _INITIALS_LIST_BEFORE.search(text, max(0, title.start() - 40), title.start()):
        title = None  # "A. Benjelloun, M. Kovalenko": an initial among initials, no title
    if title:
        apposition = _staff_apposition(text, reading, title)
        if _relative_named(text, title.start()):
            run.title = True
            return _PATIENT_CLASS  # "Sa fille, Mme Julie Roy, infirmière à l'urgence"
        if _titled_colleague(text, run, reading, title, apposition):
            return _STAFF
        if title["particle"] and _ARTICLE_BEFORE.search(
            text, max(0, title.start() - 8), title.start()
        ):
            return None  # "le monsieur de Mistissini": a noun, and where he comes from
        run.title = True
        if title["particle"]:
            particle = title["particle"].rstrip()
            start = title.start("particle")
            run.words.insert(0, _Word(start, start + len(particle), particle))
        return _PATIENT_CLASS
    return _UNDECIDED


_FULL_WORD_STOP = re.compile(r"(?P<word>[^\W\d_]{2,})\.\s+$")


def _staff_apposition(text: str, reading: _Reading, title: re.Match) -> re.Match | None:
    """A colleague's role set before the title, as "La formatrice, Mme Lise Côté" has it; not a
    care home's resident, nor a role heading the note whose sentence is about the titled name."""
    after, cues = reading.after, reading.cues
    earlier = [cue for cue in cues if cue < title.start()]
    apposition = _ends_with(_STAFF_APPOSITION, text, earlier, title.start())
    stop = apposition and _FULL_WORD_STOP.search(apposition.group())
    if stop and len(stop["word"]) > 4 and _key(stop["word"]) in common_words():
        # The stop after a whole word ends its sentence ("pas les interprètes. Mme Abdi ne
        # parle que le somali"); only an abbreviation's runs on ("inf. Mme Roy").
        apposition = None
    if apposition and _RESIDENT_APPOSITION.match(apposition.group()):
        apposition = None  # "The resident, Mr Lo Russo": no physician is a "Mr"
    if apposition and _heading_role(text, apposition) and _CLAUSE_GOES_ON.match(after):
        # A role heading the note signs the writer, and the sentence after the titled
        # name is about that person: "physio : M. Roy (Jean) marche 20 m", a patient.
        apposition = None
    return apposition


def _titled_colleague(
    text: str, run: _Run, reading: _Reading, title: re.Match, apposition: re.Match | None
) -> bool:
    """Whether a titled name is a colleague's: a role beside it, a deed of the unit, a signature
    after a dash, training given or work done together, or a request sent to them at work."""
    after = reading.after
    if apposition or (_staff_after(after, deeds=False) and not _ROLE_OPENS_CLAUSE.match(after)):
        return True  # "La formatrice, Mme Lise Côté, ..."
    if _TITLED_STAFF_DEED_AFTER.match(after):
        return True  # "Mme Gosselin nous a présenté le nouveau flux"
    if (
        not after.strip(" \t.!")
        and _DASH_SIGNATURE_BEFORE.search(text, max(0, title.start() - 12), title.start())
        and not _PATIENT_VOICE.search(text, 0, title.start())
    ):
        return True  # a writer signs with a title too, after a dash: "— M. Roy"
    if (
        _AGENT_HINT.search(text, max(0, title.start() - 5), title.start())
        and (
            _AGENT_BEFORE.search(text, max(0, title.start() - 40), title.start())
            or _TEACHING_BY.search(text, max(0, title.start() - 90), title.start())
        )
        and not _PATIENT_AFTER.match(after)
    ) or (
        _WITH_HINT.search(text, max(0, title.start() - 6), title.start()) and _WE_AFTER.match(after)
    ):
        # "formation donnée par Mme Caron", "Avec Mme Picard on a refait le gabarit"
        return True
    # "Demande envoyée à Mme Roy", with no care in the sentence.
    return bool(_recipient_at_work(text, title.start(), run.end))


def _after_patient_noun(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A patient's noun before the name makes it the patient's, an unknown word alone included."""
    single, word, after, cues = reading.single, reading.word, reading.after, reading.cues
    if not cues:
        return _UNDECIDED
    if _ends_with(_PATIENT_NOUN_BEFORE, text, cues, run.start):
        if single and not word.listed and (word.upper or not word.capital):
            # After a patient's noun, a word that no dictionary knows is a name.
            # Not after "un patient": "pour un patient dénutri" describes a kind.
            # In capitals, an acronym ("pt AVC") unless too long or compound for one:
            # "pt LEBLANC-NAPPAAALUK".
            # A cue word of its own is what the patient has: "the patient armband".
            unknown = (
                word.flags & _UNKNOWN
                and not word.flags & _CUE
                and (not word.upper or len(word.raw) > 6 or "-" in word.raw)
            )
            some = _INDEFINITE_BEFORE.search(text, max(0, run.start - 30), run.start)
            return _PATIENT_CLASS if unknown and not some else None
        if _staff_after(after, deeds=False):
            return _STAFF  # "le comité des usagers (Jacques Poirier, président)"
        return _PATIENT_CLASS
    return _UNDECIDED


def _after_relation(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A relation before the name (a relative, "chez", "de"): a patient's or a relative's, unless it
    opens a place, a shop or a small thing."""
    single, word, after, cues = reading.single, reading.word, reading.after, reading.cues
    if not cues:
        return _UNDECIDED
    relation = _ends_with(_RELATION_BEFORE, text, cues, run.start)
    if not relation or _relation_says_where(text, run, reading, relation):
        return _UNDECIDED
    unknown = _named_after_relation(text, run, reading) and not (
        not word.listed and _small_thing(text, run, reading)
    )
    relative = _RELATIVE_NOUN_BEFORE.search(text, max(0, run.start - 20), run.start)
    if relative and _RELIGIOUS_KIN.search(relative.group()) and _RELIGIOUS_ROLE_AFTER.match(after):
        return _STAFF  # "le père Lucien Gagné, aumônier": a priest, a kin word only in form
    if not relative and _staff_after(after, deeds=False):
        # "le suivi de Julie Roy, infirmière pivot"; but "son fils Marc, qui est
        # préposé ici" is a relative who works here.
        return _STAFF
    return _PATIENT_CLASS if word.listed or not single or unknown else None


# The kin words that also title a priest, a nun or a brother, and the role that says which.
_RELIGIOUS_KIN = re.compile(
    r"(?i:p[èe]re|m[èe]re|fr[èe]re|s(?:œ|oe)ur|father|mother|brother|sister)"
)
_RELIGIOUS_ROLE_AFTER = re.compile(
    r"[ \t]*[,(—–-][ \t]*(?:(?i:l['’]|le|la|the|our|notre|an?)[ \t]*)?"
    r"(?i:aum[ôo]ni(?:er|[èe]re)|chaplain|pr[êe]tre|priest|cur[ée]|religieuse|nun|pastorale?|"
    r"pastoral|intervenante?\s+en\s+soins\s+spirituels|spiritual\s+care)\b"
)


def _relation_says_where(text: str, run: _Run, reading: _Reading, relation: re.Match) -> bool:
    """Whether the relation before a single word opens where someone goes or lives (a shop "chez"
    Bell, a relative's city in parentheses) rather than whose name it is."""
    single, word, after = reading.single, reading.word, reading.after
    return bool(
        single
        and word.flags & (_ORDINARY | _PLACE)
        and not word.flags & _GIVEN
        and (
            # A shop, a bank or a carrier is where one goes "chez" as much as a home:
            # "chez Bell", "chez Desjardins"; a dictionary word alone there is no name.
            _CHEZ_BEFORE.search(relation.group())
            and word.flags & _ORDINARY
            and (
                not word.flags & _SURNAME
                or _key(word.raw) in word_list("ambiguous_lower")
                # A surname the dictionary also knows is a home's only where care is said,
                # and never where one works: "elle travaille chez Desjardins".
                or not _care_in_sentence(text, run.start, run.end)
                or _WORKS_AT.search(text, max(0, relation.start() - 30), relation.start() + 1)
                # Where things are bought is a shop: "commande passée chez Brady".
                or _BOUGHT_AT.search(text, max(0, relation.start() - 30), relation.start() + 1)
            )
            # Where a relative lives, set in parentheses: "le fils (Londres)"; but a name
            # that is also a word is the relative's there: "his daughter (Daisy)".
            or text[max(0, run.start - 2) : run.start].strip() == "("
            and _key(word.raw) not in word_list("ambiguous_lower")
        )
        and not _PATIENT_AFTER.match(after)
        # A transfer from one place to another names the hospitals, the one it leaves by its
        # short name as much as the one it reaches: "transfert de Fleury vers
        # Maisonneuve-Rosemont"; a patient transferred is titled ("transfert de Mme Fleury").
        or single
        and word.capital
        and not word.flags & _GIVEN
        and _TRANSFER_BEFORE.search(relation.group())
        and _TO_A_PLACE_AFTER.match(text, run.end)
        # A country or a city that is also a given name, alone in parentheses after the
        # relative, says where they live: "le frère (France)", "the son (Georgia)".
        or single
        and text[max(0, run.start - 2) : run.start].strip() == "("
        and text[run.end : run.end + 2].strip().startswith(")")
        and _key(word.raw) in word_list("places_named_like_people")
    )


def _named_after_relation(text: str, run: _Run, reading: _Reading) -> bool:
    """Whether the first word after a relation is a name: one no list knows after a relative's
    noun, one a dictionary knows right after the relation, or one whose bearer acts as a
    patient."""
    word, after = reading.word, reading.after
    # A word no list knows right after the relative ("daughter Iryna"), not after a
    # preposition ("médecins de famille de la Haute-Gaspésie").
    return bool(
        word.capital
        and not word.upper
        and not _PREPOSITION_BEFORE.search(text, max(0, run.start - 8), run.start)
        and (
            not word.flags & _ORDINARY
            # after "jumeaux", "baby girl", "her partner": a name even if also a word
            or _NEWBORN_BEFORE.search(text, max(0, run.start - 20), run.start)
            or _RELATIVE_NOUN_BEFORE.search(text, max(0, run.start - 20), run.start)
        )
        # A name that is also a word, right after the relation rather than after an
        # article: "la fille de Blanc", "sortie de Hope", "room 7, Faith"; not a
        # holiday ("congé de Noël"), nor a drug no dictionary knows ("dose de Lasix").
        or word.capital
        and not word.upper
        and _key(word.raw) in word_list("ambiguous_lower")
        and _key(word.raw) not in _HOLIDAYS
        and not _DETERMINER_BEFORE.search(text, max(0, run.start - 8), run.start)
        # Where a relative is, not whose: "(nièce à Paris)".
        and not _WHERE_BEFORE.search(text, max(0, run.start - 4), run.start)
        # A word whose bearer gives a sample or has a relative is a person's name even
        # when a dictionary knows it: "labels for Hutchinson's blood cultures".
        or word.capital
        and not word.upper
        and not _DETERMINER_BEFORE.search(text, max(0, run.start - 8), run.start)
        and _PATIENT_STRONG_AFTER.match(after)
        and not _named_place(text, run)
    )


def _small_thing(text: str, run: _Run, reading: _Reading) -> bool:
    """Whether "le p'tit", "les p'tits" before a word no list knows calls a thing small rather
    than a patient by a nickname."""
    after = reading.after
    # "le p'tit Tylenol", "les p'tits Velcro des culottes": small things are
    # called so too; a nickname is known by what its bearer does or where they lie.
    return bool(
        _LITTLE_BEFORE.search(text, max(0, run.start - 10), run.start)
        and not _PATIENT_AFTER.match(after)
        and (
            not _care_in_sentence(text, run.start, run.end)
            # What is the patient's is no patient: "le p'tit Tylenol de la patiente".
            or _OF_THE_PATIENT_AFTER.match(after)
        )
    )
