"""What a text says a patient goes by besides the name already found: a nickname, a name said
("his name is ..."), another spelling or another surname. Each is as identifying as the name
on the chart, and shows by the words that say it is one, not by any list."""

import re

from feedback.analysis.redaction.vocabulary import _ROLE, PATIENT, _Lazy
from feedback.analysis.redaction.words import (
    _COMMON,
    _GIVEN,
    _ORDINARY,
    _SURNAME,
    _flags,
    _key,
)


def _names_it_goes_by(text: str, before: str = "") -> str:
    """The text with a patient's nicknames, names said and other spellings replaced too.

    ``before`` is the text as it was before the names stage: a name it tells may be replaced
    already, and its other spellings are found from it."""
    if _NICKNAME_HINT.search(text):
        text = _redact_nicknames(text)
    before = before or text
    low = before.lower()
    if any(word in low for word in _NAME_TOLD_WORDS):
        text = _redact_names_told(text, before)
    if _NAME_SAID_HINT.search(text):
        text = _NAME_SAID.sub(_replace_name_said, text)
    if PATIENT in text or _NAME_NOUN_HINT.search(text):
        text = _OTHER_SPELLING.sub(_replace_other_spelling, text)
    return text


_NAME_SAID_HINT = re.compile(r"(?i:name\s+is|name['’]s|s['’]appelle|nom\s+(?:est|c\b|c['’]))")
# A name the person is said to bear: "says his name is Bobby", "name's marjorie", "elle
# s'appelle Jocelyne", "Jocelyne qu'elle s'appelle", "son nom c'est Bernadette". A colleague
# is named by the role instead.
_GIVEN_WORD = r"[A-Za-zÀ-ÿ][\w'’-]{1,25}"
_NAME_SAID = re.compile(
    r"(?P<lead>\b(?i:(?:his|her|their)\s+(?:real\s+|first\s+|last\s+)?name\s+is|name['’]s|"
    r"(?:il|elle)\s+s['’]appelle|(?:son|sa)\s+(?:vrai\s+)?nom\s+(?:est|c['’]est|c(?=\s)))"
    r"[ \t:]+[«\"“'‘]?)"
    r"(?P<name>" + _GIVEN_WORD + r"(?:[ \t]+[A-ZÀ-Þ][\w'’-]+)?)"
    r"|(?P<name2>(?<![\w'’-])[A-ZÀ-Þ][\w'’-]{1,25})(?P<tail>[ \t]+qu['’](?:il|elle)\s+s['’]appelle)"
)
_ROLE_NEAR = _Lazy(rf"\b(?i:{_ROLE})\b[^.!?\n]{{0,40}}$")


def _replace_name_said(match: re.Match) -> str:
    name = match["name"] or match["name2"]
    first = name.split()[0]
    flags = _flags(_key(first))
    if first.islower() and not flags & _GIVEN or first[0].isupper() and flags & _COMMON:
        return match.group()  # "her name is spelled wrong", "his name is Epic-linked"
    if _ROLE_NEAR.search(match.string, max(0, match.start() - 60), match.start()):
        return match.group()  # "the nurse, her name is Julie": a colleague
    if match["name2"]:
        return PATIENT + match["tail"]
    return match["lead"] + PATIENT


# A name the text spells, writes down, or gives by the name's noun: "surname spelled as TRAN",
# "his name is spelled Ouellet", "nom écrit Bergeron", "prénom Maxime", "the father's surname
# Bouchard", "renamed Charlie", "rebaptisée Léa", "the board says Hugues". The noun or the verb
# says the next word is a name; what a chart, a band or a board shows of a patient is theirs.
# Parts of the words that open one, looked for in the lower-cased text before any pattern.
_NAME_TOLD_WORDS = (
    "name", "nom", "patronyme", "spel", "crit", "orthograph", "épel", "epel", "baptis", "says",
    "reads", "shows", "said", "read ", "showed", "dit", "indique", "affiche", "regist", "typed",
    "mal ", "wrong", "chose", "choisi", "picked", "gave", "donn", "updated", "changed", "chang",
    "modifi", "corrig", "corrected", "switched", "jour",
)
# "is", and the Québec "c'est", "c" of a quick note: "son prénom c'est Gaétan".
_IS = r"(?:is|was|est|[ée]tait|c['’]est|c(?=\s))"
_SPELLING_VERB = (
    r"(?:spelled|spelt|written|typed|entered|registered|misspelled|[ée]crite?|orthographi[ée]e?|"
    r"[ée]pel[ée]e?|inscrite?|entr[ée]e?|tap[ée]e?)(?:\s+(?:as|like|comme|en))?"
)
_NAME_NOUN = (
    r"(?:surname|(?:family|last|first|given|middle|maiden)\s+name|pr[ée]nom|patronyme|"
    r"nom\s+de\s+famille)"
)
_SHOWN_ON = (
    r"(?:white\s?board|board|wristband|armband|band|bracelet|label|sticker|screen|tableau|"
    r"[ée]tiquette|[ée]cran|carte|card)"
)
_TOLD_NAME = r"(?P<name>[A-ZÀ-Þ][\w'’-]{1,30}|[a-zà-ÿ][\w'’-]{1,30})"
_NAME_TOLD = re.compile(
    r"(?P<lead>(?<![\w-])(?i:"
    # A name changed, or chosen for a baby: "a placeholder name that should have been updated
    # to Léa", "nom changé pour Noah", "the name she chose for him, Migizi", "le prénom qu'elle
    # a choisi : Anouk", "prénom choisi par les parents : Élia".
    # A name changed is a thing's as often as a person's ("the tab name was changed to
    # Orders"): it takes only a word the name lists know, as a name renamed does.
    r"(?P<changed>(?:(?:first|last|given|family|middle)\s+)?(?:name|nom|pr[ée]nom)"
    # Whose name: "le nom du bébé Fortin", "the name of the baby".
    r"(?:\s+(?:du|de\s+la|de|of\s+the|of)\s+(?:b[ée]b[ée]|baby|patiente?|r[ée]sidente?|enfant|"
    r"child|newborn|nouveau-n[ée]e?)(?:\s+[A-ZÀ-Þ][\w'’-]+)?)?"
    r"(?:\s+(?:that|which|qui)(?:\s+[\w'’]+){0,4}?"
    # The tense between: "should have been changed to", "n'a pas été mis à jour pour".
    r"|(?:\s+(?:should|would|could|must|has|had|have|was|is|were|been|be|not|never|already|"
    r"n['’]a|n['’]est|a|est|pas|[ée]t[ée]|aurait|d[ûu]|doit|devait|[êe]tre|jamais|d[ée]j[àa])){1,4})?"
    r"\s+"
    r"(?:(?:updated|changed|corrected|switched)\s+to|(?:chang[ée]e?|modifi[ée]e?|corrig[ée]e?|"
    r"mise?\s+[àa]\s+jour)\s+(?:pour|[àa]|en)))"
    r"|(?:name|pr[ée]nom|nom)\s+(?:(?:that|que)\s+)?(?:(?:she|he|they|the\s+\w+|mom|dad|"
    r"qu['’](?:elle|il|ils|elles)|la\s+\w+|les\s+parents|le\s+\w+)\s+)?"
    r"(?:chose|picked|gave|has\s+chosen|have\s+chosen|chosen|picked\s+out|"
    r"(?:a|ont)\s+(?:choisie?|donn[ée]e?)|choisie?|donn[ée]e?)"
    r"(?:\s+(?:for|to|by|pour|[àa]|par)\s+(?:him|her|them|the\s+\w+|lui|elle|eux|"
    r"(?:le|la|les|son|sa|ses)\s+\w+))?,?"
    r"|"
    # A name's noun, with or without a spelling verb: "last name Gravel", "prénom: Maxime".
    rf"{_NAME_NOUN}(?:\s+{_IS})?(?:\s+{_SPELLING_VERB})?"
    # The bare noun needs the verb: "name spelled Ouellet", "nom écrit Bergeron"; the verb may
    # come first: "spelled the father's surname as Ouimette", "registered under Roy Fille".
    rf"|(?:name|nom)(?:\s+{_IS})?\s+{_SPELLING_VERB}"
    rf"|{_SPELLING_VERB}\s+(?:(?:his|her|their|the|le|la|son|sa|leur)\s+(?:\w+['’]s\s+)?)?"
    rf"(?:{_NAME_NOUN}|name|nom)(?:\s+(?:as|like|comme|en|to))?"
    r"|(?:registered|inscrite?|enregistr[ée]e?)\s+(?:under|sous|as)"
    r"(?:\s+(?:the\s+name(?:\s+of)?|le\s+nom(?:\s+de)?))?"
    # Registered under a wrong name, said with no preposition: "a été enregistrée Blanchet".
    r"|(?P<bare>(?:inscrite?|enregistr[ée]e?)(?=[ \t]+[A-ZÀ-Þ]))"
    # A new name given: "renamed Charlie", "renommée Charlie", "rebaptisé Noah". What a
    # patient's board or band shows: "the whiteboard says Hugues". Tabs and icons are renamed
    # and shown too: these take only a word the name lists know ("renommé « Consult. »").
    r"|(?P<weak>renamed(?:\s+(?:as|to))?|renomm[ée]e?|(?:re)?baptis[ée]e?"
    rf"|{_SHOWN_ON}(?:\s+(?:in|on|at|of|du|de|dans|en|au)\s+[\w ]{{1,15}}?)?"
    r"\s+(?:says|reads|shows|said|read|showed|dit|indique|affiche))"
    r")[ \t:]+[«\"“'‘]?[ \t]*)" + _TOLD_NAME
    + r"(?P<second>[ \t]+[A-ZÀ-Þ][\w'’-]{1,30})?"
)


def _redact_names_told(text: str, before: str) -> str:
    """The text with each name ``before`` tells, and any other spelling of it, replaced."""
    found: set[str] = set()
    for match in _NAME_TOLD.finditer(before):
        name = match["name"]
        flags = _flags(_key(name))
        if name.islower() and not flags & _GIVEN:
            continue  # "first name only", "nom écrit en majuscules": a word
        if name[0].isupper() and not name.isupper() and flags & _COMMON:
            continue  # "the screen says Error", "surname Field"
        if name.isupper() and len(name) > 2 and flags & _COMMON and not flags & _GIVEN:
            continue  # "name typed as UNKNOWN"
        if match["bare"] and name.isupper():
            continue  # "document enregistré OACIQ": an office's acronym, not a wrong name
        if name.lower() in _TITLES:
            continue  # "registered under Dr. Roy": the name after a title is read elsewhere
        weak = match["weak"] or match["changed"]
        if weak and (name.isupper() or not flags & (_GIVEN | _SURNAME)):
            continue  # "the board shows 'LWBS'", "renommée « DA – adulte »"
        if _ROLE_NEAR.search(before, max(0, match.start() - 60), match.start()):
            continue  # "the nurse's first name Julie": a colleague
        found.add(name)
        owner = _OWNER_BEFORE.search(before, max(0, match.start() - 30), match.start())
        if (
            owner
            and _names_someone(owner["owner"])
            and not _STAFF_TITLE_BEFORE.search(before, max(0, owner.start() - 12), owner.start())
            and not _ROLE_NEAR.search(before, max(0, owner.start() - 60), owner.start())
        ):
            found.add(owner["owner"])  # "kyle's last name is spelled McKenzie": kyle is named
        second = match["second"] and match["second"].strip()
        if second and not _flags(_key(second)) & _ORDINARY:
            found.add(second)  # "prénom Maxime Thibodeau"
    for match in _MISSPELT_NAME.finditer(before):
        name = match["name"]
        flags = _flags(_key(name))
        if flags & _COMMON and not name.isupper():
            continue  # "Epic mal écrit": only a word that is no word is a name here
        if not flags & (_GIVEN | _SURNAME) and not _PERSON_HINT.search(before):
            continue  # "Heparin misspelled on the label": a product, where no person is said
        if _ROLE_NEAR.search(before, max(0, match.start() - 60), match.start()):
            continue  # "the nurse Julie misspelt": a colleague
        found.add(name)
    if _CONTRAST_HINT.search(before):
        found |= _contrasted_spellings(before)
    if not found:
        return text
    found |= _other_spellings(before, found)
    for name in sorted(found, key=len, reverse=True):
        text = re.sub(rf"(?<![\w\[-]){re.escape(name)}(?![\w-])", PATIENT, text)
    return text


# Whose name is told, by the possessive before the name's noun: "kyle's last name is spelled
# McKenzie", "Julie's surname". The one who owns the told name is that same person.
_OWNER_BEFORE = re.compile(r"(?<![\w'’-])(?P<owner>[A-Za-zÀ-ÿ][\w-]{1,25})['’]s?[ \t]+$")


_STAFF_TITLE_BEFORE = re.compile(r"(?<![\w-])(?i:dr|dre|docteure?|doctor|prof)\.?[ \t]+$")


def _names_someone(word: str) -> bool:
    """Whether a word that owns a told name is a name: a given name the lists know, in any case,
    or a capitalised word no dictionary knows ("the patient's surname" is a noun's)."""
    flags = _flags(_key(word))
    if flags & _GIVEN and not (word[0].isupper() and flags & _COMMON and not flags & _GIVEN):
        return not (word.islower() and flags & _COMMON)
    return word[0].isupper() and not flags & (_COMMON | _ORDINARY)


# A name the text says is written wrong, the name first: "avec Tremblay mal écrit (Tremblé)",
# "Nguyen misspelled as Ngyuen", "Dubois spelt wrong". Of a patient's record, since the wrong
# spelling is what a chart or a search shows; its other spelling nearby goes with it.
_MISSPELT_NAME = re.compile(
    r"(?<![\w\[-])(?P<name>[A-ZÀ-Þ][\w'’-]{2,30})[ \t]+(?i:mal[ \t]+(?:[ée]crite?|"
    r"orthographi[ée]e?|[ée]pel[ée]e?|tap[ée]e?|saisie?|entr[ée]e?|inscrite?)|"
    r"(?:is[ \t]+|was[ \t]+)?(?:misspell?ed|misspelt|mistyped|(?:spell?ed|spelt|typed|written|"
    r"entered)[ \t]+(?:wrong(?:ly)?|incorrectly)))(?![\w-])"
    # A verb with its object is what someone did: "Cardinal misspelled the drug".
    r"(?![ \t]+(?i:the|a|an|his|her|their|my|our|its|this|that|le|la|les|un|une|son|sa|ses)\b)"
)

# A patient or their record, said anywhere in the text: then a word no list knows, written
# wrong, is a name.
_PERSON_HINT = re.compile(
    r"(?i:\b(?:patients?|patientes?|pts?|usag[èe]re?s?|r[ée]sidente?s?|residents?|clients?|"
    r"charts?|dossiers?|records?|wristbands?|bracelets?|registered|inscrite?s?|admission|"
    r"admitted|admise?|mrs?|ms|mme|m)\b)"
)

_TITLES = frozenset({"dr", "dre", "docteur", "docteure", "doctor", "prof", "mr", "mrs", "ms",
                     "mme", "mlle", "m", "madame", "monsieur"})

_CONTRAST_HINT = re.compile(
    r"(?i:\bnot\b|\bpas\b|\bnon\b|instead|rather|au\s+lieu|plut[ôo]t|\bvs\b|versus)"
)
# Two words set against each other that differ by a letter or two are two spellings of one name,
# the right one and the wrong one: "should be Nguyen not Ngyuen", "Lévesque, pas Levesque". Read
# only in a text that speaks of a name or its spelling ("Merci à Nathalie, pas Natalie" is not).
_CONTRASTED = re.compile(
    r"(?<![\w\[-])(?P<a>[A-ZÀ-Þ][\w'’-]{2,30})[ \t]*[»\"”'’]?[ \t]*[,;]?[ \t]+"
    r"(?i:not|pas|et\s+non|and\s+not|instead\s+of|rather\s+than|au\s+lieu\s+de|"
    r"plut[ôo]t\s+que|vs\.?|versus)[ \t]+[«\"“'‘]?[ \t]*(?P<b>[A-ZÀ-Þ][\w'’-]{2,30})"
)


def _contrasted_spellings(text: str) -> set[str]:
    """The pairs of near spellings the text sets against each other, read as names."""
    found: set[str] = set()
    for match in _CONTRASTED.finditer(text):
        a, b = _key(match["a"]), _key(match["b"])
        if a == b or len(a) < 4 or _flags(a) & _COMMON or _flags(b) & _COMMON:
            continue
        if not _near_spelling(a, b):
            continue
        if _ROLE_NEAR.search(text, max(0, match.start() - 60), match.start()):
            continue  # "our clerk Nathalie, not Natalie": a colleague's name
        found |= {match["a"], match["b"]}
    return found


_CAPITAL_WORD = re.compile(r"(?<![\w\[-])[A-ZÀ-Þ][\w'’-]{2,30}")


def _other_spellings(text: str, names: set[str]) -> set[str]:
    """Words of the text one or two letters off a name it tells: the same patient's name written
    another way ("Bergeron ... Bergerron", "Ouellet ... Ouellette"), which identifies as well."""
    keys = {_key(name) for name in names if len(name) >= 4}
    near = set()
    for word in _CAPITAL_WORD.findall(text):
        key = _key(word)
        if word in names or len(key) < 4 or _flags(key) & _COMMON:
            continue
        if key in keys:
            near.add(word)  # the same name with or without its accents: "Lévesque", "Levesque"
            continue
        if any(_near_spelling(key, k) for k in keys):
            near.add(word)
    return near


def _near_spelling(a: str, b: str) -> bool:
    """Whether two folded words are one name spelled two ways: the same first letter, one letter
    off, or two when the longer has eight letters or more ("ouimet", "ouimette"). Short names two
    letters apart are most often two names ("martel", "martin")."""
    return a[0] == b[0] and _edits_within(a, b, 2 if max(len(a), len(b)) >= 8 else 1)


def _edits_within(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most ``limit`` letter insertions, deletions, changes or swaps of
    two letters side by side apart: a swap ("Ngyuen", "Siobahn") is one slip of the keyboard."""
    if abs(len(a) - len(b)) > limit:
        return False
    before, row = [], list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return False
        before, row = row, current
    return row[-1] <= limit


_NAME_NOUN_HINT = re.compile(r"(?i:maiden|married|nom\s+de\s+(?:jeune\s+fille|femme))")
# The other spelling or the other name of a patient is as identifying as the right one: "should
# be [PATIENT] not Tremblais", "[PATIENT], pas Lacasse", "married name Sandoval".
_OTHER_SPELLING = re.compile(
    r"(?P<lead>\[PATIENT\][ \t]*[,;]?[ \t]+(?i:not|pas|instead\s+of|rather\s+than|au\s+lieu\s+de|"
    r"plut[ôo]t\s+que|et\s+non|and\s+not)[ \t]+[«\"“'‘]?[ \t]*"
    r"|(?i:maiden\s+name|married\s+name|nom\s+de\s+jeune\s+fille|nom\s+de\s+femme\s+mari[ée]e)"
    r"[ \t:]+(?:(?i:is|was|est|:)[ \t]+)?)"
    r"(?P<name>[A-ZÀ-Þ][\w'’-]{1,30})"
)


def _replace_other_spelling(match: re.Match) -> str:
    if _flags(_key(match["name"])) & _COMMON and not match["name"].isupper():
        return match.group()  # "[PATIENT], not Monday": a word, not another spelling
    return match["lead"] + PATIENT


# A nickname identifies a patient as well as the name on the chart: staff know the patient by
# it. It shows by its place: quoted beside the patient's name or after a title, or after what
# says it is one ("calls him", "known as", "surnommé", "nickname is", "(real name ...").
_NICK = r"[A-ZÀ-Þ][\w'’.-]{0,19}\w"
# A quoted nickname may run to a few words, bound by a particle: "'Max le Grand'", "« Ti-Jos
# de la Côte »", "'Big Tony'", "\"Johnny the Kid\"". The closing quote bounds it.
_NICK_PARTICLE = r"(?i:le|la|les|de|du|des|d['’]|the|of|da|del|el|von|van|à|au|aux)"
# A word of it may be redacted already as a given name: "« [PATIENT] the Kid »".
_NICK_WORD = rf"(?:{_NICK}|\[PATIENT\])"
_QUOTED_NICK_WORDS = rf"{_NICK_WORD}(?:[ \t](?:{_NICK_WORD}|{_NICK_PARTICLE})){{0,4}}"


def _quoted_nick(suffix: str = "") -> str:
    return (
        rf"(?P<open{suffix}>[«\"“'‘][ \t]*)"
        rf"(?P<nick{suffix}>{_QUOTED_NICK_WORDS})(?P<close{suffix}>[ \t]*[»\"”'’])"
    )


_NICKNAME_HINT = re.compile(
    r"[«\"“'‘]|(?i:\bcalls?\s|\bcalled\s|known\s+as|nickname|surnom|appel|goes\s+by)"
)
# Who is given a nickname: a person by their noun, not a thing ("le module qu'on appelle X").
_PERSON_NOUN = (
    r"(?<![\w-])(?i:monsieur|madame|dame|bonhomme|homme|femme|vieux|vieille|patiente?|"
    r"r[ée]sidente?|usag[èe]re?|client|cliente|man|lady|gentleman|woman|patient|"
    r"resident|client)"
)
_NICKNAME = re.compile(
    # Quoted right before the patient's name or the real name: "'Red' [PATIENT]", "'Bubbles'
    # (real name [PATIENT])", "« Chouchou » [PATIENT]", "'DJ' ([PATIENT])".
    _quoted_nick() + r"(?=[ \t]*(?:\(?[ \t]*\[PATIENT\]|\((?i:real\s+name|legal\s+name|vrai\s+nom|"
    r"de\s+son\s+vrai\s+nom|nom\s+l[ée]gal)\b))"
    # Quoted right after the patient's name: "M. [PATIENT] « Chouchou »".
    r"|(?<=\[PATIENT\])[ \t]+" + _quoted_nick("2")
    # After a patient's title, before the surname: "Mr. 'Smitty' Smith".
    + r"|(?:(?<=\bMr\.[ \t])|(?<=\bMrs\.[ \t])|(?<=\bMs\.[ \t])|(?<=\bMr[ \t])|"
    r"(?<=\bMrs[ \t])|(?<=\bMme[ \t])|(?<=\bM\.[ \t]))" + _quoted_nick("3")
    + r"(?=[ \t]+(?:[A-ZÀ-Þ][\w'’-]+|\[PATIENT\]))"
    # What says it is a nickname: "calls her Bubbles", "known as 'Red'", "surnommé Ti-Gus",
    # "sous un surnom 'Tit-Loup'", "the nickname \"Big Ben\"".
    r"|(?<![\w-])(?i:(?:calls?|calling|called)(?P<whom>\s+(?:him|her|them))?|known\s+as|know\s+(?:him|her)\s+as|"
    r"goes\s+by|nicknamed|nickname\s+is|surnomm[ée]e?|(?:on\s+)?l['’]appelle|"
    # What a person is called, the person named by their noun: "le monsieur qu'on appelle
    # Pépère", "la dame que tout le monde appelle Mamie", "the lady everyone calls Granny".
    rf"(?P<person>{_PERSON_NOUN}[ \t]+(?:qu['’]on|que[ \t]+(?:tout[ \t]+le[ \t]+monde|"
    r"l['’][ée]quipe|les[ \t]+gens|nous|tous)|(?:that[ \t]+|whom[ \t]+)?(?:we|everyone|"
    r"everybody|staff|the[ \t]+staff|people)|who[ \t]+(?:is|was)|qui[ \t]+se[ \t]+fait)"
    r"[ \t]+(?:l['’][ \t]*)?(?:appel(?:le|lent|ait|aient|ons)|calls?|called|call[ \t]+(?:him|her)|"
    r"surnomm(?:e|ent|ait)))|"
    r"son\s+surnom\s+(?:est|c['’]est)|(?P<bare>nickname|surnom|sobriquet))"
    r"[ \t:]+(?P<open4>[«\"“'‘][ \t]*)?(?P<nick4>(?(open4)"
    + _QUOTED_NICK_WORDS + r"(?=[ \t]*[»\"”'’])|" + _NICK + r"))"
    # The real name given beside a nickname: "(real name Maurice Roy)".
    r"|(?<![\w-])(?i:real\s+name|legal\s+name|de\s+son\s+vrai\s+nom|vrai\s+nom)[ \t:]+"
    r"(?P<real>" + _NICK + r"(?:[ \t]+" + _NICK + r"){0,2})"
)
# A surname right after a quoted nickname: "known as 'Red' Giroux".
_SURNAME_AFTER_NICK = re.compile(r"[ \t]*[»\"”'’][ \t]+([A-ZÀ-Þ][\w'’-]+)")


def _redact_nicknames(text: str) -> str:
    found: set[str] = set()
    for match in _NICKNAME.finditer(text):
        if match["real"]:
            found.add(match["real"])
            continue
        nick = match["nick"] or match["nick2"] or match["nick3"] or match["nick4"]
        quoted = not match["nick4"] or match["open4"]
        if match["person"] and not quoted and not nick[0].isupper():
            continue  # "la dame qu'on appelle souvent": a word in lower case
        if match["nick4"] and not quoted and not match["person"] and (
            not match["whom"] and match.group().lower().startswith("call")
            or _flags(_key(nick.split()[0])) & _COMMON
        ):
            continue  # "called Epic support", "calls Roy": a word or a colleague, unless quoted
        if match["nick4"] and not match["whom"] and match.group().lower().startswith(
            ("calling", "called")
        ):
            continue  # "called 'Epic support'": a phone call; a name given takes its person
        if match["bare"] and not quoted:
            continue  # "the nickname field": the noun alone takes a quoted name
        found.add(nick)
        group = next(g for g in ("nick", "nick2", "nick3", "nick4") if match[g])
        surname = _SURNAME_AFTER_NICK.match(text, match.end(group))
        if surname and (match["nick3"] or quoted and not _flags(_key(surname[1])) & _ORDINARY):
            found.add(surname[1])
    if _NICKNAME_TIED.search(text):
        found |= _tied_nicknames(text)
    for nick in sorted(found, key=len, reverse=True):
        text = re.sub(rf"(?<![\w\[-]){re.escape(nick)}(?![\w-])", PATIENT, text)
    return text


# A text that ties a nickname to a named patient ("it's the nickname for Mr. [PATIENT]", "the
# family's nickname for Mrs. [PATIENT]", "le surnom de Mme [PATIENT]", "(real name [PATIENT])")
# says that the name it quotes is that patient's: "Who is 'Sunshine'?", "Baby 'Tiny' in pod C".
_NICKNAME_TIED = re.compile(
    r"(?<![\w-])(?i:(?:nick\s?names?|surnoms?|sobriquets?)\s+(?:for|of|de|d['’]|du|given\s+to|"
    r"donn[ée]s?\s+[àa])|real\s+name|legal\s+name|vrai\s+nom|nom\s+l[ée]gal)"
    r"[ \t:]+(?:(?i:the|la|le|l['’]|notre|our|this|ce|cette)[ \t]+)?"
    r"(?:(?i:mrs?|ms|mme|m|monsieur|madame|patiente?|pt|baby|b[ée]b[ée])\.?[ \t]+)?\[PATIENT\]"
)
# The quoted name: a word or two, each capitalised, alone between quotes.
_QUOTED_ALONE = re.compile(
    r"(?<![\w'’])[«\"“'‘][ \t]*(?P<nick>" + _NICK + r"(?:[ \t]" + _NICK + r")?)[ \t]*[»\"”'’](?!\w)"
)
# The name right before what says it is a nickname, in parentheses or set off: "Sunny (the
# family's nickname for ...)", "Coco, le surnom de ...".
_NAME_BEFORE_TIE = re.compile(
    r"(?<![\w\[-])(?P<nick>" + _NICK + r")[ \t]*[(,—–-][ \t]*(?:(?i:the|la|le|l['’]|son|sa|his|her|"
    r"their|leur|notre|our|a|an|un)[ \t]+)?(?:[\w'’-]+[ \t]+){0,3}?"
    r"(?i:nick\s?names?|surnoms?|sobriquets?)\b"
)


# What the software shows is quoted too, named by its noun: "le bouton « Signer »", "the
# 'Sign' button" is a thing's label, no one's nickname.
_THING_BEFORE_QUOTE = re.compile(
    r"(?<![\w-])(?i:button|bouton|tab|onglet|field|champ|menu|ic[ôo]ne?|module|screen|[ée]cran|"
    r"option|filtre|filter|liste?|folder|report|rapport|message|section|template|mod[èe]le|"
    r"order|ordonnance|word|mot|status|statut|flag|alert|alerte|banner|banni[èe]re)s?[ \t]*$"
)


def _tied_nicknames(text: str) -> set[str]:
    """The names quoted, or set before the nickname's noun, in a text that ties a nickname to a
    patient; a word that is the start of a sentence or no name at all stays."""
    found = {
        m["nick"]
        for m in _QUOTED_ALONE.finditer(text)
        if not _THING_BEFORE_QUOTE.search(text, max(0, m.start() - 30), m.start())
    }
    found |= {m["nick"] for m in _NAME_BEFORE_TIE.finditer(text)}
    return {nick for nick in found if nick.lower() not in _TITLES}
