"""What a patient's name claims beside it once the names stage has replaced it: the initial, the
given name in parentheses, the year or the date of birth, the chart number that a census line or
a label puts right after a name are that patient's too."""

import re

from feedback.analysis.redaction.dates import (
    _DATE_ALONE,
    _LATEST_UNCUED_BIRTH_YEAR,
    _impossible_birth_year,
    _looks_like_date,
)
from feedback.analysis.redaction.patient_context import _GIVEN_AFTER_COMMA, _NAME_BEFORE_IDENTIFIER
from feedback.analysis.redaction.vocabulary import BIRTH_DATE, DOSSIER, PATIENT
from feedback.analysis.redaction.words import _GIVEN, _PLACE, _flags, _key

# The given part of a "LAST, First" whose surname an identifier after it made a patient's.
_GIVEN_BEFORE_IDENTIFIER = re.compile(
    rf"(?P<lead>{re.escape(PATIENT)})(?P<given>{_GIVEN_AFTER_COMMA})"
)


def _replace_given_before_identifier(match: re.Match) -> str:
    if not _NAME_BEFORE_IDENTIFIER.match(match.string[match.end() : match.end() + 80]):
        return match.group()
    return match["lead"] + match["given"][: match["given"].index(",") + 1] + " " + PATIENT


_DIGIT_HINT = re.compile(r"\d{5}")

# A word alone in parentheses right after a patient's name, typed in lower case: a given name
# there is that patient's ("m. [PATIENT] (gisèle)"), as it would be capitalised.
_GIVEN_IN_PARENTHESES = re.compile(
    r"(?P<lead>\[PATIENT\][ \t]*\([ \t]*)(?P<word>[a-zà-ÿ][a-zà-ÿ'’-]+)(?=[ \t]*\))"
)


def _replace_given_in_parentheses(match: re.Match) -> str:
    flags = _flags(_key(match["word"]))
    if not flags & _GIVEN or flags & _PLACE:
        return match.group()
    return match["lead"] + PATIENT

# A given name set off by a dash right after a patient's name, then what the patient goes by or
# the closing dash: "Mr. [PATIENT] — Manuel, goes by 'Manny' —", "M. [PATIENT] – Réal – dit
# Ti-Réal". The dash alone is not enough: "Mr. [PATIENT] — Julie, can you check?" speaks to her.
_GIVEN_SET_OFF = re.compile(
    r"(?P<lead>\[PATIENT\][ \t]*[—–-][ \t]*)(?P<word>[A-ZÀ-Þ][a-zà-ÿ'’-]+)"
    r"(?=[ \t]*(?:[—–]|,?[ \t]*(?i:goes[ \t]+by|known[ \t]+as|a\.?k\.?a\.?|alias|"
    r"dit[ \t]|surnomm|qu['’]on[ \t]+appelle|who[ \t]+goes|prefers|pr[ée]f[èe]re)))"
)


def _replace_given_set_off(match: re.Match) -> str:
    flags = _flags(_key(match["word"]))
    if not flags & _GIVEN or flags & _PLACE:
        return match.group()
    return match["lead"] + PATIENT


# A patient's given name, then the surname's initial: "Julie L. a chuté". Not a title or a
# colleague's initial that opens another name: "[PATIENT] M. Roy".
_INITIAL_AFTER_NAME = re.compile(
    r"\[PATIENT\][ \t]+[A-ZÀ-Þ]\.(?![\w'’-])(?![ \t]*(?:[A-ZÀ-Þ]\.|[A-ZÀ-Þ][a-zà-ÿ]))"
)

# A number right after a patient's name, as a census line puts the chart number ("ROY Paul
# 456712 ch 3", "ROY Paul H0045821"): six digits or more, or five after a site's letters or a
# check digit and its hyphen ("SMITH, Ellie, 0-4523331"), even at the sentence's end.
# Not a quantity or a time: "[PATIENT] 150000 $".
_CHART_AFTER_NAME = re.compile(
    r"(?P<lead>\[PATIENT\][ \t]*(?:[,|:(–—-][ \t]*)?)"
    r"(?:[A-Z]{1,3}-?\d{5,10}|\d{1,2}-\d{5,9}|\d{6,10}"
    # Five digits only where a bed follows, as on a census line: "GAGNON, Marie — 45821 — ch 4".
    r"|\d{5}(?=[ \t]*[,|:)–—-]?[ \t]*(?i:ch|chambre|lit|bed|rm|room)\b\.?[ \t]*#?\d))"
    r"(?![\w/-]|[.,]\d|[ \t]*(?:\$|%|(?i:mg|ml|kg|g|\$|dollars?|"
    r"fois|times|min|h|heures?|hours?)\b))"
)


# A bare "no" says nothing alone, but right after a patient's name it numbers that patient's
# chart, in groups too: "ROY Luc no 221-0091", "Luc Roy # 44 10 27".
_NUMBERED_HINT = re.compile(r"\[PATIENT\][ \t]*(?i:no|n°|#)")
_NUMBERED_AFTER_NAME = re.compile(
    r"(?P<lead>\[PATIENT\][ \t]*(?i:no\.?|n°|#)[ \t]*)"
    r"(?=(?:\d[ -]?){6,10}(?![\w/-]|[.,]\d))\d(?:[ -]?\d){5,9}"
)


# A year right after a patient's name, or in parentheses shortly after it, in a census line or a
# note: "Roy, Jeanne (1938)", "Jean Roy, 1941, dans la 12", "Mme [PATIENT], 88 ans (1938)".
_BIRTH_YEAR_AFTER_NAME = re.compile(
    r"(?P<lead>\[PATIENT\](?:[ \t]*,?[ \t]+|[^.!?\n\[\]()]{0,20}\())"
    r"(?P<year>19\d\d|200\d)(?=\)|[ \t]*(?:[,/;|—–]|$)|[ \t]+(?i:dans|in|au|lit|bed|ch|rm|room)\b)"
)


# A whole date right after a patient's name, nothing but a comma or a parenthesis between, is
# how a list or a label gives that person's date of birth, whatever the year ("Tremblay, Léa
# 2021-03-08", "Roy (04/11/1938)"); a date followed by an hour dates an event instead.
_DATE_AFTER_NAME = re.compile(
    r"(?P<lead>\[PATIENT\][ \t]*(?:[,:][ \t]*|\([ \t]*|[ \t]))"
    r"(?P<date>\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"(?![\w/.-]|[ \t]*(?:(?i:à|a|at|@|vers|around)[ \t]*)?\d{1,2}[h:])"
)

_DIGIT_DATE_HINT = re.compile(r"\]\W{0,3}\d{1,4}[-/.]\d")


def _replace_date_after_name(match: re.Match) -> str:
    date = match["date"]
    if not _DATE_ALONE.fullmatch(date) or not _looks_like_date(date):
        return match.group()
    years = [int(y) for y in re.findall(r"\d{4}", date)]
    if any(_impossible_birth_year(year) for year in years):
        return match.group()
    return match["lead"] + BIRTH_DATE


def _replace_birth_year(match: re.Match) -> str:
    if int(match["year"]) > _LATEST_UNCUED_BIRTH_YEAR:
        return match.group()
    return match["lead"] + BIRTH_DATE


def _claims_after_patient(text: str) -> str:
    """What a patient's name, once replaced, claims right after it: an initial, a given name in
    parentheses or set off by a dash, a year or a date of birth, a chart number, the given part
    of "LAST, First"."""
    text = _INITIAL_AFTER_NAME.sub(PATIENT, text)
    if "(" in text:
        text = _GIVEN_IN_PARENTHESES.sub(_replace_given_in_parentheses, text)
    if "[PATIENT]" in text and ("—" in text or "–" in text or "-" in text):
        text = _GIVEN_SET_OFF.sub(_replace_given_set_off, text)
    text = _BIRTH_YEAR_AFTER_NAME.sub(_replace_birth_year, text)
    if _DIGIT_DATE_HINT.search(text):
        text = _DATE_AFTER_NAME.sub(_replace_date_after_name, text)
    if _DIGIT_HINT.search(text):
        text = _CHART_AFTER_NAME.sub(lambda m: m["lead"] + DOSSIER, text)
    if _NUMBERED_HINT.search(text):
        text = _NUMBERED_AFTER_NAME.sub(lambda m: m["lead"] + DOSSIER, text)
    if "," in text and "[" in text:
        text = _GIVEN_BEFORE_IDENTIFIER.sub(_replace_given_before_identifier, text)
    return text
