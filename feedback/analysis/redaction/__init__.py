"""Replace patient identifiers with readable placeholders, keeping everything else.

Numbers come first (e-mail addresses, street addresses and postal codes, RAMQ numbers, social
insurance numbers, dates of birth, chart numbers, phone numbers), then names. These decisions
carry the work:

- An identifier-shaped number (digits with any separators, Unicode dashes and spaces made
  plain, digits typed one by one closed up when a word names them, a site prefix of letters)
  is read by the nearest cue word before it in its clause: a chart's (dossier, MRN), an
  owner's (a patient, a relative, a wristband), a thing's (lot, order, ticket, device; rooms,
  beds and extensions only for short numbers), a date of birth's, or a bare "no"/"#" that
  says nothing alone. Of "code d'usager" the head noun speaks, a verb
  between a thing and a number cuts them apart, and a number of the same list shares its cue.
  With no cue, its shape decides (a long bare number, a prefixed code, the chart number named
  before, quoted again or mistyped). A RAMQ number's digits encode a birth date; a phone number
  has a North-American area code, a country code or a phone word before it, or another
  country's national form (three groups or more, a trunk zero, "00" glued before it) where a
  patient or a relative owns it, and it is an identifier only when a patient's or a relative's:
  the closest owner named around it decides, and a colleague's contact stays. Numbers in a row
  after what is measured or paid are readings.
- A person mention is a run of name-like words: capitalised, in capitals, listed given names and
  surnames in any case, words that no dictionary knows (names of every origin), with their
  particles, initials, "LAST, First" layouts; a listed given name spelt another way (a final
  "e", a doubled consonant, "-y" for "-ie") is a given name where capitalised. The words around
  it (roles, titles, patient and relative nouns, care words, thanks, contact imperatives,
  who-did-what verbs, list headers) decide whether it names a patient (or a relative), a
  colleague or nobody, the nearest and most specific cue first. A full name with no cue next to
  it weighs evidence both ways: the agent, recipient or partner of work ("demandé à", "envoyée
  par", "avec", "from", "dont") in a sentence that speaks of no care is a colleague's; otherwise
  it is a patient's. A name that is also a word ("Blanc", "Hope", "Grace") is a name where only
  a person fits: at the head of what only a patient goes through ("Blanc est tombé", "Hope was
  transferred to ICU"), after a relation or a bed ("la fille de Blanc", "room 7, Faith"), in a
  census entry or on a board.
- A birthday told as one (the day someone turns an age, "son anniversaire le 9 octobre") is a
  date of birth without its year; a number that answers a question shares the question's cue
  ("son no de dossier? 0045871").
- A name repeated elsewhere in the text (the same words, a possessive, a plural, a cut or
  misspelt form, the initials spelt out) shares the decision its cued mention got; a patient's
  full name goes again in any case, without its accents or surname first, its surname of
  several words alone (spaced, hyphenated or run together), and a word of it in lower case
  where it is a clause's subject. A pet name (a doubled syllable, "Ti-" before a
  word) is a given name.

Matching folds case and accents; replacement is in the original text.

The stages live in their own modules: ``contacts`` (e-mail addresses, phone numbers) and
``owners`` (whose a contact is), ``addresses`` (a home's street address and postal code, not a
place of care's), ``identifiers`` (RAMQ, social insurance and chart numbers) with ``cues`` (the cue
word that classifies a number), ``dates``, ``number_stage`` (the order the number stages run in),
and for names ``words`` (what a word is), ``runs`` (name-like runs of words),
``staff_context`` and ``patient_context`` (the words around a name), ``evidence`` (work
against care in a name's sentence), ``classify`` (one run's decision), ``layouts`` (census
lines, "LAST, First", lists under a header, names one per room on a whiteboard), ``repeats``
(a decision shared by coordinated, parenthesised or repeated names), ``nicknames`` (what a
patient is said to go by: a nickname, a name said, another spelling) and ``names`` (the stage
itself). ``vocabulary`` holds what several of them read; ``scoring`` measures recall and
over-redaction on labelled texts (``bench/redaction.py``).
"""

from feedback.analysis.redaction.contacts import (
    _AT_HINT,
    _AT_HINTS,
    _SPOKEN_HINTS,
    _redact_emails,
    _redact_spoken_phones,
)
from feedback.analysis.redaction.dates import (
    _BIRTH,
    _DATE_ALONE,
    _SPELLED_YEAR_HINTS,
    _redact_birth_years_after,
    _replace_birth,
    _replace_uncued_date,
)
from feedback.analysis.redaction.names import _redact_names
from feedback.analysis.redaction.number_stage import _redact_numbers_in_plain_form
from feedback.analysis.redaction.vocabulary import (
    _DIGIT,
    ADDRESS,
    BIRTH_DATE,
    DOSSIER,
    EMAIL,
    PATIENT,
    PHONE,
    PLACEHOLDER,
    RAMQ,
    SIN,
    _has_any,
)

__all__ = [
    "ADDRESS",
    "BIRTH_DATE",
    "DOSSIER",
    "EMAIL",
    "PATIENT",
    "PHONE",
    "PLACEHOLDER",
    "RAMQ",
    "SIN",
    "redact",
]


def redact(text: str) -> str:
    """The text with patient identifiers replaced by placeholders, whitespace-stripped."""
    text = text.strip()
    if not text:
        return text
    low = text.lower()
    if "@" in text or _has_any(low, _AT_HINTS) and _AT_HINT.search(text):
        text = _redact_emails(text)
    if _DIGIT.search(text):
        text = _redact_numbers_in_plain_form(text, low)
    else:
        if _has_any(low, _SPOKEN_HINTS):
            text = _redact_spoken_phones(text)
        if _has_any(low, _SPELLED_YEAR_HINTS):
            text = _BIRTH.sub(_replace_birth, text)
            text = _DATE_ALONE.sub(_replace_uncued_date, text)
            if BIRTH_DATE in text:
                text = _redact_birth_years_after(text)
    return _redact_names(text, low)
