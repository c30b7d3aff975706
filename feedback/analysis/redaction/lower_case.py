"""Names typed in lower case, which the runs of capitalised words do not see: after a title
("mme blanc rose"), between commas after a relative ("her daughter, faith, called"), after a
patient's noun and before a bed ("pt rose blanc ch 4"), and the lower-case rest of a patient's
name begun in capitals or with a given name ("pt nguyen thi lan", "pt dwayne richards in 22"),
the name a patient goes by before their full name in parentheses ("pt sunny li (Li Xiaoyan)"),
and a given name called and told of their own appointment ("j'ai appelé marcel pour lui dire
que son rendez-vous").
"""

import re

from feedback.analysis.redaction.patient_context import _PATIENT_AFTER
from feedback.analysis.redaction.repeats import _name_spans
from feedback.analysis.redaction.runs import _Run
from feedback.analysis.redaction.staff_context import _STAFF_BEFORE, _TITLED_STAFF_DEED_AFTER
from feedback.analysis.redaction.vocabulary import (
    _PATIENT_CLASS,
    _STAFF,
    PATIENT,
    _apply,
    _has_any,
    _Lazy,
    word_list,
)
from feedback.analysis.redaction.whose_name import _KIN
from feedback.analysis.redaction.words import (
    _BABY_WORDS,
    _COMMON,
    _DOUBLED,
    _GIVEN,
    _SURNAME,
    _UNKNOWN,
    _flags,
    _key,
)


def _lower_case_names(text: str, low: str = "") -> str:
    """A patient's name typed in lower case where a title, a relative or a bed gives it away."""
    if _has_any(low or text.lower(), _TITLE_HINTS) and _TITLE_LOWER_HINT.search(text):
        named: list[tuple[str, ...]] = []
        text = _PATIENT_TITLE_LOWER.sub(lambda m: _replace_lower_name(m, named), text)
        if named:
            # The name read after a title quoted again elsewhere: "mme blanc rose … rose blanc".
            words = {part for name in named for part in name if len(part) > 2}
            full = {name for name in named if len(name) > 1}
            text = _apply(text, _name_spans(text, full, words, any_case=True))
            text = _apply(text, _kin_sharing_surname(text, words))
    if "," in text and _COMMA_WORD_COMMA.search(text):
        text = _lower_appositions(text)
    if _has_any(low or text.lower(), _PATIENT_NOUN_HINTS) and _LOWER_PLACED_HINT.search(text):
        text = _LOWER_PLACED_NAME.sub(_replace_lower_placed_name, text)
        text = _LOWER_PET_NAME.sub(_replace_lower_pet_name, text)
        if "(" in text and PATIENT in text:
            text = _LOWER_BEFORE_FULL_NAME.sub(_replace_lower_before_full_name, text)
    if _CALLED_LOWER_HINT.search(text):
        text = _CALLED_LOWER_GIVEN.sub(_replace_called_lower_given, text)
    return text


# The name a patient goes by, typed in lower case between a patient's noun and the full name
# in parentheses: "pt sunny li (Li Xiaoyan)", "Pt jos (Joseph Mukendi)", "résidente lulu
# (Lucienne Roy)". One word of it at least is a name, and none a common word: "pt confus
# (Jean Roy)" says how he is.
_LOWER_BEFORE_FULL_NAME = re.compile(
    r"(?P<noun>\b(?i:pts?|pte|patiente?|r[ée]sidente?)[ \t]+)"
    r"(?P<pair>[a-zà-ÿ][a-zà-ÿ'’-]+(?:[ \t]+[a-zà-ÿ][a-zà-ÿ'’-]+)?)"
    rf"(?=[ \t]*\([ \t]*{re.escape(PATIENT)}[ \t]*\))"
)


def _replace_lower_before_full_name(match: re.Match) -> str:
    keys = [_key(word) for word in match["pair"].split()]
    flags = [_flags(key) for key in keys]
    if any(flag & _COMMON for flag in flags) or not any(
        # A pet name of a doubled syllable is a given name: "lulu", "mimi".
        flag & (_GIVEN | _SURNAME) or key in word_list("ambiguous_lower") or _DOUBLED.fullmatch(key)
        for key, flag in zip(keys, flags, strict=True)
    ):
        return match.group()
    return match["noun"] + PATIENT


# A given name typed in lower case after a call, told of their own appointment or results: the
# patient's ("j'ai appelé marcel pour lui dire que son rendez-vous est déplacé", "called
# denise to tell her that her results are in").
_CALLED_LOWER_HINT = re.compile(r"(?i:appel|t[ée]l[ée]phon|joint|called|phoned|rang)")
_CALLED_LOWER_GIVEN = re.compile(
    r"(?P<lead>\b(?i:j['’]ai|on\s+a|nous\s+avons|i|we)[ \t]+"
    r"(?i:appel[ée]|rappel[ée]|t[ée]l[ée]phon[ée][ \t]+[àa]|joint|called|called[ \t]+back|"
    r"phoned|rang)[ \t]+)"
    r"(?P<name>[a-zà-ÿ][a-zà-ÿ'’-]+)"
    r"(?=[ \t]+(?i:pour|to|and|et)\b[^.!?\n]{0,60}?\b(?i:son|sa|ses|his|her|their|leur)[ \t]+"
    r"(?i:rendez-vous|rdv|appointments?|r[ée]sultats?|results?|chirurgie|surgery|examens?|"
    r"scan|irm|mri|ordonnances?|prescriptions?|cong[ée]|discharge|biopsie|biopsy)\b)"
)


def _replace_called_lower_given(match: re.Match) -> str:
    flags = _flags(_key(match["name"]))
    if not flags & _GIVEN or flags & _COMMON:
        return match.group()
    return match["lead"] + PATIENT


# A given name, then a word of the patient's name, both in lower case: a relative who bears the
# patient's family name ("mr. amar ... call her rania amar", "mme roy, sa fille julie roy").
_LOWER_PAIR = re.compile(
    r"(?<![\w'’\[-])([a-zà-ÿ][a-zà-ÿ'’-]+)[ \t]+([a-zà-ÿ][a-zà-ÿ'’-]+)(?![\w'’-])"
)


def _kin_sharing_surname(text: str, words: set[str]) -> list[tuple[int, int]]:
    spans = []
    for found in _LOWER_PAIR.finditer(text):
        if _key(found[2]) not in words:
            continue
        flags = _flags(_key(found[1]))
        if flags & _GIVEN and not flags & _COMMON:
            spans.append((found.start(), found.end()))
    return spans


# "m." too, typed fast in lower case, unless a length in metres: "chez m. cote", not "3 m. de".
# Typed fast, the name may be glued to the title's full stop ("mr.vasquez") or follow an
# initial ("mr j. oconnor").
_TITLE_LOWER_HINT = re.compile(
    r"(?i:\b(?:mme|mlle|mr|mrs)\b(?:\.|\.?[ \t]+)[a-zà-ÿ])|(?<![\d.])(?<!\d )\bm\.[ \t]*[a-zà-ÿ]"
)


_PATIENT_TITLE_LOWER = _Lazy(
    r"(?P<title>\b(?i:mme|mlle|mr|mrs)\b\.?|(?<![\d.])(?<!\d )\bm\.)"
    # Glued to the stop of a title of two letters or more; to "m." only a listed surname that
    # no stop follows, which _replace_lower_name checks ("m.gagnon", not "m.d.", "p.m.", "m.sc.").
    r"(?P<space>[ \t]+|(?<=[A-Za-z]{2}\.)(?=[a-zà-ÿ])|(?<=m\.)(?=[a-zà-ÿ]{3}))"
    r"(?P<initial>[a-zà-ÿ]\.[ \t]*)?"
    r"(?P<name>[a-zàâäçéèêëîïôöùûüÿæœ][a-zàâäçéèêëîïôöùûüÿæœ'’-]+)"
    # The name's second word, typed in lower case too: "mme blanc rose (ch 8)".
    r"(?P<second>[ \t]+[a-zàâäçéèêëîïôöùûüÿæœ][a-zàâäçéèêëîïôöùûüÿæœ'’-]+)?"
)


_TITLE_HINTS = ("mme", "mlle", "mr", "m.")


_PATIENT_NOUN_HINTS = ("pt", "patient", "résident", "resident")


_LOWER_PLACED_HINT = re.compile(r"\b(?i:pts?|pte|patiente?|r[ée]sidente?)[ \t]+[a-zà-ÿ]")


_COMMA_WORD_COMMA = re.compile(r",[ \t]*(?P<name>[a-zà-ÿ][a-zà-ÿ'’-]+)[ \t]*(?=,)")


# A name typed in lower case that its place gives away, though its words are also words:
# between commas after a relative ("la fille de la patiente, amber, a appelé", "her daughter,
# faith, called"), or between a patient's noun and a bed ("pt rose blanc ch 4").
_APPOSITION_LEAD = re.compile(
    rf"(?:\b(?i:son|sa|ses|his|her|their|leur)\s+(?i:{_KIN})"
    rf"|\b(?i:patient|patiente|pt|resident|client)['’]s\s+(?i:{_KIN})"
    rf"|\b(?i:{_KIN})\s+(?i:de|du|d['’]|of)\s+(?:(?i:la|le|l['’]|the)\s*)?"
    r"(?i:patiente?|pte?|usag[èe]re?|r[ée]sidente?|cliente?|b[ée]b[ée]|baby))[ \t]*$"
)


_LOWER_PLACED_NAME = re.compile(
    r"(?P<noun>\b(?i:pts?|pte|patiente?|r[ée]sidente?)[ \t]+)"
    r"(?P<pair>[a-zà-ÿ][a-zà-ÿ'’-]+(?:[ \t]+[a-zà-ÿ][a-zà-ÿ'’-]+)?)"
    r"(?=[ \t]+(?i:in|en|au|ch\.?|chambre|lit|bed|room|rm)[ \t]*#?\d)"
)


def _lower_appositions(text: str) -> str:
    spans = []
    for found in _COMMA_WORD_COMMA.finditer(text):
        if not _APPOSITION_LEAD.search(text, max(0, found.start() - 60), found.start()):
            continue
        name = found["name"]
        key = _key(name)
        flags = _flags(key)
        if flags & _COMMON or not (flags & _GIVEN or key in word_list("ambiguous_lower")):
            continue
        spans.append(found.span("name"))
    for start, end in reversed(spans):
        text = text[:start] + PATIENT + text[end:]
    return text


# A pet name typed in lower case right after a patient's noun: "résident mimi a refusé".
_LOWER_PET_NAME = re.compile(
    r"(?P<noun>\b(?i:pts?|pte|patiente?|r[ée]sidente?)[ \t]+)(?P<pet>[a-zà-ÿ]{2,8})\b(?![’'-])"
)


def _replace_lower_pet_name(match: re.Match) -> str:
    key = _key(match["pet"])
    after = match.string[match.end() : match.end() + 90]
    if _DOUBLED.fullmatch(key) and key not in _BABY_WORDS and _PATIENT_AFTER.match(after):
        return match["noun"] + PATIENT
    return match.group()


def _replace_lower_placed_name(match: re.Match) -> str:
    keys = [_key(word) for word in match["pair"].split()]
    for key in keys:
        flags = _flags(key)
        if flags & _COMMON or not (
            flags & (_GIVEN | _SURNAME) or key in word_list("ambiguous_lower")
        ):
            return match.group()
    return match["noun"] + PATIENT


_AFTER_SURNAME = re.compile(
    r"[ \t]*(?:[,().;:—–]|\d|(?i:in|en|au|ch|bed|lit|room|rm|est|is|was|has|qui|who)\b)"
)


_APPOSITION_OPEN = re.compile(r"[,(][ \t]*$")


_APPOSITION_CLOSE = re.compile(r"[ \t]*(?:[,)—–]|$)")


def _lower_case_extensions(text: str, runs: list[_Run]) -> list[tuple[int, int]]:
    """A lower-case given name and the ordinary-looking word after it, when a patient's."""
    spans = []
    for run in runs:
        last = run.words[-1]
        if run.kind == _STAFF or last.capital or not last.flags & _GIVEN:
            continue
        following = re.match(r"[ \t]+([a-zà-öø-ÿ]{3,})\b", text[last.end : last.end + 40])
        if not following or _flags(_key(following.group(1))) & _COMMON:
            continue
        end = last.end + following.end()
        # "the daughter, jenna morrow, signed": a patient's relative named in apposition.
        apposition = (
            run.kind == _PATIENT_CLASS
            and _APPOSITION_OPEN.search(text, max(0, run.start - 3), run.start)
            and _APPOSITION_CLOSE.match(text, end)
        )
        # "pt dwayne richards in 22": after a patient's first name, the word before a bed.
        placed = run.kind == _PATIENT_CLASS and _AFTER_SURNAME.match(text, end)
        if apposition or placed or _PATIENT_AFTER.match(text[end : end + 90]):
            spans.append((run.start, end))
    return spans


_UPPER_NEXT = re.compile(r" ([A-ZÀ-Þ][A-ZÀ-Þ'’-]+)\b(?![.'’-]\w)")


_LOWER_NEXT = re.compile(r" ([a-zà-öø-ÿ][a-zà-öø-ÿ'’-]+)\b(?![.'’-]\w)")


def _lower_name_tails(text: str, runs: list[_Run]) -> list[tuple[int, int]]:
    """The rest of a patient's name typed in lower case, after its first word: a listed name
    or a word no dictionary knows ("nom : tran van binh", "pt nguyen thi lan")."""
    spans = []
    for run in runs:
        last = run.words[-1]
        if run.kind != _PATIENT_CLASS or last.capital and not last.upper:
            continue
        # After a name in capitals, the rest in capitals too: "PATIENTE ROSE BLANC CH 4".
        following_word = _UPPER_NEXT if last.upper else _LOWER_NEXT
        end = last.end
        for _ in range(2):
            following = following_word.match(text, end) or _LOWER_NEXT.match(text, end)
            if not following:
                break
            key = _key(following.group(1))
            flags = _flags(key)
            # A name that is also a word ("blanc", "rose") goes on a name already begun.
            named = flags & (_GIVEN | _SURNAME | _UNKNOWN) or key in word_list("ambiguous_lower")
            if flags & _COMMON or not named:
                break
            end = following.end()
        if end > last.end:
            spans.append((run.start, end))
    return spans


def _replace_lower_name(match: re.Match, named: list[tuple[str, ...]]) -> str:
    name = match["name"]
    before = match.string[max(0, match.start() - 70) : match.start()]
    if _flags(_key(name)) & _COMMON or _STAFF_BEFORE.search(before):
        return match.group()
    end = match.end("name")
    if _TITLED_STAFF_DEED_AFTER.match(match.string[end : end + 90]):
        # What only a colleague does for the team, after a title typed in lower case too:
        # "mme fleury m'a montré", "mr lee showed us the new pump".
        return match.group()
    if (
        not match["space"]
        and match["title"] == "m."
        and not (
            _flags(_key(name)) & _SURNAME and not match.string.startswith(".", match.end("name"))
        )
    ):
        return match.group()  # "m." glued to a word: an abbreviation ("m.sc."), not a title
    second = match["second"]
    if second:
        key = _key(second.strip())
        flags = _flags(key)
        if not flags & _COMMON and (
            flags & (_GIVEN | _SURNAME | _UNKNOWN) or key in word_list("ambiguous_lower")
        ):
            named.append((_key(name), key))
            return match["title"] + match["space"] + PATIENT
        named.append((_key(name),))
        return match["title"] + match["space"] + PATIENT + second
    named.append((_key(name),))
    return match["title"] + match["space"] + PATIENT
