"""Evidence both ways for a name that nothing next to it explains: work done with, by, for or
to a colleague, against anything in its sentence that ties it to care.

In staff feedback most full names are colleagues'. A name is a patient's when its sentence
speaks of care (a patient's noun, a bed, a chart, a care event, a relative, an identifier); a
name that is the agent or the recipient of work ("demandé à", "envoyée par", "avec", "from",
"dont") in a sentence that speaks of no care is a colleague's.
"""

import re

from feedback.analysis.redaction.patient_context import _FELL
from feedback.analysis.redaction.vocabulary import _FRENCH_RESIDENT, _IDENTIFIER, _RELATIVE, _Lazy

# The preposition or conjunction that makes the name the agent, the recipient or a partner of
# work: "demandé à X", "envoyée par X", "capture d'écran avec X", "from X", "(dont X)", "cc X".
_WORK_BEFORE = re.compile(
    r"(?:\b(?i:à|au|aux|to|avec|with|par|by|from|dont|including|incl\.?|cc|c\.c\.|"
    r"de\s+la\s+part\s+d[e'’]|on\s+behalf\s+of|aupr[èe]s\s+d[e'’])"
    r"|(?<![\w'’])a"
    # Someone given as an example of the staff to involve: "des gens du coin comme X",
    # "local people like X"; patients given as examples are named by their noun.
    r"|\b(?i:people|folks|staff|colleagues|nurses|gens|monde|personnes|coll[èe]gues|"
    r"employ[ée]e?s)(?:[ \t]+[\w'’-]+){0,3}?[ \t]+(?i:like|comme)"
    # What someone asked, suggested or sent: "la demande de X", "a question from X".
    r"|\b(?i:demandes?|requ[êe]tes?|requests?|suggestions?|questions?|courriels?|messages?|"
    r"e-?mails?|billets?|tickets?|id[ée]es?|initiatives?|propositions?|commentaires?|comments?|r[ée]ponses?|"
    r"answers?|repl(?:y|ies)|approbations?|approvals?|confirmations?)"
    r"[ \t]+(?i:de|d['’]|from|by|par)"
    # A note's clause with its subject left out, the writer's: "Told X twice.", "Avisé X."
    r"|(?:^|[.!?;]|\n)[ \t]*(?:(?i:already|d[ée]j[àa]|also|aussi)[ \t]+)?"
    r"(?i:told|informed|notified|e-?mailed|messaged|texted|pinged|reminded|updated|"
    r"avis[ée]e?|inform[ée]e?|pr[ée]venue?|relanc[ée]e?))[ \t]*:?[ \t]*$"
)

# A verb of work whose recipient follows: a request, a message or a file sent, asked, passed on.
_RECIPIENT_BEFORE = re.compile(
    r"\b(?i:demand[ée]e?s?|envoy[ée]e?s?|transmise?s?|achemin[ée]e?s?|transf[ée]r[ée]e?s?|"
    r"escalad[ée]e?s?|escalated|signal[ée]e?s?|rapport[ée]e?s?|adress[ée]e?s?|assign[ée]e?s?|"
    r"sent|forwarded|assigned|reported|submitted|soumise?s?|requested|asked)"
    r"(?:[ \t]+[\w'’]+){0,3}?[ \t]+(?i:à|a|au|to)[ \t]*$"
)

# What ties a sentence to care: a patient's noun, a bed or a chart, a care event, a relative,
# an age, an identifier already replaced. A patient spoken "about" ("pour le patient du 12",
# "about Mr [PATIENT]") is the topic of the work, not the person named.
_CARE = _Lazy(
    rf"\b(?i:patiente?s?|pts?|pte|usag[èe]re?s?|b[ée]n[ée]ficiaires?|{_FRENCH_RESIDENT}|"
    r"clientes?|h[ée]berg[ée]e?s?|lits?|beds?|chambres?|rooms?|civi[èe]res?|stretchers?|"
    r"dossiers?|charts?|bracelets?|wristbands?|armbands?|mrn|ramq|nam|ddn|dob|"
    rf"admise?|admitted|hospitalis[ée]e?|{_FELL}|chut\w*|fell|falls?|fallen|cong[ée]|"
    # A call, a ticket or a message is transferred too: "J'ai transféré l'appel à Nadia Caron".
    r"discharg\w*|transf[ée]r[ée]e?(?!\s+(?:l['’]|le|la|les|mon|ma|mes|son|sa|ses|the|my|his|her)?"
    r"\s*(?:appels?|calls?|billets?|tickets?|courriels?|messages?|e-?mails?|demandes?|requests?)\b)|"
    r"vomi\w*|douleurs?|pain|soins|meds|m[ée]dicaments?|"
    r"m[ée]dication|medications?|prises?\s+de\s+sang|pr[ée]l[èe]vements?|allergi\w*|"
    r"diagnosti\w*|ans|years?\s+old|yo|n[ée]e|born|refus\w*|d[ée]c[ée]d[ée]e?|died|"
    r"traitements?|treatments?|sorties?|chirurgies?|surgery|op[ée]r[ée]e?|"
    rf"isolement|isolation|visite|visiteurs?|visitors?|{_RELATIVE}|"
    # A wish to die or a suicide risk is a person in care's, whoever carries the message.
    r"suicid\w*|mourir|se\s+tuer|to\s+die|kill\s+(?:her|him|them)sel(?:f|ves)|triage)\b"
    rf"|{_IDENTIFIER}"
)

# What care gives or takes (meals, doses, tests, dressings, appointments, records) is also
# what the software shows ("gabarit de prescription", "résultats de labo"): it ties a name to
# care only when someone's own ("son rdv", "her records") or given right to the name ("ECG à X").
_CARE_OBJECT = _Lazy(
    r"\b(?i:repas|meals?|collations?|snacks?|di[èe]tes?|diets?|plateaux?|trays?|insuline|"
    r"insulin|glyc[ée]mies?|doses?|comprim[ée]s|pills?|"
    r"pilules?|injections?|vaccins?|perfusions?|solut[ée]s?|sondes?|cath[ée]ters?|oxyg[èe]ne|"
    r"pansements?|dressings?|contention|bains?|baths?|couches?|diapers?|ecg|ekg|"
    r"radiographies?|x-?rays?|scans?|pr[ée]l[èe]vements?|sang|blood|urine|[àa]\s+jeun|npo|"
    r"rdv|rendez-vous|appointments?|records?|r[ée]sultats?|results?|prescri\w*|ordonnances?)\b"
)

_GIVEN_TO = re.compile(r"(?:\b(?i:à|au|aux|to)|(?<![\w'’])a)[ \t]+$")

_OWN_BEFORE = re.compile(r"\b(?i:son|sa|ses|leurs?|his|her|their)[ \t]+$")

_TOPIC_BEFORE = re.compile(
    r"\b(?i:pour|for|about|concernant|au\s+sujet\s+d[e'’]|regarding|re:?)[ \t]+"
    r"(?:(?i:le|la|les|l['’]|un|une|the|a|mon|ma|mes|notre|our|this|ce|cette|ces)[ \t]*)?"
    # Or its complement: "pour le bracelet du patient".
    r"(?:[\wàâçéèêëîïôûù'’-]+[ \t]+(?i:du|de\s+la|de\s+l['’]|des|de|of\s+the|of)[ \t]*)?$"
)

# A full stop after an initial or a title's abbreviation ends no sentence: "M. Roy", "Dr. Kim".
# A quotation that ends on its own full stop ends the sentence too: "… gmail.com.' Assigned to",
# "… depuis 9 h. » Assignée à", "…without her meds.' Assigned to X."
_SENTENCE_BREAK = re.compile(
    r"(?<!\b[A-Z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bSt)(?<!\bno)(?<!\bch)(?<!Mrs)(?<!Mme)"
    r"[.!?](?:[ \t\u00a0]?[»\"”’'])?(?=\s)|\n|[.!?](?:[ \t\u00a0]?[»\"”’'])?$"
)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence that holds text[start:end]."""
    begin = 0
    for found in _SENTENCE_BREAK.finditer(text, 0, start):
        begin = found.end()
    after = _SENTENCE_BREAK.search(text, end)
    return begin, after.start() if after else len(text)


def _care_in_sentence(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] speaks of care, other than as its topic."""
    begin, finish = _sentence(text, start, end)
    for span in ((begin, start), (end, finish)):
        for found in _CARE.finditer(text, *span):
            if not _TOPIC_BEFORE.search(text, max(0, found.start() - 30), found.start()):
                return True
        for found in _CARE_OBJECT.finditer(text, *span):
            if _OWN_BEFORE.search(text, max(0, found.start() - 8), found.start()) or (
                found.end() <= start
                and start - found.end() < 40
                and not re.search(r"[,;:()]", text[found.end() : start])
                and _GIVEN_TO.search(text, max(0, start - 6), start)
            ):
                return True
    return False


# A clinical encounter is what one documents: "documenter un appel de 10 min avec X",
# "charting my visit with X". A call or a meeting with a colleague is not charted.
_DOCUMENTED_WITH_BEFORE = re.compile(
    r"\b(?i:documente[rz]?|document[ée]e?|documenting|documented|document|charter|charting|"
    r"charted|to\s+chart|consigner|consign[ée]e?|notes?\s+(?:d['’]intervention|de\s+suivi)|"
    r"progress\s+notes?)\b[^.!?\n]{0,40}?\b(?i:avec|with|aupr[èe]s\s+d[e'’])[ \t]*$"
)


def _documented_with(text: str, start: int) -> bool:
    """Whether the name at start is the other party of an encounter that is documented."""
    return bool(_DOCUMENTED_WITH_BEFORE.search(text, max(0, start - 70), start))


def _colleague_at_work(text: str, start: int, end: int) -> bool:
    """A name that is the agent, recipient or partner of work in a sentence without care."""
    if _documented_with(text, start):
        return False
    return bool(_WORK_BEFORE.search(text, max(0, start - 30), start)) and not _care_in_sentence(
        text, start, end
    )


# What only a colleague's working life holds: trainings, shifts, schedules, meetings, leave,
# stand-ins ("Pierre Blanc est tombé malade, on a remplacé la formation").
_COLLEAGUE_MATTERS = _Lazy(
    r"\b(?i:formations?|trainings?|horaires?|schedules?|quarts?\s+de\s+travail|shifts?|"
    r"remplac\w*|replac\w*|r[ée]unions?|meetings?|caucus|huddles?|vacances|vacation|paie|payroll|"
    r"embauch\w*|hired|retraite|retired|super-?\s?utilisat\w*|super-?\s?users?|formateur|"
    r"formatrice|trainer|go-?live|heures\s+suppl[ée]mentaires|overtime)\b"
)


# A training told of in one sentence, its trainer named at the head of the next: "La formation
# était trop courte. Nathalie Bergeron a fait de son mieux", "The class ran late. Tom Roy
# stayed after".
_TRAINING = _Lazy(
    r"\b(?i:formations?|trainings?|ateliers?|workshops?|cours|courses?|class(?:es)?|"
    r"sessions?\s+de\s+formation|training\s+sessions?)\b"
)


_PATIENT_TITLE = re.compile(r"(?<![\w'’])(?:Mme|Mlle|Mrs?|Ms|M|Madame|Monsieur)\.?[ \t]+[A-ZÀ-Þ]")


def _colleague_matters(text: str, start: int, end: int) -> bool:
    """A name in a sentence about a colleague's working life and about no care, or at the head
    of the sentence right after one about a training."""
    begin, finish = _sentence(text, start, end)
    if _care_in_sentence(text, start, end):
        return False
    if _COLLEAGUE_MATTERS.search(text, begin, finish):
        return True
    if begin < 2 or text[begin:start].strip(" \t\n\"«“"):
        return False
    previous = _sentence(text, begin - 2, begin - 2)[0]
    return bool(
        _TRAINING.search(text, previous, begin)
        and not _CARE.search(text, previous, begin)
        # A patient taught by title ("Mme Roy a eu sa formation sur la pompe"): family follows.
        and not _PATIENT_TITLE.search(text, previous, begin)
    )


# Who speaks for a service of the hospital's own work, not of care: "X au pilotage dit que",
# "X from IT said", "X à la paie m'a répondu". A patient at the laboratory or in radiology is
# where care happens, so only offices that care never takes a patient to count.
_OFFICE_SPEAKS_AFTER = _Lazy(
    r"[ \t]*,?[ \t]+(?i:au|à\s+la|à\s+l['’]|a\s+la|aux|du|de\s+la|de\s+l['’]|at|from|in)[ \t]*"
    r"(?:(?i:the)[ \t]+)?(?i:pilotage|pilotes|soutien(?![ \t]+[àa][ \t]+domicile)|support|"
    r"informatique|informatics|"
    r"help\s*desk|service\s*desk|centre\s+de\s+services|ressources\s+humaines|paie|payroll|"
    r"bureau\s+de\s+projets?|project\s+office|approvisionnement|procurement|"
    r"(?-i:TI|IT|RH|HR|DSI))\b"
    r"[ \t]*,?[ \t]+(?:(?i:nous|m['’]|me|us)[ \t]*)?"
    r"(?i:dit|a\s+dit|disait|confirme|a\s+confirm[ée]|"
    r"r[ée]pond|a\s+r[ée]pondu|[ée]crit|a\s+[ée]crit|says|said|confirmed|replied|told|wrote)\b"
)


def _colleague_speaks_for_office(text: str, start: int, end: int) -> bool:
    """A name that speaks for an office of the hospital's own work ("X au pilotage dit que"),
    with no care before it in its sentence; what the office says may be of care ("c'est en
    traitement"), the request's, not the name's."""
    if not _OFFICE_SPEAKS_AFTER.match(text, end):
        return False
    return not _CARE.search(text, _sentence(text, start, end)[0], start)


def _recipient_at_work(text: str, start: int, end: int) -> bool:
    """A titled name that a request or a file went to, in a sentence without care: "Demande
    envoyée à Mme Roy", never "Lettre envoyée à Mme Roy pour son congé"."""
    return bool(_RECIPIENT_BEFORE.search(text, max(0, start - 60), start)) and not (
        _care_in_sentence(text, start, end)
    )


# Who "has been told", with nothing told of their own: "X a été avisé.", "X was notified
# (email)". A patient is told of something ("avisé de son congé", "informed that"), and a
# sentence that speaks of care keeps the name a patient's or a relative's.
_TOLD_AFTER = _Lazy(
    r"\s+(?i:a\s+[ée]t[ée]|ont\s+[ée]t[ée]|est|sont|sera|was|were|has\s+been|have\s+been|is|"
    r"will\s+be)\s+(?:(?i:d[ée]j[àa]|already|bien|also|aussi)\s+)?"
    r"(?i:avis[ée]e?s?|inform[ée]e?s?|notifi[ée]e?s?|notified|informed|made\s+aware|aware|"
    r"au\s+courant|mise?s?\s+au\s+courant|mise?s?\s+en\s+copie|cc['’]?d|looped\s+in)"
    r"(?=[ \t]*(?:[.!;,(]|$|\n|(?i:par|by|via|ce|this|today|hier|yesterday|"
    r"aujourd['’]hui|ce\s+matin)\b))"
)

# Who carried an issue to management: "X en a parlé au gestionnaire", "X escalated it to the
# manager". A relative complains to a manager too, so only where no care is spoken of.
_REPORTED_AFTER = _Lazy(
    r"\s+(?i:(?:en\s+)?a\s+(?:parl[ée]|gliss[ée]\s+un\s+mot|fait\s+part)|(?:l['’])?a\s+"
    r"(?:signal[ée]|escalad[ée]|rapport[ée]|remont[ée])|brought\s+it\s+up|raised\s+it|"
    r"escalated\s+it|reported\s+it|flagged\s+it|took\s+it)\s+(?i:[àa]|au|aux|avec|to|with)\s+"
    r"(?:(?i:la|le|l['’]|notre|nos|the|our)\s*)?"
    r"(?i:gestionnaires?|chefs?|cheffes?|cadres?|coordo\w*|direct\w*|managers?|supervis\w*|"
    r"boss|patron\w*|syndicat|union|comit[ée]|committee|TI|IT|soutien|support|pilotes?)\b"
)


def _colleague_told(text: str, start: int, end: int) -> bool:
    """A name told of an issue, or who told management of it, with no care in its sentence nor
    just before it: who was notified on the team, who reported. After care ("Le patient est
    décédé. X a été avisée") it is family."""
    if not (_TOLD_AFTER.match(text, end) or _REPORTED_AFTER.match(text, end)):
        return False
    if _care_in_sentence(text, start, end):
        return False
    begin = _sentence(text, start, end)[0]
    return not _CARE.search(text, max(0, begin - 200), begin)
