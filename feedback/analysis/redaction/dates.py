"""Dates of birth. A full date whose year is long past is a date of birth, unless it dates an
event (an opening, a law); any date after a birth cue ("né le", "DOB", "DDN") is one, even
without its year, and so is that birthday quoted again.
"""

import datetime
import re

from feedback.analysis.redaction.vocabulary import _RELATIVE, BIRTH_DATE, DATE, _Lazy
from feedback.analysis.text import fold

_MONTH_NAMES = {
    1: "janvier|janv|jan|january",
    2: "f[ée]vrier|f[ée]vr?|feb|february",
    3: "mars|mar|march",
    4: "avril|avr|apr|april",
    5: "mai|may",
    6: "juin|jun|june",
    7: "juillet|juil|jul|july",
    8: "ao[ûu]t|aug|august",
    9: "septembre|sept|sep|september",
    10: "octobre|oct|october",
    11: "novembre|nov|november",
    12: "d[ée]cembre|d[ée]c|dec|december",
}

_MONTH_FORMS = sorted("|".join(_MONTH_NAMES.values()).split("|"), key=len, reverse=True)

_MONTH = "(?i:" + "|".join(_MONTH_FORMS) + r")\.?"
# A month's name whose dot is an abbreviation's, not the sentence's end: "1er janv. 2020" but
# "le 1er janvier. Sa date…".
_MONTH_WORD = "(?i:" + "|".join(_MONTH_FORMS) + r")(?:\.(?!\s*(?:[A-ZÀ-Þ]|$)))?"

_NUMBER_WORD = (
    r"(?:premier|premi[èe]re|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
    r"treize|"
    r"quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|vingt|trente|quarante|cinquante|soixante|"
    r"soixante-dix|quatre-vingts?|quatre-vingt-dix|et|first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    r"seventeenth|eighteenth|nineteenth|twentieth|thirtieth|one|two|three|four|five|seven|eight|"
    r"nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|oh|hundred)"
)

_NUMBER_WORDS = rf"(?i:{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*)"

_SPELLED_YEAR = (
    rf"(?i:(?:mil(?:le)?[\s-]+neuf[\s-]+cents?|dix-neuf[\s-]+cents?|nineteen(?:[\s-]+hundred)?|"
    rf"deux[\s-]+mille|two[\s-]+thousand)(?:(?:[\s-]+|[\s-]+and[\s-]+){_NUMBER_WORD})*)"
)

# A year of the last century said the short way, as people give a date of birth aloud: "le
# douze mars quarante-sept", "June third, fifty-two". Not a count: "trente patients".
_SPELLED_SHORT_YEAR = (
    r"(?i:(?:trente|quarante|cinquante|soixante|quatre-vingts?)"
    r"(?:(?:[\s-]+et)?[\s-]+(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
    r"treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf))?"
    r"|(?:thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|"
    r"six|seven|eight|nine))?)"
    r"(?![\w-])(?!\s+(?i:patients?|pts|personnes|people|minutes|min|heures|hours|jours|days|"
    r"ans|years|fois|times|lits|beds|dossiers|charts|%|\$))"
)

_YEAR = r"(?:\d{4}|['’]\d{2})"

# What after two digits makes them a count or a time, not a year.
_NOT_A_YEAR_AFTER = (
    r"\s*(?i:min|h\b|heures?|hours?|hrs?|patients?|pts\b|jours?|days?|ans|years?|%|mg|ml|fois|"
    r"times|lits|beds|fois|x\b)"
)

# Text typed in capitals writes its ordinals so too: "NÉ LE 1ER MAI".
_ORD = r"(?i:er|re|e|st|nd|rd|th)?"

_DATE = (
    rf"(?:(?P<d1>\d{{1,2}}){_ORD}\s+(?:(?i:of|de)\s+)?(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>{_YEAR})"
    r"|(?P<y3>\d{4})(?P<s3>[-/.])(?P<m3>\d{1,2})(?P=s3)(?P<d3>\d{1,2})"
    r"|(?P<a4>\d{1,2})(?:er|re)?(?P<s4>[-/.])(?P<b4>\d{1,2})(?P=s4)(?P<y4>\d{4}|['’]?\d{2})"
    # Day, month and year in two digits each, set apart by single spaces: "02 05 49".
    r"|(?P<a10>0[1-9]|[12]\d|3[01])[ ](?P<b10>0[1-9]|1[0-2])[ ](?P<y10>(?:19)?\d\d)(?![ ]\d)"
    rf"(?!{_NOT_A_YEAR_AFTER})"
    # A month's name, the day, a two-digit year with no apostrophe: "Mar 14 47".
    rf"|(?P<m11>{_MONTH})\s+(?P<d11>\d{{1,2}}),?\s+(?P<y11>\d\d)(?!{_NOT_A_YEAR_AFTER})"
    rf"|(?:(?i:the)\s+)?(?P<w5>{_NUMBER_WORDS})\s+(?:(?i:of|de)\s+)?(?P<m5>{_MONTH}),?\s+"
    rf"(?P<y5>{_YEAR}|{_SPELLED_YEAR}|{_SPELLED_SHORT_YEAR})"
    rf"|(?P<m6>{_MONTH})\s+(?:the\s+)?(?P<w6>{_NUMBER_WORDS}),?\s+(?P<y6>{_YEAR}|{_SPELLED_YEAR}|{_SPELLED_SHORT_YEAR})"
    rf"|(?P<d8>\d{{1,2}})(?:[-/]|\s+)(?P<m8>{_MONTH})(?:[-/]|\s+)(?P<y8>['’]?\d{{2}}|\d{{4}})"
    r"(?!\s*(?i:min|h\b|heures?|hours?|hrs?|patients?|jours?|days?|ans|%|mg|ml|fois|times))"
    rf"|(?P<m9>{_MONTH})[-/](?P<d9>\d{{1,2}})[-/](?P<y9>\d{{4}}|\d{{2}})"
    r"|(?P<h7>(?i:christmas(?:\s+(?:eve|day))?|no[ëe]l|new\s+year['’]s(?:\s+(?:eve|day))?|"
    r"jour\s+de\s+l['’]an|saint-jean(?:-baptiste)?|st-jean|f[êe]te\s+nationale|canada\s+day|"
    r"halloween|valentine['’]s\s+day|saint-valentin|st-valentin|independence\s+day|"
    r"p[âa]ques|easter)),?\s+(?:(?i:of\s+)?(?:['’]|19)(?P<y7>\d{2}))"
    r")(?![\w-])(?![.,/]\d)"
)

# The placeholder itself ("[DATE DE NAISSANCE]") is no cue: redacting twice changes nothing.
# "ne" typed without its accent is "né" only before a date's words: otherwise it is the
# negation ("ne peut pas rejoindre le 24/7").
_BIRTH_CUE = (
    r"(?i:\b(?:n[ée](?:e|s|es)|né)\b|\bne\b(?=\s*(?:(?:le|la|en|[àa]|au|vers|on|in)\b|:|\d))|\bborn\b|\bd\.?o\.?b\b\.?|\bddn\b|(?<!\[)\bdate\s+de\s+naissance|"
    r"\by\.?o\.?b\b\.?|\bbirth\s*year|\byear\s+of\s+birth|"
    r"\bdate\s+of\s+birth|\bbirth\s*date|\bbirthdate|\bbirthday|(?<!DATE DE )\bnaissance|"
    r"\bdn\s*:|\bn\.\s|\bnaiss\.|\bb-?day\b"
    # "b. 1952", "(° 1945)": born, as in a genealogy or a chart header.
    r"|\bb\.(?=\s?(?:19|20)\d\d\b)|(?<![nN\w])[°º](?=\s?(?:19|20)\d\d\b))"
)

# The hour of a birth, told between the cue and the date: "né à 23h58 le 31 déc", "born at
# 11:58 pm on Dec 31".
_BIRTH_TIME = (
    r"(?:\d{1,2}[ \t]?(?:[hH]|:)[ \t]?\d{2}(?:[ \t]?(?i:am|pm))?(?![\w:])[^\d.!?\n\[]{0,20}?)?"
)

_BIRTH = _Lazy(
    rf"(?P<cue>{_BIRTH_CUE}[^\d.!?\n\[]{{0,45}}?{_BIRTH_TIME})"
    rf"(?P<date>(?<![\w/.-]){_DATE}|(?<=\s)['’]\d\d(?![\w/.-])"
    # A year alone after "en"/"in", spelt out or in two digits: "née en mille neuf cent
    # trente-huit", "né en 41", "born in 52".
    rf"|(?<=\b(?i:en|in)\s){_SPELLED_YEAR}|(?<=\b(?i:en|in)\s){_SPELLED_SHORT_YEAR}"
    # Or right after the cue: "born nineteen fifty-two".
    rf"|(?<=\s){_SPELLED_YEAR}(?![\w-])"
    r"|(?<=\b(?i:en|in)\s)\d\d(?![\w/.-]|[.,]\d)(?!\s*(?i:ans|years?|semaines?|weeks?|jours?|"
    r"days?|mois|months?|h\b|heures?|hours?|min|%|kg|lbs?|cm)\b)"
    # Or a field's value: "Année de naissance : 52".
    rf"|(?:(?<=[:=])|(?<=[:=][ \t]))\d\d(?![\w/-]|[.,]\d)(?![ \t]*(?:\d|{_MONTH}))"
    r"(?!\s*(?i:ans|years?|semaines?|weeks?|jours?|"
    r"days?|mois|months?|h\b|heures?|hours?|min|%|kg|lbs?|cm)\b)"
    # A year, then the day and month apart: "née en 1923, le 22 septembre".
    rf"|(?<=\s)(?P<year>(?:19|20)\d{{2}})(?:(?:\s*[,;—–-])?\s+(?:(?i:le|the|on)\s+)?"
    rf"(?P<day>\d{{1,2}}){_ORD}\s+"
    rf"(?:(?i:of|de)\s+)?(?P<month>{_MONTH}))?(?![\w/-]|\.\d)"
    # The month first, then the day, with no year: "DOB: Mar 3, no year on file".
    rf"|(?<![\w/.-])(?<!\b[eE]n\s)(?<!\b[iI]n\s){_MONTH}\s+\d{{1,2}}{_ORD}(?![\w/:-])(?!\s*\d)"
    rf"(?!{_NOT_A_YEAR_AFTER})"
    # After a cue, a day and a month are the birthday even when the year is apart or missing.
    rf"|(?<![\w/.-])\d{{1,2}}{_ORD}\s+(?:(?i:of|de)\s+)?{_MONTH}(?:\s*\(\s*\d{{4}}\s*\))?"
    r"(?![\w-])(?!\s*\d)"
    # With a two-digit year ("7th March 55"), or spaces for separators ("05 05 1972").
    rf"|(?<![\w/.-])\d{{1,2}}{_ORD}\s+(?:(?i:of|de)\s+)?{_MONTH},?\s+\d\d(?![\w/-]|[.,]\d)"
    rf"|(?<![\w/.-]){_MONTH}\s+\d{{1,2}}{_ORD},?\s+\d\d(?![\w/-]|[.,]\d)"
    r"|(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01]) (?:0?[1-9]|[12]\d|3[01]) (?:19|20)?\d\d"
    r"(?![\w/-]|[.,]\d)"
    # Day and month by their numbers, without the year: "née le 14/11", "DDN 14-11", "born
    # on 11/14"; not a fraction of weeks ("3/7 sem.").
    r"|(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01])[/-](?:0?[1-9]|[12]\d|3[01])"
    r"(?![\w/-]|[.,]\d)(?!\s*(?i:sem\w*|weeks?|wks?|jours?|days?|kg|lbs?|g\b|%|h\b|min))"
    # The month by its number, as said aloud: "né le 3 du 3 1939".
    r"|(?<![\w/.-])(?:0?[1-9]|[12]\d|3[01])\s+(?i:du|of)\s+(?:0?[1-9]|1[0-2]),?\s+(?:19|20)?\d\d"
    r"(?![\w/-]|[.,]\d)"
    # Two digits alone right after "DDN" or "DOB": the year ("Gagnon, Marie (DDN 41)").
    r"|(?P<bare>(?<=[\s:])\d\d)(?![\w/.-]|[.,]\d)(?!\s*(?i:ans|years?|yo|mois|months?|jours?|days?|"
    r"semaines?|weeks?|h\b|min|%|kg|lbs?|cm))"
    r")"
)

# The cues after which two digits alone are a year of birth.
_YEAR_ALONE_CUE = re.compile(r"(?i:\s*(?:ddn|dob|d\.o\.b\.?|dn)\s*:?\s*)")

# A second date given as the right one for a date of birth ("la DDN est entrée 2024-06-12 au
# lieu du 2024-06-13", "née le 15/05/2024, pas le 05/15"), or as the one a record put down
# for the birth ("…, le système l'a enregistrée le 1er janvier", "Epic recorded it as Jan 1"),
# is the date of birth too, in another form or without its year.
_CORRECTED_BIRTH = _Lazy(
    r"(?P<gap>\[DATE DE NAISSANCE\]\)?[ \t]*,?[ \t]*(?:(?i:au\s+lieu\s+d[eu]|instead\s+of|"
    r"rather\s+than|plut[ôo]t\s+que|et\s+non|and\s+not|pas|not|ou|or|vs\.?|versus|"
    r"corrig[ée]e?\s+(?:en|[àa]|pour)|changed\s+to|should\s+be|devrait\s+[êe]tre|→|->|/)"
    # The record's verb with the birth or the child as its object: "l'a enregistré le".
    r"|[^\d\[.!?\n]{0,40}?(?:\b(?i:l['’]|la|le|les)\s*(?i:a|ont|avait|avaient)\s+"
    r"(?i:enregistr|inscri|saisi|entr|not|mis|consign|d[ée]clar)\w*"
    r"|\b(?i:recorded|entered|registered|logged|charted|put|listed)\s+(?i:it|her|him|them)\b)"
    r"(?:\s+(?i:comme|as|au|[àa]|on))?)"
    r"[ \t]*(?:(?i:le|la|the|du|de|au)[ \t]+)?)"
    rf"(?<![\w/.-])(?:{_DATE}"
    # Or the day and the month alone, in words or in numbers.
    rf"|(?:\d{{1,2}}{_ORD}\s+(?:(?i:of|de)\s+)?{_MONTH_WORD}|{_MONTH_WORD}\s+\d{{1,2}}{_ORD}"
    r"|(?:0?[1-9]|[12]\d|3[01])[/-](?:0?[1-9]|[12]\d|3[01]))(?![\w/-]|[.,]\d))"
)

# Once a date of birth is in the text, the day one calls one's own ("sa fête c'est le 23
# octobre", "her birthday is June 3") is that birthday; a colleague's party stays elsewhere.
_OWN_DAY = _Lazy(
    r"(?P<cue>(?<!\bla )(?<!\bLa )(?<!\bune )(?<!\bthe )(?<!\bThe )(?<!\ba )"
    r"\b(?:(?i:sa|son|leur|his|her|their)\s+)?(?i:f[êe]te|anniversaire|birthday|b-?day)\b"
    r"(?!\s+(?i:de|du|des|d['’]|of)\b)[^\d.!?\n\[]{0,30}?)"
    rf"(?<![\w/.-])(?:\d{{1,2}}{_ORD}\s+(?:(?i:of|de)\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}{_ORD})"
    r"(?![\w-])(?!,?\s*\d)"
)
# A birthday told as one is a date of birth without its year: the day someone turns an age
# ("a eu 90 ans le 23 novembre", "fête ses 85 ans le 2 mars", "turned 95 on December 1st",
# "le 15 janvier, elle aura 100 ans"), or a birthday that a possessive or a patient owns ("son
# anniversaire le 9 octobre", "anniv du pt le 30 déc"). "Ma fête", a go-live's anniversary and
# a training's date have neither.
_AGE_TURNED = (
    r"\b(?i:a\s+eu|aura|aurait|avait|va\s+avoir|(?:a\s+)?f[êe]t(?:e|era|erait|ait|[ée])\s+ses|"
    r"c[ée]l[èe]br\w*\s+ses|turn(?:s|ed|ing)?|will\s+be|['’]ll\s+be)\s+\d{2,3}(?!\d)"
    r"(?:\s*(?i:ans|years?(?:\s+old)?)\b)?"
)
_OWNED_BIRTHDAY = (
    r"\b(?i:sa|son|leur|his|her|their)\s+(?:\d{1,3}(?i:e|[èe]me|st|nd|rd|th)\s+)?"
    r"(?i:f[êe]te|anniversaire|birthday|b-?day)\b"
    r"|\b(?i:anniv(?:ersaire)?|birthday|b-?day|f[êe]te)\s+(?i:du|de\s+la|de\s+l['’]|de|of\s+the|of)\s*"
    rf"(?:(?i:patiente?|pte?|usag[èe]re|r[ée]sidente?|monsieur|madame|mme|mr|mrs|{_RELATIVE})\b"
    r"|(?i:m|mr|mrs)\.)"
)
_DAY_OF_MONTH = (
    rf"(?<![\w/.-])(?:\d{{1,2}}{_ORD}\s+(?:(?i:of|de)\s+)?{_MONTH}|{_MONTH}\s+(?:the\s+)?\d{{1,2}}{_ORD})"
    # Digits after it are a year or a time, unless an age: "le 3 mars, 90 ans".
    r"(?:,?\s+(?:\d{4}|['’]\d\d))?(?![\w-])(?!,?\s*\d+\b(?!\s*(?i:ans|years?|yo)\b))"
)
_TOLD_BIRTHDAY = _Lazy(
    rf"(?P<cue>(?:{_AGE_TURNED}|{_OWNED_BIRTHDAY})[^\d.!?\n\[]{{0,30}}?)(?P<date>{_DAY_OF_MONTH})"
    rf"|(?P<day>{_DAY_OF_MONTH})(?=(?P<gap>[^\d.!?\n\[]{{0,25}}?){_AGE_TURNED})"
)
# What turns an age without being born: a system, a place, a team ("l'hôpital fête ses 50 ans",
# "Epic aura 10 ans le 2 mars").
_AGELESS_SUBJECT = _Lazy(
    r"\b(?i:syst[èe]mes?|systems?|epic|h[ôo]pital|hospital|unit[ée]?s?|clsc|chsld|pavillons?|"
    r"centres?|cent(?:er|re)s?|programmes?|programs?|projets?|projects?|services?|[ée]quipes?|"
    r"teams?|d[ée]partements?|departments?|logiciels?|software|applications?|apps?|cliniques?|"
    r"clinics?|fondations?|foundations?|buildings?|[ée]difices?|organisations?|organizations?|"
    r"r[ée]seaux?|networks?|ciu?sss|chu\w*|gmf|compagnies?|company|entreprises?|ville|city|"
    r"go-?live|d[ée]ploiement|implantation|site|wards?|floors?|[ée]tages?|salles?|cafétéria)\b"
)

_TOLD_BIRTHDAY_HINTS = (
    " ans",
    "anniv",
    "birthday",
    "bday",
    "b-day",
    "turn",
    "year",
    "ll be",
    "will be",
    "fête",
    "fete",
)

# The writer's own years, or the team's: "On a eu 12 ans le 3 mai sans incident", "I turn 40".
_WE_BEFORE = re.compile(r"\b(?i:on|nous|we|i|you|vous|tu)\s*$")


def _replace_told_birthday(match: re.Match) -> str:
    if match["cue"]:
        clause = match.string[max(0, match.start() - 40) : match.start()]
        clause = re.split(r"[.!?;\n]", clause)[-1]
        if _AGELESS_SUBJECT.search(clause) or _WE_BEFORE.search(clause):
            return match.group()
        return match["cue"] + BIRTH_DATE
    if _AGELESS_SUBJECT.search(match["gap"]):
        return match.group()
    return BIRTH_DATE


# A birth year given alone, then its day and month in the same sentence: "DDN 1939 (jour
# inconnu), le 14 avril selon sa carte". A day that dates an admission or a visit is not it.
_DAY_AFTER_BIRTH_YEAR = _Lazy(
    r"(?P<gap>\[DATE DE NAISSANCE\](?:(?!(?i:admi|arriv|op[ée]r|transf|sorti|cong[ée]|rendez|rdv|"
    r"seen|visit|vue?\b|discharg|surg|chirurg|hospitalis))[^\d\[.!?\n]){0,50}?)"
    rf"(?<![\w/.-])(?:\d{{1,2}}{_ORD}\s+(?:(?i:of|de)\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}{_ORD})"
    r"(?![\w-])(?!,?\s*\d)"
)
# After a "+" digits are a phone number dialled abroad, whole or cut: "+30 12 45".
_DATE_ALONE = _Lazy(rf"(?<![\w/.+-]){_DATE}")

# After a date of birth, the year said apart, or a relative's year in the same breath: "Né le
# 30 septembre, en 1935", "la mère est née en 48, le père en 50".
_BIRTH_YEAR_AFTER = _Lazy(
    r"(?P<gap>\[DATE DE NAISSANCE\][ \t]*,?[ \t]*"
    r"(?:(?:(?i:et|and)\s+)?(?:(?i:le|la|l['’]|son|sa|his|her|the|their)\s*)?"
    rf"(?i:{_RELATIVE})\s+(?:(?i:est\s+|was\s+)?(?i:n[ée]e?|born)\s+)?)?"
    r"(?i:en|in)\s+)"
    rf"(?P<year>(?:19\d\d|200\d)(?![\w-]|[.,]\d)|['’]\d\d(?![\w/-])|{_SPELLED_SHORT_YEAR})"
    # Birth years in a list share the cue of the first: "nés en 45, 47 et 52".
    r"|(?P<list>\[DATE DE NAISSANCE\][ \t]*(?:,|(?i:et|and|ou|or|&))[ \t]*)"
    r"(?P<next>(?:19\d\d|200\d|['’]?\d\d)(?![\w/-]|[.,]\d|\s*(?i:ans|years|%|h\b|min)))"
    # Two namesakes told apart by their years: "one was born 1971, other 1937", "l'un est né en
    # 1950, l'autre en 1948". The other's year is a birth year too.
    r"|(?P<other>\[DATE DE NAISSANCE\][ \t]*[,;][ \t]*(?:(?i:and|et|but|mais|while)[ \t]+)?"
    r"(?:(?i:the|l['’])[ \t]*)?(?i:other|autre)(?:[ \t]+(?i:one|patient|patiente?))?[ \t]+"
    r"(?:(?:(?i:was|is|est)[ \t]+)?(?i:n[ée]e?|born)[ \t]+)?(?:(?i:en|in)[ \t]+)?)"
    r"(?:19\d\d|200\d)(?![\w-]|[.,]\d)"
)


def _replace_birth_year_after(match: re.Match) -> str:
    return (match["gap"] or match["list"] or match["other"]) + BIRTH_DATE


def _redact_birth_years_after(text: str) -> str:
    """The years said after a date of birth (apart, a relative's, the rest of a list)."""
    for _ in range(4):  # each year of a list follows the one just replaced
        replaced = _BIRTH_YEAR_AFTER.sub(_replace_birth_year_after, text)
        if replaced == text:
            break
        text = replaced
    return text


_DAY_MONTH = _Lazy(
    rf"(?<![\w/.-])(?:(?P<d1>\d{{1,2}}){_ORD}\s+(?:(?i:of|de)\s+)?(?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}){_ORD})(?![\w-])(?!,?\s*['’]?\d)"
)

_EVENT_AFTER = _Lazy(
    r"[^.!?\d]{0,40}?\b(?i:a\s+ouvert|a\s+[ée]t[ée]\s+(?:fond|construit|inaugur|ouvert|cr[ée])\w*|"
    r"a\s+fusionn[ée]|ont\s+fusionn[ée]|fusionn\w*|inaugur\w*|fond[ée]e?|opened|was\s+built|"
    r"was\s+founded|merged|came\s+into\s+force|est\s+entr[ée]e?\s+en\s+vigueur|a\s+brûl[ée])"
)

# A full date this old is nobody's go-live: it is a date of birth, unless it dates an event.
_EVENT_BEFORE = _Lazy(
    # Whole words: "Exact date" holds "act", "Updated" holds "dated".
    r"\b(?i:ouvert|ouverture|fond[ée]e?|fondation|construit|construction|inaugur\w*|opened|built|"
    r"founded|established|since|depuis|en\s+vigueur|mise?s?\s+en\s+service|fusion|merged?|loi|act|"
    r"r[èe]glement|publi[ée]e?|cr[ée][ée]e?|created|launched|lanc[ée]e?|install[ée]e?|"
    r"went\s+live|d[ée]marr[ée]e?|"
    # A career's dates: "j'ai commencé le 3 septembre 1991", "hired on June 4, 1996".
    r"commenc[ée]e?s?|d[ée]but[ée]e?s?|embauch[ée]e?s?|engag[ée]e?s?|entr[ée]e?s?\s+en\s+poste|"
    r"dipl[ôo]m[ée]e?s?|graduated|hired|started|joined|retraite|retired|"
    # The verb, not the noun of a form's field ("Date exacte : 03/11/1938").
    r"(?<!\[)dat(?:ent|ant|ait|ée?s?|ees?|ed|ing)|(?<!\[)date(?=\s+(?i:de|du|d['’]|from|back)\b)|"
    r"remont\w*|go(?:es|ing)?\s+back|"
    r"r[ée]nov[ée]e?s?|renovated|agrandie?s?|expanded|modernis[ée]e?s?|restaur[ée]e?s?|"
    r"restored|d[ée]moli?e?s?|demolished|ferm[ée]e?s?|closed|d[ée]m[ée]nag[ée]e?s?|relocated)"
    r"\b[^.!?\d]{0,25}$"
)

_LATEST_UNCUED_BIRTH_YEAR = 2009

_EARLIEST_TWO_DIGIT_BIRTH_YEAR = 30

_SPELLED_YEAR_HINTS = (
    "mil ",
    "mille ",
    "nineteen",
    "cent ",
    "thousand",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "quatre-vingt",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
)

_BIRTH_HINTS = (
    "né",
    "nee",
    "ne le",
    "ne en",
    "ne 19",
    "ne 20",
    "born",
    "dob",
    "d.o.b",
    "ddn",
    "naiss",
    "birth",
    "yob",
    "y.o.b",
    "dn:",
    "dn :",
    "n. ",
    "b. 1",
    "b. 2",
    "b.1",
    "b.2",
    "°",
    "º",
)

_OWN_DAY_HINTS = ("fête", "fete", "anniversaire", "birthday", "bday", "b-day")
_DATE_HINT = re.compile(
    r"\d[-/.]\d|\d{4}|['’]\d|\d[-/.\s]+[^\W\d]{3,9}\.?[-/.\s]+['’]?\d|\d\d \d\d \d\d"
    r"|[^\W\d]{3}\.?\s+\d{1,2},?\s+\d\d"
)


def _replace_birthday(match: re.Match, days: set[frozenset[int]]) -> str:
    day = int(match["d1"] or match["d2"])
    month = _month(match["m1"] or match["m2"])
    return BIRTH_DATE if month and frozenset((month, day)) in days else match.group()


def _date_parts(match: re.Match) -> tuple[int | None, int | None, int | None]:
    """Year (four digits when known, else two), month and day of a date match; None if unknown."""
    group = match.group
    if group("y1") or group("y2"):
        n = "1" if group("y1") else "2"
        return _year(group("y" + n)), _month(group("m" + n)), int(group("d" + n))
    if group("y3"):
        return int(group("y3")), int(group("m3")), int(group("d3"))
    if group("y4"):
        first, second, year = int(group("a4")), int(group("b4")), group("y4")
        if len(year) == 2 and first > 31 and second <= 12:  # yy-mm-dd
            return 1900 + first, second, int(year)
        return _year(year), second if second <= 12 else first, first if second <= 12 else second
    if group("y5") or group("y6"):
        n = "5" if group("y5") else "6"
        return _year(group("y" + n)) or 1900, _month(group("m" + n)), None
    if group("y7"):
        return 1900 + int(group("y7")), None, None
    if group("y10"):
        return _year(group("y10")), int(group("b10")), int(group("a10"))
    if group("y11"):
        return _year(group("y11")), _month(group("m11")), int(group("d11"))
    if group("y8") or group("y9"):
        n = "8" if group("y8") else "9"
        return _year(group("y" + n)), _month(group("m" + n)), int(group("d" + n))
    return None, None, None


def _year(text: str) -> int | None:
    digits = re.sub(r"\D", "", text)
    if not digits:
        return 1900 if text else None  # a year in words: "mil neuf cent quarante"
    return int(digits) if len(digits) == 4 else int(digits)


def _month(text: str) -> int | None:
    key = fold(text).rstrip(".")
    for number, names in _MONTH_NAMES.items():
        if re.fullmatch(fold(names).replace("[ee]", "e").replace("[uu]", "u"), key):
            return number
    return None


def _date_key(year: int | None, month: int | None, day: int | None):
    if year is None or month is None or day is None:
        return None
    return year % 100, frozenset((month, day))


def _replace_birth(match: re.Match, births: set | None = None) -> str:
    if match["bare"] and not _YEAR_ALONE_CUE.fullmatch(match["cue"]):
        return match.group()  # "né le 15": a day, not a year
    date = match.group("date")
    if any(_impossible_birth_year(int(year)) for year in _FULL_YEAR.findall(date)):
        return match.group()
    if births is not None and match["month"]:
        births.add(
            (int(match["year"]) % 100, frozenset((_month(match["month"]), int(match["day"]))))
        )
    elif births is not None and date.isdigit() and len(date) == 4:
        births.add((int(date) % 100, frozenset()))  # the year alone: its day may follow
    elif births is not None and not date.isdigit():
        inner = _DATE_ALONE.match(date)
        if inner:
            key = _date_key(*_date_parts(inner))
            if key:
                births.add(key)
    return match["cue"] + BIRTH_DATE


def _replace_uncued_date(match: re.Match, births: set | None = None) -> str:
    year, month, day = _date_parts(match)
    before = match.string[max(0, match.start() - 12) : match.start()]
    if year is None or _VERSION_BEFORE.search(before):
        return match.group()  # "version 2.1.33": a release's number, no date
    key = _date_key(year, month, day)
    if births and key in births:
        return BIRTH_DATE
    if (
        births
        and key
        and year < 100
        and any(key[1] == pair and _mistyped_year(year, born) for born, pair in births if pair)
    ):
        # The date of birth with its two-digit year mistyped, digits swapped or one changed:
        # "DDN 23-06-41 sur le bracelet, 23-06-14 dans Epic".
        return BIRTH_DATE
    if year >= 1000 and _impossible_birth_year(year):
        return match.group()
    if (
        year >= 1000
        and year <= _LATEST_UNCUED_BIRTH_YEAR
        and _FAMILY_EVENT_BEFORE.search(match.string, max(0, match.start() - 50), match.start())
    ):
        # "veuve depuis le 3 mars 1998": a family's event, though "depuis" dates it; not an
        # arrival, which may be a colleague's on the unit.
        return DATE
    if year >= 1000:
        event = _EVENT_BEFORE.search(
            match.string, max(0, match.start() - 40), match.start()
        ) or _EVENT_AFTER.match(match.string, match.end())
        old = year <= _LATEST_UNCUED_BIRTH_YEAR and not event
        return _old_date_label(match) if old else match.group()
    # Two-digit year: "57" is 1957; "24" may be this year's meeting.
    valid = month is not None and 1 <= month <= 12 and (day is None or 1 <= day <= 31)
    if valid and year >= _EARLIEST_TWO_DIGIT_BIRTH_YEAR:
        return _old_date_label(match)
    return match.group()


def _old_date_label(match: re.Match) -> str:
    """An old date is most often a birth date, unless another event of a life dates it."""
    return DATE if _life_event_before(match) else BIRTH_DATE


def _life_event_before(match: re.Match) -> bool:
    return bool(_LIFE_EVENT_BEFORE.search(match.string, max(0, match.start() - 50), match.start()))


_FAMILY_EVENT_BEFORE = _Lazy(
    r"\b(?i:mari[ée]e?s?|mariage|married|marriage|wedding|noces|veu(?:f|ve)|widow\w*|"
    r"divorc\w*|adopt[ée]e?s?|adopted|adoption|immigr\w*)\b[^.!?\d]{0,40}$"
)

# What else of a life an old date tells: an arrival, a marriage, a widowhood, an adoption.
_LIFE_EVENT_BEFORE = _Lazy(
    r"\b(?i:arriv[ée]e?s?|arrival|arrived|immigr\w*|[ée]migr\w*|emigrat\w*|install[ée]e?s?\s+au|"
    r"landed|came\s+to|mari[ée]e?s?|mariage|married|marriage|wedding|noces|[ée]pous[ée]e?|"
    r"veu(?:f|ve)|widow\w*|divorc\w*|adopt[ée]e?s?|adopted|adoption|naturalis\w*|citoyennet[ée]|"
    r"citizenship)\b[^.!?\d]{0,40}$"
)


_VERSION_BEFORE = re.compile(
    r"(?i:\b(?:version|vers|ver|v|release|build|patch|correctif|mise\s+[àa]\s+jour|update))"
    r"\.?[ \t]*$"
)


_FULL_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")

# No one alive was born in a year to come ("né en 2052": a form's error) or longer ago than the
# longest life: "01-01-1900" is what a form takes when the date is unknown.
_THIS_YEAR = datetime.date.today().year
_LONGEST_LIFE = 118


def _impossible_birth_year(year: int) -> bool:
    return year > _THIS_YEAR or year < _THIS_YEAR - _LONGEST_LIFE


def _mistyped_year(year: int, born: int) -> bool:
    """Whether a two-digit year is a birth year's digits swapped or one of them changed."""
    mine, theirs = f"{year % 100:02d}", f"{born % 100:02d}"
    return mine == theirs[::-1] or sum(a != b for a, b in zip(mine, theirs, strict=True)) == 1


def _looks_like_date(value: str) -> bool:
    found = _DATE_ALONE.fullmatch(value)
    if not found:
        return False
    year, month, day = _date_parts(found)
    # No date has a year like "4455": "dossier # 11-20-4455" is a chart number.
    plausible = year is not None and (year < 100 or 1800 <= year <= 2100)
    return bool(plausible and month and day and 1 <= month <= 12 and 1 <= day <= 31)


def _compact_date(digits: str) -> bool:
    """Whether eight digits read as a date, year first or last: "19530411", "11041953"."""
    if len(digits) != 8 or not digits.isdigit():
        return False
    for year, month, day in (
        (digits[:4], digits[4:6], digits[6:]),
        (digits[4:], digits[2:4], digits[:2]),
    ):
        if year[:2] in ("19", "20") and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return True
    return False


def _recent_compact_date(digits: str) -> bool:
    """Whether eight digits read as a date of this century, year first: "20240917"."""
    if len(digits) != 8 or not digits.isdigit() or digits[:2] != "20":
        return False
    return 1 <= int(digits[4:6]) <= 12 and 1 <= int(digits[6:]) <= 31
