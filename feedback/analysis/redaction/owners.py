"""Whose a contact (a phone number, an e-mail address) is: a word just after it that names it, or
the closest owner word before it (a patient or relative noun makes it theirs; a role, a title,
a service or an imperative to call makes it a colleague's).
"""

import re

from feedback.analysis.redaction.vocabulary import (
    _CLAUSE_END,
    _DEPARTMENT,
    _FRENCH_RESIDENT,
    _PATIENT_CLASS,
    _RELATIVE,
    _ROLE,
    _SERVICE,
    _STAFF,
    _TITLE_ABBREVIATION,
    _Lazy,
    word_list,
)
from feedback.analysis.redaction.words import _GIVEN, _SURNAME, _flags, _key

_PATIENT_OWNER = (
    r"\b(?i:patiente?s?|pts?|pte|(?<![dD]['’])usag[èe]re?s?|usag|b[ée]n[ée]ficiaires?|"
    rf"{_FRENCH_RESIDENT}|clientes?|clients?|h[ée]berg[ée]e?s?|{_RELATIVE}|"
    r"relatives?|next\s+of\s+kin|emergency\s+contacts?|contacts?\s+(?:d['’]urgence|famille|family)|"
    r"r[ée]pondante?|personne\s+[àa]\s+(?:contacter|joindre)|"
    # Home care is a service: "le soutien à domicile", "soins à domicile".
    r"(?<!soutien à )(?<!soins à )(?<!maintien à )(?<!services à )domicile|maison|home(?!\s+care)|"
    r"landline|mmes?|mlle|mrs?|ms|miss|lui-m[êe]me|elle-m[êe]me|himself|herself)(?![\w-])"
    r"|\b[Mm]\.(?=\s)"
    r"|\[(?:RAMQ|DOSSIER|DATE DE NAISSANCE|DATE|PATIENT|TÉLÉPHONE|COURRIEL|ADRESSE|NAS)\]"
)

_STAFF_OWNER = (
    rf"\b(?i:{_ROLE}|dr|dre|drs|dres|docteure?|doctor|prof|leads?|owners?|"
    r"charg[ée]e?s?\s+de\s+projets?|pilotes?|super-?\s?users?)(?![\w-])|\bSUs?\b|\bCMIO\b"
)

_SERVICE_OWNER = rf"\b(?i:{_SERVICE}|{_DEPARTMENT})(?![\w-])|\b(?:IT|TI|RH|HR|DSN|DSI)\b"

# "Call him at", "rappelez-moi au", "qu'on l'appelle au": the owner is named earlier.
_DEFER_OWNER = (
    r"\b(?i:(?:call|contact|reach|text|e-?mail|page|ask|write|ping|ring)\s+(?:him|her|them|me|"
    r"us)\b|call(?:ed)?\s+back|callback|(?:appel|rappel|contact|joign|[ée]criv|t[ée]l[ée]phon|"
    r"text)\w*-(?:moi|le|la|lui|les|nous|leur)\b|(?:me|m['’]|l['’]|la|le|lui|les|leur|nous)\s*"
    r"(?:appel|rappel|contact|joindr|rejoindr|[ée]crir|[ée]criv|t[ée]l[ée]phon|text)\w*|"
    r"rappel\w*|"
    # The one who asks to be called owns the number: "the mother asked us to text …".
    r"ask(?:ed|s)?\s+(?:us|me|them|the\s+\w+)\s+to\s+(?:call|text|phone|ring|page|reach)|"
    r"demand[ée]e?\s+(?:qu['’]on|de|à\s+\w+\s+de)\s+(?:l['’]|la|le|lui)?\s*"
    r"(?:appel|rappel|text|joindr|t[ée]l[ée]phon)\w*)"
)

# Someone who called or was called ("a appelé Réjean Fortin au"): the one called owns it.
_CALLED_OWNER = (
    r"\b(?i:a\s+(?:appel|rappel|t[ée]l[ée]phon|text|contact)[ée]e?|a\s+joint|called|phoned|"
    r"texted|left\s+a\s+(?:message|voicemail)|a\s+laiss[ée]\s+un\s+message)\b"
)

# One who left their number owns it, wherever it was left: "Le fils a laissé son numéro au
# poste de garde : …".
_LEFT_OWNER = (
    r"\b(?i:a\s+laiss[ée]\s+(?:son|sa|ses|un|le|leur)\s+(?:num[ée]ro|cell\w*|t[ée]l\w*|"
    r"coordonn[ée]es)|left\s+(?:his|her|their|a|the)\s+(?:number|cell|phone|contact)"
    # The number someone left or gave, said the other way round: "le numéro qu'elle a laissé".
    r"|(?:num[ée]ro|cell\w*|t[ée]l\w*|coordonn[ée]es)\s+qu['’](?:il|elle|ils|elles)\s+"
    r"(?:a|ont|avait|avaient)\s+(?:laiss|donn|fourni)[ée]e?s?"
    r"|(?:number|cell|phone)\s+(?:that\s+)?(?:he|she|they)\s+(?:left|gave))"
)

# An imperative to call or write, or a label ("Questions :"), owns a number when nobody closer does.
_ASK_OWNER = (
    # "Écrivez-nous", "appelez-nous": the team that writes is the one to reach.
    r"\b(?i:appelez|contactez|joignez|[ée]crivez|adressez-vous|communiquez|t[ée]l[ée]phonez|"
    r"textez|envoyez|contacts?|questions?|rsvp|escalat\w*|inquiries|renseignements|infos?|"
    r"informations?|r[ée]servations?|inscriptions?|registrations?|bookings?)(?:-(?i:nous))?"
    r"(?![\w-])"
    # The fields of a message's header: "De : Véronique Allaire <…>", "cc: …".
    r"|(?:^|(?<=\n))[ \t]*(?i:de|from|[àa]|to|cc|cci|bcc|envoy[ée]\s+par|sent\s+by|"
    r"exp[ée]diteur|sender)[ \t]*:"
    r"|(?:^|(?<=[.!?:;\n])|(?<=[.!?:;\n]\s)|(?<=\bpour\s)|(?<=\bsvp\s)|(?<=\bSVP\s)|"
    r"(?<=\bveuillez\s)|(?<=\bde\s)|(?<=\bplease\s)|(?<=\bpls\s)|(?<=\bplz\s)|(?<=\bthen\s)|"
    r"(?<=\bor\s)|(?<=\bou\s)|(?<=\band\s)|(?<=\bet\s)|(?<=\bto\s)|(?<=\bjust\s)|(?<=\bcan\s)|"
    r"(?<=\bmay\s)|(?<=\bpouvez\s)|(?<=\bfaut\s))"
    r"(?i:appeler|contacter|joindre|rejoindre|[ée]crire|communiquer|t[ée]l[ée]phoner|call|"
    r"contact|reach(?:\s+out)?|e-?mail|text|page|ask|write|ping)(?![\w-])"
)

# After a comma too, a verb that no list of fields holds: "…, page Luis at".
_ASK_OWNER += r"|(?<=[,(]\s)(?i:call|page|text|reach|contact|ask|ping)(?![\w-])"

_OWNER = _Lazy(
    rf"(?P<defer>{_DEFER_OWNER})|(?P<called>{_CALLED_OWNER})|(?P<left>{_LEFT_OWNER})"
    rf"|(?P<patient>{_PATIENT_OWNER})"
    rf"|(?P<staff>{_STAFF_OWNER})|(?P<service>{_SERVICE_OWNER})|(?P<ask>{_ASK_OWNER})"
    # An acronym, unless it labels an identifier ("NAM:", "MRN") or opens one ("HABN 7556").
    r"|(?P<acronym>\b(?!(?:NAM|RAMQ|MRN|DDN|DOB|HIC|NIU|NID|TEL|TÉL|CELL|DOSS)\b)[A-Z]{2,5}\b"
    r"(?![ \t]?[-.]?[ \t]?\d))"
)

# An acronym names a service ("le CSTI répond au …"), as a placeholder never does.
_ACRONYM = re.compile(r"(?:l['’]\s*)?[A-Z]{2,5}\b")

# The contact's own noun, and the owner after it: "numéro de la conjointe", "cell du fils".
_CONTACT_OF = _Lazy(
    r"\b(?i:num[ée]ros?|nos?|n[°º]|t[ée]l(?:[ée]phone)?|cell(?:ulaire)?|courriel|"
    r"adresse(?:\s+courriel)?|e-?mails?|phones?|numbers?|coordonn[ée]es|fax|pagette|pager|"
    r"lignes?|lines?)\.?\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’]|of\s+the|of|for\s+the|for)\s*"
)

# A service or a role of the patient's owns what follows: "la pharmacie communautaire du pt".
_SERVICE_OF_PATIENT = _Lazy(
    rf"\b(?i:{_SERVICE}|{_DEPARTMENT}|{_ROLE}|m[ée]decin\s+de\s+famille|family\s+doctor)"
    r"(?:\s+[a-zà-ÿ]+)?\s+(?i:du|de\s+la|de\s+l['’]|des|de|d['’]|of\s+the|of|for\s+the)\s*$"
)

# A role in apposition after the contact: "Kim, 514-555-0177, super-utilisatrice de nuit".
_STAFF_APPOSITION_AFTER = _Lazy(
    r"\s*[,—–-]\s*(?:(?i:the|our|my|a|an|la|le|l['’]|une?|notre|mon|ma|nouvelle?|new|night|day|"
    rf"evening|de|du|des|head|senior|super)\s+){{0,2}}(?:{_STAFF_OWNER})"
)

# What may stand between a service and its number: labels, names, codes, punctuation.
_LABEL_GAP = _Lazy(
    r"(?:[\s:,;=()\[\]#/'\"«»“”.*—–-]|(?i:phones?|cells?|cellulaires?|t[ée]l(?:[ée]phone)?s?|"
    r"pagers?|pagettes?|lines?|lignes?|numbers?|num[ée]ros?|no|n[°º]|is|est|c['’]est|at|au|aux|"
    r"à|a|or|ou|et|and|ext|x|postes?|de|du|des|la|le|les|l['’]|d['’]|the|our|notre|nos|votre|"
    r"your|garde|on-?call|direct|main|principal|g[ée]n[ée]ral|jour|nuit|soir|day|night|"
    r"evening|here|ici|desk|office|bureau|e-?mail|courriel|adresse|address|via|by|par|only|"
    r"seulement|24/7|local|salle|room|rm|pavillon|aile|wing|[ée]tage|floor|porte|door|bloc|"
    r"suite|entr[ée]e|niveau|level|sous-sol|basement|in|dans|en|on|sur)\b|[A-ZÀ-Þ][\w'’-]*|"
    r"\d{1,4}[A-Za-z]?\b)*"
)

# Or a verb or two: "le CSTI répond au", "the desk is open at".
_SHORT_GAP = re.compile(r"(?:[ \t]+[\wà-ÿ'’-]+){1,3}[ \t:]*")

_ORIGIN_BEFORE = re.compile(r"(?i:\b(?:du|from|de)\s*)$")

_RELATIVE_APPOSITION = _Lazy(
    rf"\b(?i:{_RELATIVE})\s*[,(]\s*(?i:(?:une?|an?|the|la|le|aussi|also|elle-m[êe]me|"
    r"lui-m[êe]me|herself|himself)\s+)?$"
)

_ATTRIBUTION_AFTER = _Lazy(
    r"\s*(?:[(—–]|-\s|,\s*(?i:c['’]est|which|that|it['’]s|qui\s+est|soit)|"
    r"\s+(?i:c['’]est|is|est|=))"
)

_RAW_CONTACT = _Lazy(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s./\u2010-\u2015\u2212-]?\d{3}"
    r"[\s./\u2010-\u2015\u2212-]?\d{2}[\s.]?\d{2}"
)

# A short note in parentheses that names a role or a service: "(TI de garde)", "(biomed)".
_STAFF_NOTE_AFTER = _Lazy(
    rf"\s*\(\s*(?:[\w'’.-]+[,:]?\s+){{0,3}}?(?:{_STAFF_OWNER}|{_SERVICE_OWNER})[^()]{{0,25}}\)"
)

_OF_A_ROLE = re.compile(r"(?i:\b(?:de|d['’])\s*)$")


# A verb to call in the infinitive with where someone is reached ("joindre au", "reach at"), as
# a note tells how to reach a person: the number is that one patient's or relative's when the
# sentence names them after it, a service's when it names a service or patients at large.
_REACHED_AT = re.compile(
    r"\b(?i:appeler|joindre|rejoindre|contacter|t[ée]l[ée]phoner|call|reach|contact|text)"
    r"[ \t]+(?i:au|[àa]|at)[ \t]*$"
)
_ONE_PATIENT_AFTER = _Lazy(
    r"[^.!?\n\[]{0,60}?\b(?:(?i:du|de\s+la|de\s+l['’]|au|[àa]\s+la|[àa]\s+l['’]|of\s+the|the|"
    r"sa|son|his|her|la|le|l['’])\s*(?i:patiente?|pte?|usag[èe]re|r[ée]sidente?|cliente?|"
    rf"{_RELATIVE})(?![\w-])"
    # Or someone by their title: "le rendez-vous de Mme Roy", "le suivi de monsieur".
    r"|(?i:de|d['’]|pour|for|of)\s*(?:(?i:mme|mlle|mrs?|ms|monsieur|madame)\b|M\.\s))"
)


def _patient_near(text: str, start: int, end: int) -> bool:
    """Whether a patient, a relative or an identifier is named around a contact: before it, or
    after it in its own sentence."""
    stop = _SENTENCE_GAP.search(text, end)
    return any(
        found.lastgroup == "patient"
        for found in _OWNER.finditer(text, max(0, start - 200), stop.start() if stop else len(text))
    )


def _contact_owner(text: str, start: int, end: int) -> str | None:
    """Whose a contact is: staff (a colleague, a role, a service), patient, or None if unsaid.

    A word just after that names it decides ("418-555-0191 (fille)", "— c'est la belle-fille du
    pt"). Otherwise the closest owner word before it, in its sentence or the two before: a
    patient or relative word (or another identifier) makes it theirs; a role, a title, a service
    right before it, or an imperative to call or write ("appelez", "RSVP", "Questions :") makes
    it a colleague's. A pronoun ("call him", "rappelez-moi") sends back to the one named before.
    """
    after = _ATTRIBUTION_AFTER.match(text, end)
    if after:
        tail = text[after.end() : after.end() + 60]
        cut = _RAW_CONTACT.search(tail) or re.search(r"[.!?](?:\s|$)|\n|\[", tail)
        tail = tail[: cut.start()] if cut else tail
        for found in _OWNER.finditer(" ".join(tail.split()[:8])):
            if found.lastgroup == "patient":
                return _PATIENT_CLASS
    begin = max(0, start - 220)
    ends = [
        m.end()
        for m in _CLAUSE_END.finditer(text, begin, start)
        if not _TITLE_ABBREVIATION.search(text, max(0, m.start() - 4), m.start())
    ]
    window = _RAW_CONTACT.sub(lambda m: "#" * len(m.group()), text[begin:start])
    # "Numéro de la RI où vit la résidente : …": the owner named by the contact's own noun.
    clause = window[ends[-1] - begin :] if ends else window
    named = None
    for found in _CONTACT_OF.finditer(clause):
        named = found
    origin = _ORIGIN_BEFORE.search(clause)
    if named and not origin and "#" not in clause[named.end() :]:
        owner = _OWNER.match(clause, named.end())
        if owner and owner.lastgroup in ("patient", "staff", "service"):
            return _PATIENT_CLASS if owner.lastgroup == "patient" else _STAFF
        if _ACRONYM.match(clause, named.end()):
            return _STAFF  # "le numéro du CSTI", "numéro de la RI"
        person = _person_named(clause, named.end())
        if person:
            # "Tél de Nathalie 819 …": a person's number, not the service named sentences before;
            # theirs is a colleague's only when a role goes with the number or with the name.
            if (
                _STAFF_NOTE_AFTER.match(text, end)
                or _STAFF_APPOSITION_AFTER.match(text, end)
                or _named_with_a_role(text, person)
            ):
                return _STAFF
            return _PATIENT_CLASS
    reach = _REACHED_AT.search(clause, max(0, len(clause) - 24))
    if reach and _ONE_PATIENT_AFTER.match(text, end):
        tokens = list(_OWNER.finditer(clause))
        if (
            tokens
            and tokens[-1].lastgroup == "ask"
            and tokens[-1].start() == reach.start()
            and not any(found.lastgroup in ("staff", "service") for found in tokens)
        ):
            return _PATIENT_CLASS  # "joindre au 514-… pour le suivi de la patiente": hers
    before = _owner_before(window[ends[-3] - begin :] if len(ends) > 2 else window)
    if before is None and (
        _STAFF_NOTE_AFTER.match(text, end) or _STAFF_APPOSITION_AFTER.match(text, end)
    ):
        return _STAFF  # "514 555 0133 (TI de garde)", "Kim, 514-555-0177, super-utilisatrice"
    return before


_NAME_WORD = re.compile(r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?")


def _person_named(clause: str, at: int) -> str | None:
    """The person's given name or surname, capitalised, that follows a contact's noun."""
    word = _NAME_WORD.match(clause, at)
    if word and any(_flags(_key(part)) & (_GIVEN | _SURNAME) for part in word.group().split("-")):
        return word.group()
    return None


def _named_with_a_role(text: str, name: str) -> bool:
    """Whether a role or a title goes with the name somewhere in the text: "la pilote Nicole",
    "Nicole (TI)", "Nicole, notre super-utilisatrice"."""
    for found in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        before = text[max(0, found.start() - 30) : found.start()]
        tokens = list(_OWNER.finditer(before))
        if tokens and tokens[-1].lastgroup == "staff" and not before[tokens[-1].end() :].strip(
            " \t"
        ).strip(".,:"):
            return True
        if _STAFF_NOTE_AFTER.match(text, found.end()) or _STAFF_APPOSITION_AFTER.match(
            text, found.end()
        ):
            return True
    return False


_QUALIFIED_PATIENT_GAP = re.compile(
    r"\s*(?:(?i:du|de\s+la|de\s+l['’]|des|de|d['’]|of\s+the|of|at\s+the|from\s+the)\s*)?"
    # The service's own name before it: "client of the Hull clinic".
    r"(?:[A-ZÀ-Þ][\w'’-]*\s+){0,2}"
)


# A relative's or a patient's workplace, said right after them, is where they are reached, no
# service of ours: "rappelle sa fille au bureau, 819 … poste 223", "her son at the office".
_WORKPLACE = re.compile(r"(?i:bureau|office|travail|job|boulot)")
_AT_WORK_GAP = re.compile(
    r"\s*(?i:au|à\s+son|a\s+son|à\s+la|at\s+(?:the|his|her|their)|at|in\s+(?:the|his|her))\s*"
)


def _owner_before(window: str) -> str | None:
    tokens = list(_OWNER.finditer(window))
    letters = sum(c.isalpha() for c in window)
    if letters > 12 and sum(c.isupper() for c in window) > 0.7 * letters:
        # In a text typed in capitals every word looks like an acronym: none names a service.
        tokens = [token for token in tokens if token.lastgroup != "acronym"]
    origin = _ORIGIN_BEFORE.search(window)
    for index in range(len(tokens) - 1, -1, -1):
        found = tokens[index]
        kind = found.lastgroup
        if kind == "defer":
            if _THIRD_PERSON.search(found.group()) and any(
                other.lastgroup == "patient" for other in tokens[:index]
            ):
                # "elle veut que le Dr Paré la rappelle au …": the one to call back owns the
                # number, not the colleague who calls.
                return _PATIENT_CLASS
            if (
                _CALL_BACK.search(found.group())
                and _SENTENCE_GAP.search(window, found.end())
                and _POSSESSIVE_LABEL_END.search(window)
                and any(other.lastgroup == "patient" for other in tokens[:index])
            ):
                # "Appel du conjoint … Elle rappelle demain. Son numéro : …": the number to call
                # back is the caller's, given after the promise to call.
                return _PATIENT_CLASS
            if _US.search(found.group()) and not any(
                other.lastgroup == "patient" for other in tokens[:index]
            ):
                return _STAFF  # "Écrivez-nous à …", "call us at": the team that writes
            continue
        if kind == "called" and index and _caller_is_a_service(window, tokens[index - 1], found):
            return _STAFF  # "Le CHSLD Saint-Antoine a appelé pour le transfert, 418 …"
        if (
            kind == "called"
            and not any(other.lastgroup == "patient" for other in tokens[:index])
            and not _CALLED_OBJECT.match(window, found.end())
        ):
            continue  # the writer called a number, nobody named: "Called 514-… at 2am"
        if kind in ("called", "left"):
            return _PATIENT_CLASS  # one who called or was called: "son Michael called from …"
        if kind == "patient":
            if _SERVICE_OF_PATIENT.search(window, 0, found.start()):
                return _STAFF  # "la pharmacie communautaire du pt (…) au 450-…"
            return _PATIENT_CLASS
        if kind == "acronym" and _flags(_key(found.group())) & (_GIVEN | _SURNAME):
            continue  # a name in capitals ("ROY 514-…"), not a service's acronym
        if kind in ("acronym", "ask") and _RELATIVE_APPOSITION.search(window, 0, found.start()):
            continue  # the relative's role: "niece (POA) 514 …", "fille, contact principal"
        if kind == "ask" and _PREFERENCE_BEFORE.search(window, 0, found.start()):
            continue  # someone's contact, named before: "Family aware. Preferred contact 450 …"
        if kind == "acronym" and found.group().lower() in word_list("thing_acronyms"):
            continue  # a thing's abbreviation names nobody: "ses rappels de RDV par texto au …"
        if (
            kind in ("service", "acronym")
            and index
            and tokens[index - 1].lastgroup == "patient"
            and _QUALIFIED_PATIENT_GAP.fullmatch(window, tokens[index - 1].end(), found.start())
            # Right before the number, an acronym labels it instead: "pt ID 0057-…".
            and window[found.end() :].strip(" \t:#")
        ):
            continue  # the service says whose patient: "client CLSC Matagami: Denis Roy, 819 …"
        if (
            kind == "service"
            and index
            and tokens[index - 1].lastgroup == "patient"
            and _WORKPLACE.fullmatch(found.group())
            and _AT_WORK_GAP.fullmatch(window, tokens[index - 1].end(), found.start())
        ):
            continue  # where a relative is reached: "rappeler sa fille au bureau, 819 …"
        if kind in ("service", "acronym"):
            gap = window[found.end() :]
            if origin or not (_LABEL_GAP.fullmatch(gap) or _SHORT_GAP.fullmatch(gap)):
                continue
            if _PLACE_BEFORE.search(window, max(0, found.start() - 12), found.start()) and (
                _SENTENCE_GAP.search(gap)
            ):
                continue  # where something happened, then a new sentence: "déposée à l'urgence."
            if any(other.lastgroup == "left" for other in tokens[:index]):
                continue  # the number left at the desk is the one's who left it
            if _CALLING_BEFORE.search(window, max(0, found.start() - 30), found.start()) and any(
                other.lastgroup == "patient" for other in tokens if other.end() <= found.start()
            ):
                continue  # "his wife keeps calling the unit at …": the caller's number
            return _STAFF
        if kind == "ask" and _QUOTED_FROM_RELATIVE.search(window, 0, found.start()):
            return _PATIENT_CLASS  # "Email from a family: '… please call 514 …'": the writer's
        if kind == "ask" and _DETERMINER_BEFORE.search(window, 0, found.start()):
            continue  # a noun said of someone named before: "est notre contact principal"
        if kind == "ask" and (
            _NUMBER_NOUN_BEFORE.search(window, max(0, found.start() - 16), found.start())
            or _NUMBER_NOUN_AFTER.match(window, found.end())
        ):
            continue  # the number's own noun, no one asked to call: "le numéro de contact"
        if kind == "ask" and _relative_earlier(window, tokens[:index], found.start()):
            return _PATIENT_CLASS  # "Wife is abroad, call +61 …": the relative is the one to call
        if kind == "staff":
            if _RELATIVE_APPOSITION.search(window, 0, found.start()):
                return _PATIENT_CLASS  # "La petite-fille, infirmière dans un autre CISSS"
            if _SAID_OF_BEFORE.search(window, 0, found.start()) and any(
                other.lastgroup == "patient" and _RELATIVE_WORD.fullmatch(other.group())
                for other in tokens[:index]
            ):
                continue  # "sa nièce X est la personne-ressource au …": the niece's number
            if _OF_A_ROLE.search(window, 0, found.start()):
                continue  # a role that qualifies a thing: "la note d'infirmière"
        return _STAFF
    return None


def _relative_earlier(window: str, tokens: list[re.Match], at: int) -> bool:
    """Whether a relative is named earlier in the sentence that asks to call, with no colleague
    or service named between them."""
    sentence = 0
    for gap in _SENTENCE_GAP.finditer(window, 0, at):
        sentence = gap.end()
    for token in reversed(tokens):
        if token.start() < sentence:
            return False
        if token.lastgroup in ("staff", "service", "acronym"):
            return False
        if token.lastgroup == "patient" and _RELATIVE_WORD.fullmatch(token.group()):
            return True
    return False


# A message from a patient or a relative quoted, still open: who asks in it to be called is its
# writer ("Email from a family: 'My father … please call", "la fille écrit : « rappelez-moi").
_QUOTED_FROM_RELATIVE = _Lazy(
    rf"(?i:{_RELATIVE}|famil(?:y|le)|patiente?)[^.!?\n'\"«“]{{0,40}}:[ \t]*['\"«“][^'\"»”]*$"
)

_PLACE_BEFORE = re.compile(
    r"\b(?i:[àa]\s+l['’]\s*|[àa]\s+la|au|aux|dans\s+l['’]\s*|dans\s+la|dans\s+le|at\s+the|"
    r"in\s+the|to\s+the|into\s+the)\s*$"
)

_SENTENCE_GAP = re.compile(r"[.!?](?:\s|$)")


def _caller_is_a_service(window: str, subject: re.Match, called: re.Match) -> bool:
    """Whether the one who called, named just before the verb, is a service or a colleague."""
    if subject.lastgroup not in ("service", "acronym", "staff"):
        return False
    if subject.lastgroup == "acronym" and _flags(_key(subject.group())) & (_GIVEN | _SURNAME):
        return False  # a name in capitals
    between = window[subject.end() : called.start()]
    if len(between) > 40 or re.search(r"[.!?;,]", between):
        return False
    # The one called, named after the verb, owns the number: "a appelé Denis Mercier au …".
    return not _CALLED_OBJECT.match(window, called.end())


_CALLED_OBJECT = re.compile(
    r"\s+(?:[A-ZÀ-Þ]|(?i:la|le|l['’]|les|sa|son|ses|leurs?|the|his|her|their|mr|mrs|ms|mme|m\.|"
    r"him|them)\b)"
)


_US = re.compile(r"(?i:\b(?:nous|us))$")
_CALL_BACK = re.compile(r"(?i:rappel|call(?:ed)?\s+back|callback)")
# "Contact" that only names the number ("numéro de contact", "contact number") says nothing of
# whose it is: the owner is named around it ("la fille veut changer le numéro de contact").
_NUMBER_NOUN_BEFORE = re.compile(
    r"\b(?i:num[ée]ros?|no|n°|t[ée]l[ée]phones?|t[ée]l|cell(?:ulaire)?|coordonn[ée]es|"
    r"infos?|informations?)[ \t]+(?i:de|d['’])[ \t]*$"
)
_NUMBER_NOUN_AFTER = re.compile(
    r"[ \t]+(?i:numbers?|nos?\b|#|phones?|info(?:rmation)?|details)(?![\w-])"
)


# A contact's noun after a possessive, right before the number: "Son numéro :", "Her cell".
_POSSESSIVE_LABEL_END = re.compile(
    r"\b(?i:son|sa|his|her)\s+(?i:num[ée]ro|number|cell\w*|t[ée]l\w*|phone|"
    r"ligne|line)\s*[:#]?\s*$"
)
_PREFERENCE_BEFORE = re.compile(
    r"\b(?i:preferred|primary|best|emergency|privil[ée]gi[ée]e?|pr[ée]f[ée]r[ée]e?|meilleure?|"
    r"personne|person)\s+$"
)

_THIRD_PERSON = re.compile(r"(?i:\b(?:him|her|them|le|la|lui|les|leur)\b|\bl['’])")

_CALLING_BEFORE = re.compile(
    r"\b(?i:call(?:s|ed|ing)?|phon(?:es|ed|ing)|appel(?:le|lent|ait|é)?|t[ée]l[ée]phon\w*|"
    r"rappel\w*)\s+(?i:the|our|la|le|l['’]|au|à\s+la|à\s+l['’])?\s*$"
)

# A role said of the one named before: "est la personne-ressource", "is the contact person".
_SAID_OF_BEFORE = re.compile(
    r"\b(?i:est|sera|reste|devient|is|will\s+be|remains|c['’]est)\s+"
    r"(?i:la|le|l['’]|notre|sa|son|leur|the|their|his|her|our)\s*(?i:personnes?[- ])?$"
)
_RELATIVE_WORD = re.compile(rf"(?i:{_RELATIVE})")

_DETERMINER_BEFORE = re.compile(
    r"\b(?i:notre|our|son|sa|ses|his|her|their|leur|le|la|the|main|principal|seul|only|"
    # "added as contact", "inscrite comme contact": the one named before is the contact.
    r"as|comme|en\s+tant\s+que)\s+$"
)
