"""One run of name-like words read in its context: a colleague's, a patient's (or a relative's),
a full name that nothing explains, or nobody's.

The nearest and most specific cue wins: a training or a deed that only a colleague does, a
label or a naming verb, a contact judged a colleague's, then the words before the name (a role,
a title, a patient's or a relative's noun, a relation), then the words after it (a role, a
clinical event, a bed, an identifier).
"""

import re

from feedback.analysis.redaction.evidence import (
    _care_in_sentence,
    _documented_with,
    _recipient_at_work,
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
    _HOLIDAYS,
    _INDEFINITE_BEFORE,
    _INITIALS_LIST_BEFORE,
    _MOVED_BEFORE,
    _NAME_LABEL_BEFORE,
    _NAME_LABEL_HINT,
    _NAMING_BEFORE,
    _NAMING_HINT,
    _NEWBORN_BEFORE,
    _PATIENT_AFTER,
    _PATIENT_NOUN_BEFORE,
    _PATIENT_STRONG_AFTER,
    _PATIENT_TITLE_BEFORE,
    _PATIENT_VOICE,
    _PERSON_EVENT_AFTER,
    _PLACE_BEFORE,
    _POSSESSIVE_RELATIVE_AFTER,
    _PREPOSITION_BEFORE,
    _RELATION_BEFORE,
    _RELATIVE_NOUN_BEFORE,
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
    _STAFF_APPOSITION,
    _STAFF_BEFORE,
    _TEACHING_BY,
    _TITLED_STAFF_DEED_AFTER,
    _TRAINING_WITH,
    _WITH_HINT,
    _named_in_staff_role,
    _staff_after,
)
from feedback.analysis.redaction.vocabulary import (
    _DEFAULT,
    _FAMILY,
    _PATIENT_CLASS,
    _ROLE,
    _STAFF,
    _Lazy,
    word_list,
)
from feedback.analysis.redaction.whose_name import _name_owner, _relative_named
from feedback.analysis.redaction.words import (
    _CAMEL_CASE,
    _COMMON,
    _CUE,
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
    if staff and not (
        # An English "resident" lives in a care home too: unless the clause after the name
        # shows a physician at work ("wrote the notes", "R2"), the resident is a patient.
        _RESIDENT.match(staff.group())
        and (_PATIENT_AFTER.match(after) or not _PHYSICIAN_AFTER.match(after))
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
        # make them a colleague, as for a full name with no cue.
        return _DEFAULT if word.listed or not single else None
    return _UNDECIDED


def _after_title(text: str, run: _Run, reading: _Reading) -> str | None | _Undecided:
    """A title before the name: a patient's, unless a role, a deed, a signature or a request at work
    says a colleague's."""
    after, cues = reading.after, reading.cues
    if not cues:
        return _UNDECIDED
    title = _ends_with(_PATIENT_TITLE_BEFORE, text, cues, run.start)
    if title and _INITIALS_LIST_BEFORE.search(text, max(0, title.start() - 40), title.start()):
        title = None  # "A. Benjelloun, M. Kovalenko": an initial among initials, no title
    if title:
        earlier = [cue for cue in cues if cue < title.start()]
        apposition = _ends_with(_STAFF_APPOSITION, text, earlier, title.start())
        if apposition and _RESIDENT_APPOSITION.match(apposition.group()):
            apposition = None  # "The resident, Mr Lo Russo": no physician is a "Mr"
        if apposition and _heading_role(text, apposition) and _CLAUSE_GOES_ON.match(after):
            # A role heading the note signs the writer, and the sentence after the titled
            # name is about that person: "physio : M. Roy (Jean) marche 20 m", a patient.
            apposition = None
        if _relative_named(text, title.start()):
            run.title = True
            return _PATIENT_CLASS  # "Sa fille, Mme Julie Roy, infirmière à l'urgence"
        if apposition or (_staff_after(after, deeds=False) and not _ROLE_OPENS_CLAUSE.match(after)):
            return _STAFF  # "La formatrice, Mme Lise Côté, ..."
        if _TITLED_STAFF_DEED_AFTER.match(after):
            return _STAFF  # "Mme Gosselin nous a présenté le nouveau flux"
        if (
            not after.strip(" \t.!")
            and _DASH_SIGNATURE_BEFORE.search(text, max(0, title.start() - 12), title.start())
            and not _PATIENT_VOICE.search(text, 0, title.start())
        ):
            return _STAFF  # a writer signs with a title too, after a dash: "— M. Roy"
        if (
            _AGENT_HINT.search(text, max(0, title.start() - 5), title.start())
            and (
                _AGENT_BEFORE.search(text, max(0, title.start() - 40), title.start())
                or _TEACHING_BY.search(text, max(0, title.start() - 90), title.start())
            )
            and not _PATIENT_AFTER.match(after)
        ) or (
            _WITH_HINT.search(text, max(0, title.start() - 6), title.start())
            and _WE_AFTER.match(after)
        ):
            # "formation donnée par Mme Caron", "Avec Mme Picard on a refait le gabarit"
            return _STAFF
        if _recipient_at_work(text, title.start(), run.end):
            return _STAFF  # "Demande envoyée à Mme Roy", with no care in the sentence
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
    if (
        relation
        and single
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
        # A country or a city that is also a given name, alone in parentheses after the
        # relative, says where they live: "le frère (France)", "the son (Georgia)".
        or relation
        and single
        and text[max(0, run.start - 2) : run.start].strip() == "("
        and text[run.end : run.end + 2].strip().startswith(")")
        and _key(word.raw) in word_list("places_named_like_people")
    ):
        relation = None
    if relation:
        # A word no list knows right after the relative ("daughter Iryna"), not after a
        # preposition ("médecins de famille de la Haute-Gaspésie").
        unknown = (
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
        if (
            unknown
            and not word.listed
            and _LITTLE_BEFORE.search(text, max(0, run.start - 10), run.start)
            and not _PATIENT_AFTER.match(after)
            and (
                not _care_in_sentence(text, run.start, run.end)
                # What is the patient's is no patient: "le p'tit Tylenol de la patiente".
                or _OF_THE_PATIENT_AFTER.match(after)
            )
        ):
            # "le p'tit Tylenol", "les p'tits Velcro des culottes": small things are
            # called so too; a nickname is known by what its bearer does or where they lie.
            unknown = False
        relative = _RELATIVE_NOUN_BEFORE.search(text, max(0, run.start - 20), run.start)
        if not relative and _staff_after(after, deeds=False):
            # "le suivi de Julie Roy, infirmière pivot"; but "son fils Marc, qui est
            # préposé ici" is a relative who works here.
            return _STAFF
        return _PATIENT_CLASS if word.listed or not single or unknown else None
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

_WORKS_AT = re.compile(
    r"\b(?i:travaill\w*|emploi|employée?s?|embauchée?s?|engagée?s?|stage|job|boulot|works?|"
    r"worked|working|employed)[ \t]+(?=[cC])"
)

_BOUGHT_AT = re.compile(
    r"\b(?i:command\w*|achet\w*|achats?|acquis\w*|fournis|livr[ée]e?s?|ordered|bought|"
    r"purchased)\b[^.!?\n]{0,20}[ \t]+(?=[cC])"
)

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

_LITTLE_BEFORE = re.compile(r"(?<![\w'’-])(?i:petite?s?|p['’]tite?s?|ptite?s?)[ \t]+$")

_OF_THE_PATIENT_AFTER = re.compile(
    r"[ \t]+(?i:de\s+la|du|de\s+l['’]|à\s+la|au|of\s+the)[ \t]+"
    r"(?i:patiente?|usag[èe]re?|r[ée]sidente?|client(?:e)?|dame|monsieur)\b"
)

_CHEZ_BEFORE = re.compile(r"(?i:chez)\s*$")

_WHERE_BEFORE = re.compile(r"(?<![\w'’-])(?:[àÀ]|au|Au)[ \t]+$")


_TO_HINTS = frozenset({" à ", " a ", "au ", " A ", " À ", "to ", "To ", "AU ", "Au "})

# A test, an order or a dose done on someone, or a requisition in someone's name.
_ORDERED_ON = re.compile(
    r"\b(?i:ordered|ordering|order|drew|drawn|ran|run|did|done|charted|documented|gave|given|"
    r"hung|started|scanned|placed|booked)\b[^.!?\n;,]{0,30}\b(?i:on)[ \t]+$"
    r"|\b(?i:requ[êe]te|r[ée]quisition|ordonnance|commande|prescription)s?\b[^.!?\n;]{0,20}"
    r"\b(?i:au\s+nom\s+d[e'’])[ \t]*$"
)

_UNIT_AFTER = re.compile(r"[ \t]+(?i:unit|wing|floor|ward|team|service|building|tower)\b")

_WE_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?i:on\s+a|on\s+s['’]est|on\s+est|nous\s+avons|nous\s+sommes|we\s+)"
)
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


# Thanks in the sentence before a name: "Thanks to our resident Kevin for the quick fix".
_THANKED_BEFORE = re.compile(
    r"\b(?i:merci|thanks|thank|thx|bravo|kudos|f[ée]licitations|shout[\s-]?outs?)\b[^.!?\n]*$"
)
# A resident, in parentheses or placed in a room: "the resident (Margaret)", "the resident in
# 14, Agnes"; a physician has no bed. Nor does one live in a care home: "Resident at CHSLD
# Saint-Luc (Roy, Jean)", "a resident of Maple Manor nursing home, Ada".
_RESIDENT = re.compile(
    r"(?i:residents?)(?:\s+(?i:in|of|from)\s+(?:(?i:room|rm|bed)\s*)?#?\d{1,4}[A-Za-z]?\s*,"
    r"|\s+(?i:at|of|in|from)\s+(?:(?i:the|our|a)\s+)?(?:[A-ZÀ-Þ][\w'’-]*\s+){0,3}"
    r"(?i:chsld|rpa|ri|nursing\s+home|care\s+home|long[\s-]term\s+care|ltc|seniors['’]?"
    r"\s+(?:home|residence)|r[ée]sidence|manor|lodge|villa|foyer)"
    r"(?:\s+(?:[A-ZÀ-Þ][\w'’-]*|(?i:de|du|des|la|le|of|the)))*?\s*,?)?"
    r"\s*\(?\s*$"
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
_TITLE_OF_STAFF = re.compile(r"(?i:dr|dre|drs|dres|docteure?|doctor|doc|prof|professeure?|pre?)\b")


# A sign-off after the last sentence: "Suggest IT check. — M. Roy".
_DASH_SIGNATURE_BEFORE = re.compile(r"[.!?)][ \t]*[-–—~][ \t]*$")
_SENTENCE_BEFORE = re.compile(r"[.!?][ \t]+$")
# Where a writer works, in capitals after the signature: ", CSSS", ", CIUSSS-EMTL".
_INSTITUTION_AFTER = re.compile(r"[ \t]*,[ \t]*[A-ZÀ-Þ][A-ZÀ-Þ0-9&-]{1,11}[ \t.!]*")

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
