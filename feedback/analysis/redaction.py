"""Replace patient identifiers with readable placeholders, keeping everything else."""

import re

from feedback.analysis.resources import first_names, stopwords
from feedback.analysis.text import fold

RAMQ, DOSSIER, PHONE, EMAIL, BIRTH_DATE, PATIENT = (
    "[RAMQ]",
    "[DOSSIER]",
    "[TÉLÉPHONE]",
    "[COURRIEL]",
    "[DATE DE NAISSANCE]",
    "[PATIENT]",
)
PLACEHOLDER = re.compile(r"\[(?:RAMQ|DOSSIER|TÉLÉPHONE|COURRIEL|DATE DE NAISSANCE|PATIENT)\]")

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_LOW = "a-zàâäçéèêëîïôöùûüÿæœ"
# A capitalised name, compound ("St-Pierre", "O'Neil") or all capitals ("GAGNON").
_NAME = rf"[{_UP}][{_LOW}{_UP}]*(?:['’-][{_UP}][{_LOW}{_UP}]*){{0,3}}"
_NAMES = rf"{_NAME}(?:[ \t]+{_NAME}){{0,2}}"

_DIGIT = re.compile(r"\d")
_FOUR_DIGITS = re.compile(r"\d{4}")
_WORD = re.compile(r"\S+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Mailboxes of the establishment or of a service are contact points, not patients.
_INSTITUTIONAL_EMAIL = re.compile(
    r"@(?:[\w-]+\.)*(?:[\w-]*(?:hopital|hospital|cisss|ciusss|chu|chum|cusm|muhc|sante|ssss|gouv)[\w-]*)\."
    r"|^(?:soutien|support|aide|help|helpdesk|info|admin|centre|servicedesk|dsn|ti|it|noreply|no-reply)[\w.+-]*@",
    re.IGNORECASE,
)

# ServiceNow-style ticket prefixes share the letters-then-digits shape of a RAMQ number.
_RAMQ = re.compile(
    r"(?<![\w-])(?!(?i:inc|ritm|req|chg|prb|task|sctask|ctask|rfc|kb|tkt))"
    r"[A-Za-z]{4}[ -]?\d{4}[ -]?\d{4}(?![\w-])"
)

_MONTH = (
    r"(?i:janvier|janv|f[ée]vrier|f[ée]vr?|mars|avril|avr|mai|juin|juillet|juil|ao[ûu]t|septembre|sept|octobre|"
    r"novembre|d[ée]cembre|d[ée]c|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:er)?\s+{_MONTH}\s+(?P<y1>\d{{4}})"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?P<y4>\d{4}|\d{2}))(?![\w-])"
)
_BIRTH_CUE = (
    r"(?i:\bn[ée]e?s?(?:\s+(?:le|en|the))?|\bborn(?:\s+(?:on|in))?|\bd\.?o\.?b\.?|\bddn|\bdate\s+de\s+naissance"
    r"|\bdate\s+of\s+birth|\bbirth\s*date|\bnaissance|\bn\.)\s*[:=]?\s*"
)
_BIRTH = re.compile(rf"(?P<cue>{_BIRTH_CUE})(?P<date>{_DATE}|(?:19|20)\d{{2}}(?!\d))")
_DATE_ALONE = re.compile(rf"(?<![\w/.-]){_DATE}")
# A full date this old is nobody's go-live: in this corpus it is a date of birth.
_LATEST_UNCUED_BIRTH_YEAR = 2009

_PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\((?P<area1>\d{3})\)|(?P<area2>\d{3}))[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])"
)
_LOCAL_PHONE = re.compile(
    r"(?P<cue>(?i:\b(?:t[ée]l[ée]phone|t[ée]l|cell(?:ulaire)?|phone|num[ée]ro|number|joindre|rejoindre|rappeler|call)"
    r"\b\.?)[^.\d]{0,20}?)(?<![\w-])\d{3}[-.]\d{4}(?![\w-])"
)
_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})
# A number given as a service's contact or as a reference (ticket, extension, lot) belongs to
# the service, not to a patient, unless a patient or relative is named in between.
_SERVICE_BEFORE = re.compile(
    r"(?i:soutien|support|help\s*desk|service\s*desk|centre\s+de\s+(?:services|commandement)|command\s+cent|"
    r"\bligne\b|\bline\b|informatique|\bti\b|\bit\b)[^.!?\n]{0,25}$"
)
_REFERENCE_BEFORE = re.compile(
    r"(?i:billet|ticket|incident|demande|requ[êe]te|request|poste|ext|extension|lot|s[ée]rie|serial|version|"
    r"commande|bon|facture|invoice|mod[èe]le|model|badge|employ[ée]e?|matricule)\W{0,3}(?:\w+\W{1,3}){0,2}$"
)
_RELATIVE_BEFORE = re.compile(
    r"(?i:patiente?|usag[èe]re?|client|cliente|r[ée]sidente?|fille|fils|famille|m[èe]re|p[èe]re|conjointe?|"
    r"daughter|son|wife|husband|family|mother|father|\bmme|\bmr|\bmrs)\b"
)

_FILE_LEAD = (
    r"(?i:(?:\b(?:no|n°|num(?:[ée]ro)?|#)\s*(?:de\s+)?dossier|\bdossiers?|\bmrn|\bnid|\bniu|\bchart|\bfile|"
    r"\brecord|\bno|\bn°|\bnum(?:[ée]ro)?|#)"
    r"(?:[\s:#.]*(?:de|du|des|d'|of|the|la|l'|le|m[èe]re|p[èe]re|mother|patient|patiente|usag[èe]re?|b[ée]b[ée]|"
    r"baby|number|no|n°|#)(?![\w]))*[\s:#.]*)"
)
_FILE_NUMBER = re.compile(rf"(?P<lead>{_FILE_LEAD})(?<![\w-])[A-Z]?\d{{5,10}}(?![\w-])")
_BARE_NUMBER = re.compile(r"(?<![\w.,/-])\d{7,10}(?![\w,/-]|\.\d)")

_PATIENT_TITLE = re.compile(
    rf"(?P<title>\b(?i:mmes?|madame|mlle|mademoiselle|monsieur|mr|mrs|ms|mister)\b\.?|\bMiss\b|\bM\.)"
    rf"(?P<space>[ \t]+)(?P<name>{_NAMES})"
)
_PATIENT_TITLE_LOWER = re.compile(
    rf"(?P<title>\b(?i:mme|mlle|mr|mrs)\b\.?)(?P<space>[ \t]+)(?P<name>[{_LOW}][{_LOW}'-]+)"
)
_PATIENT_NOUN = re.compile(
    r"(?P<title>\b(?i:patiente?|patients|usag[èe]re?|r[ée]sidente?|client|cliente|b[ée]n[ée]ficiaire|"
    r"pt|patient\s+named|patiente\s+nomm[ée]e)\b)"
    rf"(?P<space>[ \t]+)(?P<name>{_NAMES})"
)
_FULL_NAME = re.compile(rf"(?<![\w-])(?P<first>{_NAME})(?=[ \t]+(?P<last>{_NAME}))")
_NEXT_NAME = re.compile(rf"[ \t]+{_NAME}")
_NAME_BEFORE_IDENTIFIER = re.compile(
    rf"(?<![\w-])(?P<name>{_NAMES})(?=\s*[(,]\s*(?i:(?:dossier|mrn|ramq|nam|ddn|dob|n[ée]e?|born|no|n°|chart|"
    r"file|t[ée]l\.?|cell|phone)\W{0,3}(?:\w+\W{1,3}){0,3})?"
    r"\[(?:RAMQ|DOSSIER|DATE DE NAISSANCE|TÉLÉPHONE|COURRIEL)\])"
)

_STAFF_ROLE = (
    r"(?i:infirmi[èe]re?s?|inf\.?|m[ée]decins?|docteure?|dre?\.?|chef(?:fe)?s?|gestionnaires?|coordonnat(?:rice|eur)s?|"
    r"super-?\s?utilisat(?:rice|eur)s?|super-?\s?users?|pr[ée]pos[ée]e?s?|pab|agente?s?|techniciennes?|technologues?|"
    r"pharmacien(?:ne)?s?|inhalo(?:th[ée]rapeute)?s?|physioth[ée]rapeutes?|ergoth[ée]rapeutes?|nutritionnistes?|"
    r"travailleu(?:se|r)s?\s+soci(?:ale|al)|psychologues?|secr[ée]taires?|adjointe?s?|direct(?:rice|eur)s?|"
    r"conseill[èe]re?s?|format(?:rice|eur)s?|coll[èe]gues?|nurses?|physicians?|doctors?|managers?|pharmacists?|"
    r"trainers?|clerks?|techs?|therapists?|rt|rn|coordinators?|directors?|educators?|colleagues?|"
    r"externes?|stagiaires?|intervenante?s?|sup[ée]rieure?s?|boss)"
)
_STAFF_BEFORE = re.compile(
    rf"(?:{_STAFF_ROLE}|(?i:merci|thanks|thank\s+you|bravo|chapeau|kudos|f[ée]licitations|shout[\s-]?out))"
    r"\W{0,3}(?:(?i:à|a|to|notre|our|la|le|l'|l’|aux?)\W{1,3}){0,2}$"
)
_STAFF_AFTER = re.compile(
    rf"^\W{{0,3}}(?:(?i:notre|our|la|le|l'|l’|the|une?|an?|du|de\s+l'|de\s+la|from|of)\W{{1,3}}){{0,2}}"
    rf"(?:{_STAFF_ROLE}|(?i:centre|command|help|service|soutien|support|[ée]quipe|team|ti|it)\b)"
)
_PLACE_BEFORE = re.compile(
    r"(?i:h[ôo]pital|hospital|pavillon|pavilion|centre|center|clsc|chsld|clinique|clinic|institut|institute|gmf|"
    r"rue|boul|boulevard|avenue|av|chemin|street|saint|sainte|st|ste|pharmacie|pharmacy|[ée]cole|coll[èe]ge|c[ée]gep|"
    r"universit[ée]|university|fondation|foundation|r[ée]sidence|manoir|villa|foyer|unit[ée]|aile|wing|salle|"
    r"pont|parc|place|station|m[ée]tro)[ \t]+$"
)
# Capitalised words that are never a patient's name: acronyms of the trade and titles.
_NOT_NAMES = frozenset(
    {
        "dsn",
        "chsld",
        "clsc",
        "ramq",
        "mrn",
        "ddn",
        "dob",
        "icu",
        "er",
        "or",
        "it",
        "ti",
        "sad",
        "gmf",
        "cisss",
        "ciusss",
        "chu",
        "chum",
        "urg",
        "usi",
        "pab",
        "rh",
        "hr",
        "iv",
        "rn",
        "rt",
        "md",
        "dre",
        "dr",
        "mar",
        "fadm",
        "ed",
        "ct",
        "irm",
        "mri",
        "epic",
        "mme",
        "mmes",
        "m",
        "mr",
        "mrs",
        "ms",
        "madame",
        "monsieur",
        "mlle",
        "mademoiselle",
    }
)


def redact(text: str) -> str:
    """The text with patient identifiers replaced by placeholders, whitespace-stripped."""
    text = text.strip()
    if "@" in text:
        text = _EMAIL.sub(_replace_email, text)
    if _DIGIT.search(text):
        text = _BIRTH.sub(lambda m: m["cue"] + BIRTH_DATE, text)
    # Every other numeric identifier holds a run of four digits; most texts have none.
    if _FOUR_DIGITS.search(text):
        text = _RAMQ.sub(RAMQ, text)
        text = _DATE_ALONE.sub(_replace_old_date, text)
        text = _FILE_NUMBER.sub(lambda m: m["lead"] + DOSSIER, text)
        text = _PHONE.sub(_replace_phone, text)
        text = _LOCAL_PHONE.sub(lambda m: m["cue"] + PHONE, text)
        text = _BARE_NUMBER.sub(_replace_bare_number, text)
    text = _PATIENT_TITLE.sub(_replace_titled_name, text)
    text = _PATIENT_TITLE_LOWER.sub(_replace_lower_name, text)
    text = _PATIENT_NOUN.sub(_replace_titled_name, text)
    text = _replace_full_names(text)
    return _NAME_BEFORE_IDENTIFIER.sub(_replace_name_before_identifier, text)


def _replace_email(match: re.Match) -> str:
    address = match.group()
    return address if _INSTITUTIONAL_EMAIL.search(address) else EMAIL


def _replace_old_date(match: re.Match) -> str:
    year = next(y for y in match.group("y1", "y2", "y3", "y4") if y)
    if len(year) == 2 or int(year) > _LATEST_UNCUED_BIRTH_YEAR:
        return match.group()
    return BIRTH_DATE


def _replace_phone(match: re.Match) -> str:
    area = match["area1"] or match["area2"]
    return (
        match.group()
        if area in _TOLL_FREE or _belongs_to_service(match, _SERVICE_BEFORE)
        else PHONE
    )


def _replace_bare_number(match: re.Match) -> str:
    kept = _belongs_to_service(match, _SERVICE_BEFORE) or _belongs_to_service(
        match, _REFERENCE_BEFORE
    )
    return match.group() if kept else DOSSIER


def _belongs_to_service(match: re.Match, context: re.Pattern) -> bool:
    before = match.string[max(0, match.start() - 30) : match.start()]
    found = context.search(before)
    return bool(found) and not _RELATIVE_BEFORE.search(before, found.start())


def _is_staff(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is introduced or followed as a member of staff."""
    return bool(
        _STAFF_BEFORE.search(text[max(0, start - 40) : start])
        or _STAFF_AFTER.search(text[end : end + 40])
    )


def _is_common_word(word: str) -> bool:
    folded = fold(word)
    return folded in stopwords()["any"] or folded in _NOT_NAMES


def _replace_titled_name(match: re.Match) -> str:
    name = _leading_name(match["name"])
    if not name or _is_staff(match.string, match.start(), match.start("name") + len(name)):
        return match.group()
    return match["title"] + match["space"] + PATIENT + match["name"][len(name) :]


def _replace_lower_name(match: re.Match) -> str:
    if _is_common_word(match["name"]) or _is_staff(match.string, match.start(), match.end()):
        return match.group()
    return match["title"] + match["space"] + PATIENT


def _leading_name(words: str) -> str:
    """The words of a capitalised run up to the first one that is an ordinary word."""
    end = 0
    for word in _WORD.finditer(words):
        if _is_common_word(word.group()):
            break
        end = word.end()
    return words[:end]


def _replace_full_names(text: str) -> str:
    """Redact a given name followed by a surname, unless it names staff or a place."""
    names = first_names()
    spans: list[tuple[int, int]] = []
    for match in _FULL_NAME.finditer(text):
        if spans and match.start() < spans[-1][1]:
            continue
        if fold(match["first"]) not in names or _is_common_word(match["last"]):
            continue
        end = match.end("last")
        following = _NEXT_NAME.match(text, end)
        if following and not _is_common_word(following.group().strip()):
            end = following.end()
        if _PLACE_BEFORE.search(text[max(0, match.start() - 30) : match.start()]) or _is_staff(
            text, match.start(), end
        ):
            continue
        spans.append((match.start(), end))
    for start, end in reversed(spans):
        text = text[:start] + PATIENT + text[end:]
    return text


def _replace_name_before_identifier(match: re.Match) -> str:
    """Redact the capitalised words just before an identifier, after any ordinary ones."""
    name = match["name"]
    start = 0
    for word in _WORD.finditer(name):
        if not _is_common_word(word.group()):
            break
        start = word.end()
    surname = name[start:].lstrip()
    if not surname or _PLACE_BEFORE.search(
        match.string[max(0, match.start() - 30) : match.start()]
    ):
        return name
    return name[: len(name) - len(surname)] + PATIENT
