"""E-mail addresses and phone numbers, plain or written out ("lucien(at)gmail.com", "l [at]
videotron [dot] ca", numbers read aloud), kept when a service's or a colleague's.

A phone number has a North-American area code, an exit or country code ("+33 6 12 34 56 78",
"011 44 …"), or a word that names a phone right before its digits in groups, in any country's
national form; it is an identifier only when a patient's or a relative's, which the ``owners``
module decides.
"""

import re

from feedback.analysis.redaction.cues import _OTHER_CUE, _nearest_cue
from feedback.analysis.redaction.owners import _contact_owner, _patient_near
from feedback.analysis.redaction.vocabulary import (
    _DASHES,
    _DEPARTMENT,
    _EMAIL,
    _PATIENT_CLASS,
    _ROLE,
    _SERVICE,
    _STAFF,
    EMAIL,
    PHONE,
    _Lazy,
    word_list,
)
from feedback.analysis.text import fold

_AT_WORD = re.compile(
    r"\s*[(\[{<]\s*(?i:at|arobase|arobas|arrobas|arrobase|a|@)\s*[)\]}>]\s*"
    r"|\s+(?i:at|arobase|arobas|chez|à)\s+|\s*@\s+|\s+@\s*"
)

_LOCAL_PART = re.compile(r"[\w.+-]+$")

# A local part whose dots are written out too: "marc DOT gagnon AT gmail DOT com".
_SPELLED_LOCAL_PART = re.compile(
    r"(?:[\w.+-]+(?:\s*[(\[{<]\s*(?i:dot|point|pt)\s*[)\]}>]\s*|\s+(?i:dot|point|period)\s+))+"
    r"[\w.+-]+$"
)

# Dots written out, bracketed or set apart by spaces ("outlook . com"); the address may end
# a sentence ("… icloud dot com.").
_OBFUSCATED_DOMAIN = _Lazy(
    r"[\w-]+(?:(?:\s*[(\[{<]\s*(?i:dot|point|pt|\.)\s*[)\]}>]\s*|\s+(?i:dot|point|period)\s+"
    r"|[ \t]?\.[ \t]?)[\w-]+)*"
    r"(?:\s*[(\[{<]\s*(?i:dot|point|pt|\.)\s*[)\]}>]\s*|\s+(?i:dot|point|period)\s+|[ \t]?\.[ \t]?)"
    r"(?i:com|ca|qc\.ca|net|org|fr|info|me|io|edu|us|be|ch|uk|biz)(?![\w-])(?!\.\w)"
)

_AT_HINT = re.compile(
    r"(?i:[(\[{<]\s*(?:a(?:t|r?robas(?:e)?)?|@)\s*[)\]}>]|\bar?robas(?:e)?\b|\bat\b[^.]*\bdot\b|"
    r"[\w.-]*[._\d][\w.-]*\s+(?:at|chez)\s+[\w-]+\.(?:com|ca|net|org|qc\.ca)\b|"
    r"(?:\b(?:at|chez)|(?<=\s)à)\s+(?:gmail|hotmail|yahoo|outlook|live|icloud|videotron|"
    r"sympatico|bell|cgocable)\b|"
    r"@(?:gmail|hotmail|yahoo|outlook|live|msn|icloud|videotron|sympatico|telus|rogers)|"
    r"[\w.-]\s+@\s*[\w-]+\s?\.|[\w.-]\s*@\s+[\w-]+\s?\.)"
)

_PROVIDER_DOMAIN = re.compile(
    r"(?i:gmail|hotmail|yahoo|outlook|live|msn|icloud|videotron|sympatico|bell|cgocable|telus|"
    r"rogers|shaw|aol|proton|protonmail|globetrotter|cooptel|xplornet|derytele|sogetel|ebox)\b"
)

_MAIL_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")

_PERSONAL_PROVIDER = re.compile(
    r"@(?:[\w-]+\.)*(?:gmail|hotmail|yahoo|outlook|live|msn|icloud|me|videotron|sympatico|bell|"
    r"cgocable|globetrotter|cooptel|telus|rogers|shaw|aol|proton|protonmail|mail|gmx|xplornet|"
    r"derytele|tlb|sogetel|ebox|teksavvy|oricom)\.",
    re.IGNORECASE,
)

# Any separator, a slash included; a letter O typed for a zero ("514-555-O145") is still a zero.
_PHONE_SEP = rf"[\s./{_DASHES}-]"

_PHONE = re.compile(
    rf"(?<![\w+])(?:\+\s?1{_PHONE_SEP}?|1{_PHONE_SEP})?(?:\(\s?(?P<area1>\d{{3}})\s?\)|"
    rf"(?P<area2>\d{{3}})){_PHONE_SEP}?[\dO]{{3}}{_PHONE_SEP}?[\dO]{{2}}[\s.]?[\dO]{{2}}"
    r"(?![\w-])(?![.,]\d)"
)

_LOCAL_PHONE = _Lazy(
    r"(?P<cue>(?:(?i:\b(?:t[ée]l[ée]phone|t[ée]l|cell(?:ulaire)?|phone|num[ée]ro|number|joindre|"
    r"rejoindre|rappeler|call|maison|home|travail|work|cel|voisine?|neighbou?r|fille|fils|"
    r"conjointe?|[ée]pou(?:x|se)|m[èe]re|p[èe]re|famille|daughter|son|wife|husband|family|"
    r"mother|father|sister|brother|s(?:œ|oe)ur|fr[èe]re)\b\.?)|\[TÉLÉPHONE\])[^.!?\d\[]{0,25}?)"
    r"(?<![\w-])\d{3}[-.\s]\d{4}(?![\w-])(?![.,]\d)"
)

_SPOKEN_DIGIT = (
    r"(?:z[ée]ro|oh|one|two|three|four|five|six|seven|eight|nine|un|deux|trois|quatre|cinq|sept|"
    r"huit|neuf)"
)

_SPOKEN_PHONE = _Lazy(rf"(?i:\b{_SPOKEN_DIGIT}(?:[\s,.-]+{_SPOKEN_DIGIT}){{6,}}\b)")

# A number read aloud in any mix of digit words, two-digit words and digits: "five one four,
# 555, 0 1 9 8", "cinq un quatre, huit deux trois, quarante-quatre dix-neuf". Each piece says how
# many digits it stands for; seven, ten or eleven in all, one of them a word, make a phone number.
_UNIT = (
    r"z[ée]ro|oh|one|two|three|four|five|six|seven|eight|nine|un|deux|trois|quatre|cinq|"
    r"sept|huit|neuf"
)
_TEEN = (
    r"dix(?:-(?:sept|huit|neuf))?|onze|douze|treize|quatorze|quinze|seize|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_TENS = (
    r"(?:vingt|trente|quarante|cinquante|soixante|quatre-vingts?|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety)"
    rf"(?:-(?:et-)?(?:{_TEEN}|{_UNIT})|[ -](?:{_UNIT})(?![\w-]))?"
)
# A digit said twice or three times over: "double five", "triple zero".
_REPEATED = rf"(?:double|triple)[ -](?:{_UNIT})"
_SPOKEN_PIECE = (
    rf"(?P<repeated>{_REPEATED})|(?P<word>{_TENS}|{_TEEN})|(?P<unit>{_UNIT})|(?P<digits>\d{{1,4}})"
)
_SPOKEN_RUN = _Lazy(
    rf"(?i:\b(?:{_REPEATED}|{_TENS}|{_TEEN}|{_UNIT}|\d{{1,4}})(?:[ \t,./-]+(?:{_REPEATED}|{_TENS}|"
    rf"{_TEEN}|{_UNIT}|\d{{1,4}})){{2,}}\b)"
)
_PIECE = _Lazy(rf"(?i:\b(?:{_SPOKEN_PIECE})\b)")


def _redact_spoken_phones(text: str) -> str:
    """Numbers read aloud, in words or words and digits, replaced by the phone placeholder."""
    return _SPOKEN_RUN.sub(_replace_spoken_run, _SPOKEN_PHONE.sub(PHONE, text))


def _replace_spoken_run(match: re.Match) -> str:
    pieces = list(_PIECE.finditer(match.group()))
    if not any(piece["word"] or piece["unit"] for piece in pieces):
        return match.group()
    # The longest stretch of pieces whose digits add up to a phone number's.
    for first in range(len(pieces)):
        count, words = 0, 0
        for last in range(first, len(pieces)):
            piece = pieces[last]
            if piece["repeated"]:
                count += 3 if piece["repeated"][0] in "tT" else 2
            else:
                count += len(piece["digits"]) if piece["digits"] else 2 if piece["word"] else 1
            words += not piece["digits"]
            if count > 11:
                break
            if count in (7, 10, 11) and words and last - first >= 2:
                start, end = pieces[first].start(), pieces[last].end()
                following = last + 1 < len(pieces) and pieces[last + 1]["digits"]
                if count == 7 and (following or last + 1 < len(pieces)):
                    continue  # seven digits that go on are the start of ten
                whole = match.group()
                return whole[:start] + PHONE + whole[end:]
    return match.group()


_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})

# A number given as a service's contact or as a reference (ticket, extension, lot) belongs to
# the service, not to a patient, unless a patient or relative is named in between.
_SERVICE_BEFORE = re.compile(
    r"(?:(?i:soutien|support|help\s*desk|service\s*desk|centre\s+de\s+(?:services|commandement)|"
    r"command\s+cent|informatique|\bti\b)|\b(?:IT|ligne|line|LIGNE|LINE)\b)[^.!?\n]{0,25}$"
)

# Whole words: "maison" holds "son", "approche" "proche", "impatient" "patient".
_RELATIVE_BEFORE = re.compile(
    r"\b(?i:patiente?|(?<![dD]['’])usag[èe]re?|client|cliente|r[ée]sidente?|fille|fils|famille|"
    r"m[èe]re|p[èe]re|conjointe?|daughter|son|wife|husband|family|mother|father|\bmme|\bmr|\bmrs|"
    r"\bpte?|proche|aidante?|voisine?|neighbou?r|fr[èe]re|s(?:œ|oe)ur|brother|sister|mari|chum|"
    r"blonde|emergency\s+contacts?|next\s+of\s+kin|contacts?\s+d['’]urgence|r[ée]pondante?|"
    r"personne\s+[àa]\s+(?:contacter|joindre))\b|\bM\.\s"
)

# A number followed by what it is for, by whom to reach there or by whose it is: "le
# 819-555-0190 pour joindre la pharmacie", "joindre au 514-555-0100 le soutien", "le 514-… du
# fournisseur", "le 514-… pour le soutien à domicile".
_OWNER_AFTER = _Lazy(
    r"(?:[^.!?\n\d]{0,20}?\b(?i:pour\s+(?:joindre|rejoindre|parler\s+[àa]|appeler)|to\s+reach|"
    r"to\s+call|to\s+page)\s+(?:(?i:la|le|l['’]|les|the|our|notre|nos)\s*)?"
    r"|[ \t]+(?:(?i:pour|for)\s+)?(?i:la|le|l['’]|les|the|our|notre|nos|du|de\s+la|de\s+l['’]|des|"
    r"of\s+the)\s*)"
    rf"(?i:{_SERVICE}|{_ROLE}|soutien|support|fournisseurs?|vendors?|suppliers?|fabricants?|"
    r"manufacturers?)\b"
)

# What the writer says of the number right after it: that it is theirs, the team's ("— that's
# our station line, not his", "c'est notre ligne"), or the service it reaches, after its
# extension, in parentheses ("poste 4420 (archives)"). A relative's work line says whose it is
# in parentheses the same way ("poste 12 (travail)"), with no service's word.
_OURS_AFTER = _Lazy(
    r"[ \t]*[—–,;(-]?[ \t]*(?i:that['’]s|that\s+is|it['’]s|this\s+is|c['’]est|which\s+is|"
    r"qui\s+est)[ \t]+(?i:our|notre|nos)\b"
    rf"|(?:[ \t,]*\(?(?i:poste|ext|extension|x|local)\.?[ \t]*#?\d+\)?)?[ \t]*\([ \t]*"
    rf"(?i:{_SERVICE}|{_DEPARTMENT})[ \t]*\)"
)

# Cheap tests that let most texts skip the costlier patterns.
_AT_HINTS = (
    "at)",
    "at]",
    "at}",
    "at>",
    "(a)",
    "[a]",
    "arobas",
    "arrobas",
    " dot ",
    ".com",
    ".ca",
    "at gmail",
    "at hotmail",
    "at yahoo",
    "at outlook",
    "at videotron",
    "at icloud",
    "at live",
    "at sympatico",
    "à gmail",
    "à hotmail",
    "à yahoo",
    "à outlook",
    "à videotron",
    "à icloud",
    "à sympatico",
    " chez ",
)

_SPOKEN_HINTS = (
    "zero",
    "zéro",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "sept",
    "huit",
    "neuf",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
)


def _redact_emails(text: str) -> str:
    text = _EMAIL.sub(_replace_email, text)
    if not _AT_HINT.search(text):
        return text
    pieces, last = [], 0
    for at in _AT_WORD.finditer(text):
        if at.start() < last:
            continue
        local = _LOCAL_PART.search(text, last, at.start())
        if local:
            spelled = _SPELLED_LOCAL_PART.search(text, max(last, local.start() - 60), at.start())
            local = spelled or local
        domain = _OBFUSCATED_DOMAIN.match(text, at.end())
        if not local or not domain or not re.search(r"[^\W_]", local.group()):
            continue
        # "chez", said for "@" in Québec, is a mailbox's only with the shape of one.
        if at.group().strip().lower() in ("at", "chez", "à") and not (
            re.search(r"[._\d]", local.group()) or _PROVIDER_DOMAIN.match(domain.group())
        ):
            continue  # "look at epic.com"
        if _kept_address(text[local.start() : domain.end()], text, local.start(), domain.end()):
            continue
        pieces.append(text[last : local.start()] + EMAIL)
        last = domain.end()
    text = "".join(pieces) + text[last:] if pieces else text
    return _BARE_PROVIDER.sub(_replace_bare_mailbox, text)


# A mailbox at a personal provider, its domain cut short: "marie.b@videotron", "lroy arobase
# gmail", "lucien.roy at gmail". The provider's name is enough to make it someone's address.
_BARE_PROVIDER = _Lazy(
    r"(?<![\w.+@-])(?P<local>[\w.+-]*[^\W_][\w.+-]*)"
    r"(?P<at>@|[ \t]*[(\[{<][ \t]*(?i:at|arobase|arobas|a|@)[ \t]*[)\]}>][ \t]*|"
    r"[ \t]+(?i:at|arobase|arobas)[ \t]+|[ \t]*@[ \t]*)"
    r"(?i:gmail|hotmail|yahoo|outlook|live|msn|icloud|videotron|sympatico|telus|rogers|"
    r"cgocable|globetrotter|cooptel|protonmail|proton)"
    # The dot before the domain's end left out: "jean.roy@gmailcom".
    r"(?:com|ca)?(?![\w@-])(?!\.\w)"
)


def _replace_bare_mailbox(match: re.Match) -> str:
    at = match["at"].strip(" \t()[]{}<>").lower()
    text = match.string
    cued = _MAIL_CUE_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if at in ("at", "a") and not (re.search(r"[._\d]", match["local"]) or cued):
        return match.group()  # "I looked at gmail", "choose (a) Outlook": no address
    return EMAIL


# A label that says an address follows, right before it: "son email: jroy at gmail",
# "courriel du fils est pgagnon at hotmail".
_MAIL_CUE_BEFORE = re.compile(
    r"\b(?i:courriel|e-?mail|mail|adresse\s+[ée]lectronique|email\s+address)"
    r"[^.!?\n:=]{0,25}?(?:[ \t]*[:=]|[ \t]+(?i:est|is|c['’]est))[ \t]*$"
)


def _replace_email(match: re.Match) -> str:
    """A service's mailbox or a colleague's address stays; a patient's or a relative's goes."""
    address = match.group()
    return address if _kept_address(address, match.string, match.start(), match.end()) else EMAIL


def _kept_address(address: str, text: str, start: int, end: int) -> bool:
    """Whether an address, plain or written out, is a service's mailbox or a colleague's; one
    written out at a personal provider ("marc DOT gagnon AT gmail") is somebody's own."""
    plain = "@" in address and not _AT_WORD.search(address)
    personal = (_PERSONAL_PROVIDER if plain else _PROVIDER_DOMAIN).search(address)
    if not personal:
        local = fold(re.split(r"@|[(\[{<]|\s", address, maxsplit=1)[0])
        # A mailbox is a service's when a word of its local part names a service ("soutien.dsn@").
        services = word_list("service_mailbox_words")
        if any(word in services for word in _MAIL_WORD.findall(local)):
            return True
    else:
        return False  # a mailbox at a consumer provider is somebody's own, never a service's
    # A colleague's address, given as the contact of a role, a service or a colleague.
    return _contact_owner(text, start, end) == _STAFF


# A number dialled abroad: "+" or an exit code (00, 011), a country code other than North
# America's, then groups of digits; 8 to 15 digits after the exit code, as the ITU allows.
_INTERNATIONAL_PHONE = re.compile(
    # The country code in parentheses too: "(+33) 6 12 34 56 78".
    rf"(?<![\w+])(?:\(\+[ \t]?[2-9]\d{{0,2}}\)|(?:\+[ \t]?|(?:00|011){_PHONE_SEP}?)[2-9]\d{{0,2}})"
    # The trunk zero that Europeans write in parentheses: "+33 (0)6 12 34 56 78".
    r"(?:[ \t]?\(0\))?"
    rf"(?:(?:{_PHONE_SEP}{{1,2}}|(?<=\)))\(?\d{{1,8}}\)?){{2,6}}(?![\w-])(?![.,]\d)"
    # Or glued after its "+": "+33612345678".
    r"|(?<![\w+])\+[2-9]\d{7,14}(?![\w-])(?![.,]\d)"
)

_INTERNATIONAL_HINT = re.compile(r"(?:\+|(?<!\d)00|(?<!\d)011)[ \t.-]?[2-9]")


def _redact_international_phones(text: str) -> str:
    return _INTERNATIONAL_PHONE.sub(_replace_international_phone, text)


def _redact_cued_phones(text: str) -> str:
    return _CUED_PHONE.sub(_replace_cued_phone, text)


_CUED_PHONE_HINTS = (
    "tél",
    "tel",
    "cell",
    "portable",
    "mobile",
    "phone",
    "joindre",
    "reach",
    "appeler",
    "call",
    ":",
)


_RELATIVE_NOUNS = (
    r"fille|fils|conjointe?|[ée]poux|[ée]pouse|mari|m[èe]re|p[èe]re|fr[èe]re|s(?:œ|oe)ur|"
    r"neveu|ni[èe]ce|daughter|son|wife|husband|spouse|mother|father|brother|sister|nephew|niece"
)

# Digits in groups right after a word that names a phone ("cell", "tél.", "joindre") or a
# relative's label ("la fille : …"): a number of any country in its own national form, "06 12
# 34 56 78", "0151 23456789", "55 1234 5678".
_CUED_PHONE = _Lazy(
    r"(?P<cue>(?:\b(?i:t[ée]l[ée]phone|t[ée]l|cell(?:ulaire)?|portable|mobile|phone|"
    r"joindre|rejoindre|reach|appeler|rappeler|call)\b\.?"
    rf"|\b(?i:{_RELATIVE_NOUNS})\b[^.!?\n\d\[:]{{0,30}}:)[^.!?\n\d\[]{{0,30}}?)"
    r"(?P<number>(?<![\w+])\(?\d{1,5}\)?(?:[ \t./-]{1,2}\(?\d{1,8}\)?){1,6})"
    r"(?![\w-])(?![.,:]\d)"
)


def _replace_cued_phone(match: re.Match) -> str:
    number = match["number"]
    digits = sum(c.isdigit() for c in number)
    north_american = _PHONE.fullmatch(number)
    if north_american and (north_american["area1"] or north_american["area2"])[0] not in "01":
        return match.group()  # a North-American number is read by its own stage
    if not 8 <= digits <= 15 or _NOT_A_PHONE_CUE.search(match["cue"]) or _DATED.search(number):
        return match.group()
    start = match.start("number")
    inner = _PHONE_SPAN.search(match.string, start, match.end())
    if inner is None or _kept_phone(inner):
        return match.group()
    return match["cue"] + PHONE


# A date and a time are no number to call: "Cell : 2024-11-14 10:30".
_DATED = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d")

_PHONE_SPAN = re.compile(r"\(?\d[\d \t./()-]*\d")

# Whose number it is not: an order, a ticket, a card, an insurance number.
# Whole words: "next" holds "ext", "cardiologie" "card", "pilote" "lot".
_NOT_A_PHONE_CUE = re.compile(
    r"\b(?i:assurances?|sociale|nas|sin|ramq|dossiers?|charts?|mrn|cartes?|cards?|lots?|"
    r"billets?|tickets?|commandes?|orders?|s[ée]ries?|serial|factures?|invoices?|postes?|ext)\b"
)


def _replace_international_phone(match: re.Match) -> str:
    """A foreign number is someone's phone on the same terms as a North-American one."""
    number = match.group()
    digits = sum(c.isdigit() for c in number)
    exit_code = 0 if number.startswith("+") else 2 if number.startswith("00") else 3
    if not 8 <= digits - exit_code <= 15 or _belongs_to_service(match, _SERVICE_BEFORE):
        return number
    if exit_code and not _SEPARATED_GROUPS.search(number):
        return number  # "0033142685300" glued is as likely a reference as a number dialled
    if number[1:].isdigit() and (
        _contact_owner(match.string, match.start(), match.end()) != _PATIENT_CLASS
    ):
        return number  # glued after its "+", it is a number only when someone's: "+25000000 points"
    return number if _kept_phone(match) else PHONE


# A number of another country in its own national form, with no "+", no exit code and no phone
# word ("06 12 34 56 78", "44 7700 900123"), or dialled glued after its exit code
# ("0033612345678"): three groups or more of digits, 8 to 15 in all. No chart number is so
# grouped, so one that a patient or a relative owns is their phone.
_FOREIGN_GROUPS = re.compile(
    r"(?<![\w+./-])(?:(?P<glued>(?:00|011)[2-9]\d{7,14})|\d{1,4}(?:[ \t.-]\d{1,6}){2,6}"
    # Or the trunk "0" and two groups, as Britain writes a mobile: "07700 900123".
    r"|(?P<trunk>0\d{2,4}[ \t.-]\d{6,8}))"
    r"(?![\w-])(?![.,:/]\d)"
)

_FOREIGN_HINT = re.compile(
    r"\d[ \t.-]\d{1,6}[ \t.-]\d|(?<!\d)0(?:0|11)[2-9]\d{7}|(?<!\d)0\d{2,4}[ \t.-]\d{6}"
)

# Three groups of three are a social insurance number's shape; a date or a time is no number.
_NATIONAL_PAIRS = re.compile(r"0[1-9](?:[ .-]\d\d){4}")
_SIN_SHAPED = re.compile(r"\d{3}([ \t.-])\d{3}\1\d{3}")
# A date of any year, a form's default one too ("31-12-1899").
_DATE_SHAPE = re.compile(r"\d{1,2}([ .-])\d{1,2}\1\d{4}|\d{4}([ .-])\d{1,2}\2\d{1,2}")


# Numbers in a row after what is measured or paid are readings, no identifier: "Glycémies
# de la patiente : 5.4 6.2 7.8 8.1", "TA 120 80 135 90", "le fils a payé 1 250 000".
_MEASURES_BEFORE = re.compile(
    r"\b(?i:glyc[ée]mies?|gly|ta|tension|pressions?|poids|weights?|sat|saturations?|spo2|pouls|"
    r"fc|fr|temp[ée]ratures?|temps?|scores?|[ée]chelles?|heures|hours|times|doses?|valeurs?|"
    r"values?|signes\s+vitaux|vitals|inr|hba1c|cr[ée]at\w*|potassium|sodium|h[ée]moglobine|hb|"
    r"plaquettes|leucocytes|mesures?|lectures?|readings?|levels?|taux|bp|hr|rr|sugars?|"
    r"pay[ée]e?s?|paid|co[uû]te?s?|co[uû]t[ée]|costs?|montants?|amounts?|factur\w*|frais|"
    r"dollars?|prix|price)\b"
    # Up to the numbers, nothing that names an identifier or a phone.
    r"(?![^.!?\n]*\b(?i:dossier|mrn|chart|ramq|nam|nas|sin|t[ée]l|cell|phone|num[ée]ro|number)\b)"
    r"[^.!?\n]{0,40}$"
)


def _measures_before(text: str, start: int) -> bool:
    return bool(_MEASURES_BEFORE.search(text, max(0, start - 60), start))


_QUANTITY_AFTER = re.compile(
    r"\s*(?:\$|%|€|(?i:mg|mcg|ml|mmol|g|kg|lbs?|cm|mm|km|ui|unit[ée]s?|units?|fois|times|"
    r"min\w*|h|heures?|hours?|jours?|days?|semaines?|weeks?|ans|years?|points?|pts)\b)"
)


# Where a clause ends; the period of "no." or "num." goes on with its number: "chart no.
# 20-443-187" is a chart's.
_CLAUSE_BREAK = re.compile(r"(?<!\b[Nn]o)(?<!\b[Nn]um)(?<!\bNO)[.!?;\n]")


def _redact_foreign_phones(text: str) -> str:
    if not _FOREIGN_HINT.search(text):
        return text
    return _FOREIGN_GROUPS.sub(_replace_foreign_phone, text)


def _replace_foreign_phone(match: re.Match) -> str:
    number = match.group()
    digits = sum(c.isdigit() for c in number)
    if match["glued"]:
        digits -= 3 if number.startswith("011") else 2
    if match["trunk"] and not 10 <= digits <= 11:
        return number
    if not 8 <= digits <= 15 or _SIN_SHAPED.fullmatch(number) or _DATE_SHAPE.fullmatch(number):
        return number
    if _QUANTITY_AFTER.match(match.string, match.end()) or _measures_before(
        match.string, match.start()
    ):
        return number  # a count, a dose or readings: "12 34 56 78 ml"
    clause = _CLAUSE_BREAK.split(match.string[max(0, match.start() - 60) : match.start()])[-1]
    if _NOT_A_PHONE_CUE.search(clause):
        return number
    owner = _contact_owner(match.string, match.start(), match.end())
    # With nobody named, only a national number's unmistakable shape: "06 12 34 56 78", or the
    # calling code of the country the sentence names: "il appelle d'Angleterre : 44 7700 …".
    if owner != _PATIENT_CLASS and not (
        owner is None
        and (_NATIONAL_PAIRS.fullmatch(number) or _code_of_named_country(match))
    ):
        return number
    return number if _kept_phone(match) else PHONE


# Countries one calls a patient's family in, and their calling codes.
_CALLING_CODES = {
    "33": r"france|fran[çc]ais",
    "32": r"belgique|belgium",
    "41": r"suisse|switzerland",
    "44": r"angleterre|england|royaume-uni|united\s+kingdom|uk|[ée]cosse|scotland|"
    r"grande-bretagne|britain|londres|london",
    "49": r"allemagne|germany",
    "39": r"italie|italy",
    "34": r"espagne|spain",
    "351": r"portugal",
    "212": r"maroc|morocco",
    "213": r"alg[ée]rie|algeria",
    "216": r"tunisie|tunisia",
    "509": r"ha[ïi]ti",
    "961": r"liban|lebanon",
    "52": r"mexique|mexico",
    "55": r"br[ée]sil|brazil",
    "221": r"s[ée]n[ée]gal",
    "225": r"c[ôo]te\s+d['’]ivoire|ivory\s+coast",
    "237": r"cameroun|cameroon",
    "243": r"congo|rdc",
    "84": r"vi[eê]t\s?nam",
    "86": r"chine|china",
    "91": r"inde|india",
    "63": r"philippines",
    "57": r"colombie|colombia",
    "30": r"gr[èe]ce|greece",
    "31": r"pays-bas|netherlands|hollande|holland",
    "48": r"pologne|poland",
    "40": r"roumanie|romania",
    "353": r"irlande|ireland",
    "61": r"australie|australia",
    "20": r"[ée]gypte|egypt",
}
_COUNTRY_NAMED = re.compile(
    "|".join(rf"(?P<c{code}>\b(?i:{names})\b)" for code, names in _CALLING_CODES.items())
)


# A sentence ends where the next opens on a capital: "tél. du fils" goes on.
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s+[A-ZÀ-Þ]|\s*$)|\n")


def _code_of_named_country(match: re.Match) -> bool:
    """Whether the number opens on the calling code of a country named in its sentence."""
    text = match.string
    before = _SENTENCE_BREAK.split(text[max(0, match.start() - 80) : match.start()])[-1]
    after = _SENTENCE_BREAK.split(text[match.end() : match.end() + 40])[0]
    code = re.match(r"\d+", match.group())
    if code is None:
        return False
    for found in _COUNTRY_NAMED.finditer(before + " " + after):
        if found.lastgroup == f"c{code.group()}":
            return True
    return False


_SEPARATED_GROUPS = re.compile(r"\d[\s./-]+\d[\s./-]*\d*[\s./-]+\d")


def _replace_phone(match: re.Match) -> str:
    area = match["area1"] or match["area2"]
    number = match.group()
    if number.count("O") > 2 or area in _TOLL_FREE or _belongs_to_service(match, _SERVICE_BEFORE):
        return number
    if area[0] in "01":
        return number  # no North-American area code opens on 0 or 1: a serial, an order
    return number if _kept_phone(match) else PHONE


def _kept_phone(match: re.Match) -> bool:
    """Whether a phone number is a thing's reference, a service's or a colleague's."""
    cue, _, distance = _nearest_cue(match.string[max(0, match.start() - 90) : match.start()])
    owner = _contact_owner(match.string, match.start(), match.end())
    if cue == _OTHER_CUE and (distance <= 1 or owner != _PATIENT_CLASS):
        # "La commande 4500123987", "PO 4500127741", "s/n 5145550123"; but a request a few
        # words before a relative's number is theirs: "l'épouse demande un rappel — 581 …".
        return True
    if (
        _OWNER_AFTER.match(match.string, match.end())
        or _OURS_AFTER.match(match.string, match.end())
        or owner == _STAFF
    ):
        return True
    # With nobody outside staff around it, a number with an extension or a number near a
    # service ("help desk hours… Called 514-…") is an organisation's.
    return bool(
        owner is None
        and (
            _EXTENSION_AFTER.match(match.string, match.end())
            or _SERVICE_NAMED.search(match.string, max(0, match.start() - 160), match.start())
        )
        and not _patient_near(match.string, match.start(), match.end())
    )


_EXTENSION_AFTER = re.compile(r"[ \t,]*\(?(?i:poste|ext|extension|x|local)\.?[ \t]*#?\d")

_SERVICE_NAMED = _Lazy(
    r"(?i:soutien|support|help\s*desk|service\s*desk|centre\s+de\s+(?:services|commandement|"
    r"coordination)|command\s+cent(?:er|re)|centre\s+d['’]appels?|call\s+cent(?:er|re)|"
    r"informatique|pilotes?|super-?\s?utilisat\w*|super-?\s?users?|standard|switchboard|"
    r"r[ée]ception|pharmac(?:ie|y)|labo(?:ratoire)?|archives)\b|\b(?:IT|TI|DSI)\b"
)


def _belongs_to_service(match: re.Match, context: re.Pattern) -> bool:
    before = match.string[max(0, match.start() - 30) : match.start()]
    found = context.search(before)
    return bool(found) and not _RELATIVE_BEFORE.search(before, found.start())
