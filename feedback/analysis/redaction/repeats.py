"""A decision shared between names: names coordinated or in parentheses share their group's,
another name of the same person shares theirs, and a name quoted again (cut short, in the
plural, misspelt, spelt out from initials, in another case or without its accents) shares the
decision of its cued mention.
"""

import re

from feedback.analysis.redaction.patient_context import _NAMING_BEFORE, _NAMING_HINT
from feedback.analysis.redaction.runs import _COMMA_GAP, _Run
from feedback.analysis.redaction.staff_context import _NEGATION_AFTER, _STAFF_BEFORE
from feedback.analysis.redaction.vocabulary import (
    _DEFAULT,
    _FAMILY_GROUP,
    _PATIENT_CLASS,
    _ROLE,
    _SENTENCE_END,
    _STAFF,
    _STREET_NAMED,
    _Lazy,
    _one_letter_apart,
    word_list,
)
from feedback.analysis.redaction.words import (
    _COMMON,
    _GIVEN,
    _ORDINARY,
    _PLACE,
    _flags,
    _key,
    _name_shaped,
)
from feedback.analysis.text import fold

# A note in parentheses may close an item: "Lisa Tran (4C), Paul Roy et ...".
_COORDINATION = re.compile(
    r"\s*(?:\([^()\n]{0,40}\)\s*)?(?:,|&|\+|/|(?i:et|and|pis|ou|or)(?:\s+(?i:à|a|to|aux?|de|d['’]|du|avec|with|par|by))?)\s*"
)


_STREET = re.compile(_STREET_NAMED)


def _street_beside(text: str, inner: _Run, close: int) -> bool:
    """Whether a street follows the run in its aside, or the run is the street's own name: a
    business and where it stands ("(Pharmaprix rue Ontario)", "(Rexall on Main St)")."""
    street = _STREET.search(text, max(0, inner.start - 4), close + 1)
    return bool(street and street.start() <= inner.end + 3)


def _parenthesised(text: str, runs: list[_Run]) -> None:
    """Names in parentheses right after a name are that person's or their family's: "Mo
    (Mohammed Haddad) on the help desk", "the Papadopoulos kids (Eleni 6 y, Nikos 3 y)"."""
    for index, run in enumerate(runs[:-1]):
        if run.kind not in (_STAFF, _PATIENT_CLASS):
            continue
        opening = _PARENTHESIS_OPENING.match(text, run.end)
        if not opening:
            continue
        close = text.find(")", run.end, run.end + 100)
        if close < 0:
            continue
        for inner in runs[index + 1 :]:
            if inner.start > close:
                break
            if inner.kind in (None, _DEFAULT):
                first = inner.words[0]
                if _DESTINATION_BEFORE.search(text, max(0, inner.start - 8), inner.start) or (
                    first.upper and not first.listed and len(first.raw) < 6
                ):
                    continue  # where the patient goes, an acronym: "Roy, Jean (vers CHUL)"
                if _place_aside(text, inner):
                    continue  # a country alone, where they live: "le frère Julien (France)"
                if _street_beside(text, inner, close):
                    continue  # a business and its street: "Mme Roy (Pharmaprix rue Ontario)"
                if run.kind == _STAFF or first.capital or first.listed:
                    inner.kind = run.kind


# A surname in the plural names several people: "les deux Roy", "les Gagnon", "the two Lees".
_PLURAL_BEFORE = re.compile(
    r"\b(?i:les|the)(?:[ \t]+(?i:deux|trois|2|3|two|three))?[ \t]+$"
)
# Only given names between the parentheses, joined: "(Réal et Rémi)", "(Ann, Bea & Cy)".
_GIVEN_NAMES_JOIN = re.compile(r"[ \t]*(?:,|&|/|(?i:et|and|pis))[ \t]*")
_ROLE_IN_GAP = _Lazy(rf"\b(?i:{_ROLE})\b")


def _namesakes_given(text: str, runs: list[_Run]) -> None:
    """A patient's surname in the plural, then given names alone in parentheses further in the
    sentence: those are the given names of the people the surname names ("les deux Roy étaient
    sur la même liste (Réal et Rémi)"), unless a colleague's role comes between."""
    for index, run in enumerate(runs[:-1]):
        if run.kind != _PATIENT_CLASS or not _PLURAL_BEFORE.search(
            text, max(0, run.start - 16), run.start
        ):
            continue
        opening = text.find("(", run.end, run.end + 120)
        close = text.find(")", opening)
        if opening < 0 or close < 0 or _SENTENCE_END.search(text, run.end, opening):
            continue
        if _ROLE_IN_GAP.search(text, run.end, opening):
            continue
        inner = [other for other in runs[index + 1 :] if opening < other.start < close]
        if not inner or any(
            other.kind == _STAFF or len(other.words) > 1 or not other.words[0].flags & _GIVEN
            for other in inner
        ):
            continue
        gaps = [text[opening + 1 : inner[0].start], text[inner[-1].end : close]]
        joins = [text[a.end : b.start] for a, b in zip(inner, inner[1:], strict=False)]
        if not "".join(gaps).strip() and all(_GIVEN_NAMES_JOIN.fullmatch(j) for j in joins):
            for other in inner:
                other.kind = _PATIENT_CLASS


def _place_aside(text: str, run: _Run) -> bool:
    """Whether the run is a country or a city alone in parentheses after a name: where that
    person lives ("Julien (France)", "Mr. Hall (Gaspé)"), no second name of theirs. A town is
    one that a list of towns knows and no list of names, one that is also a given name, or
    one shaped like a town's name that no list of names knows ("Jonesville", "Smithtown")."""
    if not (
        len(run.words) == 1
        and text[max(0, run.start - 2) : run.start].strip() == "("
        and text[run.end : run.end + 2].strip().startswith(")")
    ):
        return False
    word = run.words[0]
    key = _key(word.raw)
    return key in word_list("places_named_like_people") or not word.listed and (
        bool(word.flags & _PLACE) or bool(_TOWN_ENDING.search(key))
    )


# How many towns' names end, and few surnames: "Georgetown", "Drummondville", "Pittsburgh".
_TOWN_ENDING = re.compile(r"..(?:town|ville|bourg|borough|burgh|boro)$")


# A possessive may come between: "Mr. Novak's (Ivo) order" names Ivo Novak; so may the
# room that places them: "mme Lise du 114 (Auclair)".
_PARENTHESIS_OPENING = re.compile(
    r"(?:['’]s)?(?:[ \t]+(?i:du|de\s+la|au|in|en|dans\s+la|from)[ \t]+"
    r"(?:(?i:room|rm|bed|lit|chambre|ch)\.?[ \t]*)?#?\d{1,4}[A-Za-z]?)?"
    rf"[ \t]*(?:(?i:{_FAMILY_GROUP})[ \t]*)?\("
)

_DESTINATION_BEFORE = re.compile(r"\b(?i:vers|to|from|via|au|aux|at|de|du|des|d['’])[ \t]*$")


def _aliases(text: str, runs: list[_Run]) -> None:
    """A name given as another name of a patient ("Sam = Samantha Oyelaran", "MACDONALD,
    ALASDAIR but he goes by Sandy") is theirs too."""
    for index, run in enumerate(runs[:-1]):
        following = runs[index + 1]
        if (
            run.kind is None
            and following.kind == _PATIENT_CLASS
            and _ALIAS_GAP.fullmatch(text, run.end, following.start)
        ):
            run.kind = _PATIENT_CLASS
    for index, run in enumerate(runs[1:], 1):
        previous = runs[index - 1]
        if (
            run.kind is None
            and previous.kind == _PATIENT_CLASS
            and _NAMING_HINT.search(text, max(0, run.start - 30), run.start)
            and _NAMING_BEFORE.search(text, max(0, run.start - 30), run.start)
            and not _SENTENCE_END.search(text, previous.end, run.start)
        ):
            run.kind = _PATIENT_CLASS


_ALIAS_GAP = re.compile(r"\s*(?:=|:=|→|->|\(?(?i:aka|a\.k\.a\.|alias|i\.e\.|soit))\s*")


def _staff_families(text: str, runs: list[_Run]) -> None:
    """A surname read as a family's only from the word after it ("the 'Bouchard twins'") is a
    colleague's when the text names that family as staff ("two trainers (Anne and Lise
    Bouchard)"); so is a family whose members, named in parentheses after it, are colleagues
    ("les jumelles Saint-Onge (Audrey et Karine, inhalothérapeutes)")."""
    for index, run in enumerate(runs[:-1]):
        if run.kind != _PATIENT_CLASS or run.title or not _PARENTHESIS_OPENING.match(text, run.end):
            continue
        close = text.find(")", run.end, run.end + 120)
        inner = [other for other in runs[index + 1 :] if other.start < close]
        negated = _NEGATION_AFTER.match(text, text.find("(", run.end) + 1)
        if close > 0 and inner and not negated and all(other.kind == _STAFF for other in inner):
            run.kind = _STAFF
    weak = [run for run in runs if run.kind == _PATIENT_CLASS and run.family]
    if not weak:
        return
    staff = {_key(w.raw) for run in runs if run.kind == _STAFF for w in run.words}
    for run in weak:
        if all(_key(w.raw) in staff for w in run.words):
            run.kind = _STAFF


def _coordinate(text: str, runs: list[_Run]) -> None:
    """Names joined by "et", "and", "pis" or a comma share the cue of the group."""
    groups: list[list[_Run]] = []
    for run in runs:
        if groups:
            gap = text[groups[-1][-1].end : run.start]
            if _COORDINATION.fullmatch(gap):
                groups[-1].append(run)
                continue
        groups.append([run])
    for group in groups:
        if len(group) < 2:
            continue
        kinds = {run.kind for run in group}
        explicit = kinds & {_STAFF, _PATIENT_CLASS}
        if len(explicit) == 1:
            kind = explicit.pop()
            for run in group:
                # A name of any origin joins a patient's group: "the Abdi twins, Hodan and Hibaq".
                named = (
                    run.words[0].listed
                    or len(run.words) > 1
                    or kind == _PATIENT_CLASS
                    and _name_shaped(run.words[0])
                )
                if run.kind in (None, _DEFAULT) and (kind == _STAFF or named):
                    run.kind = kind
        elif not explicit and _DEFAULT in kinds:
            for run in group:
                if run.kind is None and run.words[0].listed:
                    run.kind = _DEFAULT


def _propagate(text: str, runs: list[_Run]) -> None:
    """A name quoted again elsewhere in the text shares the decision that its context made:
    a name read as a patient's only for want of a cue is a colleague's when another mention
    says so ("Thandiwe Nkosi (AIC) … Thandiwe Nkosi dit que"), and a patient's name, even cut
    short, in the plural or misspelt by a letter, is still theirs."""
    staff = {_key(w.raw) for run in runs if run.kind == _STAFF for w in run.words}
    if staff:
        cued = {
            _key(w.raw)
            for run in runs
            if run.kind == _PATIENT_CLASS and not run.default
            for w in run.words
        }
        for run in runs:
            keys = [_key(w.raw) for w in run.words if len(w.raw) > 2]
            if run.default and keys and all(k in staff and k not in cued for k in keys):
                run.kind = _STAFF
    keys = {
        _key(w.raw)
        for run in runs
        if run.kind == _PATIENT_CLASS
        for w in run.words
        if len(w.raw) > 2 and (w.listed or w.capital)
    }
    if not keys:
        return
    # A part of a hyphenated surname quoted alone is the same name: "Okafor-Williams", then
    # "N. Okafor". Given names are left out: "Marie" of "Marie-Ève" may be someone else.
    keys |= {
        part
        for key in list(keys)
        if "-" in key
        for part in key.split("-")
        if len(part) > 3 and not _flags(part) & _GIVEN
    }
    initials = {
        fold(found.group()).replace(".", "").replace("-", "")
        for run in runs
        if run.kind == _PATIENT_CLASS
        for found in _INITIALS.finditer(text, run.start, run.end)
    }
    for run in runs:
        if run.kind is not None:
            continue
        found = any(_key(w.raw) in keys for w in run.words)
        if not found and len(run.words) == 1:
            word = run.words[0]
            cut = _key(word.raw)
            # "Two Martines on 5 West": the name in the plural.
            found = cut[-1:] == "s" and cut[:-1] in keys and word.capital
            if not found and len(cut) > 3 and (word.upper or "-" in cut):
                # Cut short: "KILLI" for "KILLIAN", « Jeanne-d » for "Jeanne-d'Arc".
                found = any(key.startswith(cut) for key in keys)
            if not found and len(cut) > 5 and word.capital and not word.flags & _ORDINARY:
                # Misspelt by a letter: 'Metalic' for "Metallic".
                found = any(_one_letter_apart(cut, key) for key in keys if len(key) > 5)
            if not found and word.capital and word.flags & _GIVEN and initials:
                # Spelt out where the patient's name gave initials: "M.-A." then "Marie-Andrée".
                found = "".join(part[0] for part in cut.split("-")) in initials
        if found and not _STAFF_BEFORE.search(text[max(0, run.start - 50) : run.start]):
            run.kind = _PATIENT_CLASS


_INITIALS = re.compile(r"(?<![\w.])[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)+")


def _full_names_again(text: str, runs: list[_Run]) -> list[tuple[int, int]]:
    """A patient's full name quoted again in any case or without its accents ("Rose Blanc …
    rose blanc a refusé", "Hélène Côté … helene cote"): the words no longer look like a name,
    but the same two words in a row are the same person."""
    names = {
        tuple(_key(w.raw) for w in run.words)
        for run in runs
        if run.kind == _PATIENT_CLASS and len(run.words) > 1
    }
    words = {
        _key(w.raw)
        for run in runs
        if run.kind == _PATIENT_CLASS
        for w in run.words
        if len(w.raw) > 2 and not w.flags & _COMMON
    }
    # A surname of several words after the given name is the patient's alone too, as a search
    # or a chart writes it, spaced, hyphenated or run together ("Fatima El Amrani … typed
    # El-Amrani", "Ana De la Cruz … Delacruz").
    surnames = set()
    for run in runs:
        if run.kind == _PATIENT_CLASS and len(run.words) > 1:
            spoken = [_key(w) for w in _SPACED_WORD.findall(text, run.start, run.end)]
            if len(spoken) > 2:
                surnames.add(tuple(spoken[1:]))  # particles too: "De la Cruz"
            if run.title:
                surnames.add(tuple(spoken))  # after a title, all of it: "M. Van der Berg"
    spans = _name_spans(text, names | surnames, words)
    if surnames:
        # Of two parts or more: one word alone ("M. Blanc") is read as a name elsewhere.
        glued = {
            "".join(surname).replace("-", "")
            for surname in surnames
            if len("-".join(surname).split("-")) > 1
        }
        spans += [
            (found.start(), found.end())
            for found in _PLAIN_WORD.finditer(text)
            if _key(found.group()).replace("-", "") in glued
        ]
    return spans


def _name_spans(
    text: str, names: set[tuple[str, ...]], words: set[str], any_case: bool = False
) -> list[tuple[int, int]]:
    """Where the patients' names (as folded words) are quoted again: each full name in any case,
    in its order or surname first, and each word alone as the subject of a verb: in lower case,
    or in any case when no run of words carried the name (``any_case``).

    The text is read once as folded words, which a name's words are compared with: no pattern
    is built for each name."""
    if not names and not words:
        return []
    tokens = []
    for found in _PLAIN_WORD.finditer(text):
        begin, finish, raw = found.start(), found.end(), found.group()
        if raw[-2:] in ("'s", "’s"):
            finish, raw = finish - 2, raw[:-2]  # "hope winter's daughter"
        tokens.append((begin, finish, raw))
    keys = [_key(raw) for _, _, raw in tokens]
    spans = []
    for name in names:
        parts = tuple(piece for part in name for piece in part.split("-") if piece)
        if len(parts) < 2 or any(len(piece) < 2 for piece in parts):
            continue
        # The surname first too, as a list writes it: "Rose Blanc … blanc, rose".
        reverse = (parts[-1], *parts[:-1])
        size = len(parts)
        for index in range(len(tokens) - size + 1):
            found = tuple(keys[index : index + size])
            if found != parts and found != reverse:
                continue
            gaps = [
                text[tokens[at][1] : tokens[at + 1][0]] for at in range(index, index + size - 1)
            ]
            comma = found == reverse and found != parts
            if not all(
                _NAME_GAP.fullmatch(gap) or comma and at == 0 and _COMMA_GAP.fullmatch(gap)
                for at, gap in enumerate(gaps)
            ):
                continue
            begin, finish = tokens[index][0], tokens[index + size - 1][1]
            if not _STAFF_BEFORE.search(text[max(0, begin - 50) : begin]):
                spans.append((begin, finish))
    # One word of that name alone in lower case, as the subject of a verb ("Aurore Dupuis a
    # chuté, aurore a pleuré", "Sky Rivers … later sky said"): a word too ordinary to be read
    # as a name is the patient's where it acts as a person does.
    # Or alone in quotes, as it was typed into a search or a field ("pt Winston Love … Epic
    # search for 'love'"): what is quoted is the name itself, whatever its case.
    if words:
        verb = _SUBJECT_AFTER_ANY_CASE if any_case else _SUBJECT_AFTER
        for (begin, finish, raw), key in zip(tokens, keys, strict=True):
            if key in words and (
                (any_case or raw.islower())
                and verb.match(text, finish)
                and _CLAUSE_OPENING.search(text, max(0, begin - 12), begin)
                or _QUOTE_OPENING.search(text, max(0, begin - 3), begin)
                and _QUOTE_CLOSING.match(text, finish)
            ):
                spans.append((begin, finish))
    return spans


# Words as a name is written, a hyphen binding two ("Jean-Guy Roy" is two words).
_SPACED_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Words as a name is made of, hyphens apart ("jean-guy" reads as "jean" and "guy").
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NAME_GAP = re.compile(r"[ \t-]+")
# A word alone between quotes, the opening one after a space or a bracket.
_QUOTE_OPENING = re.compile(r"(?:^|(?<=[\s(]))[«\"“'‘][ \t]?$")
_QUOTE_CLOSING = re.compile(r"[ \t]?[»\"”'’](?!\w)")


_SUBJECT_VERB = (
    r"(?:a|avait|est|[ée]tait|sera|va|dit|disait|veut|voulait|refuse|pleure|crie|n['’]|ne|"
    r"has|had|is|was|will|wants|wanted|said|says|refused|refuses|cried|yelled|fell)\b"
)

_SUBJECT_AFTER = re.compile(rf"[ \t]+{_SUBJECT_VERB}")
_SUBJECT_AFTER_ANY_CASE = re.compile(rf"[ \t]+{_SUBJECT_VERB}", re.IGNORECASE)

# Where a clause opens, so that the word after is its subject: not "le mur blanc est sale".
_CLAUSE_OPENING = re.compile(
    r"(?:^|[,;:.!?(—–][ \t]*|\n[ \t]*|\b(?i:et|mais|puis|donc|alors|quand|lorsque|que|qu['’]|si|"
    r"car|and|but|then|later|when|because|that|if|so|tard)[ \t]+)$"
)


# An initial right after a patient's given name is their surname cut short: "Svetlana T.".
_TRAILING_INITIAL = re.compile(r"[ \t]+([A-ZÀ-Þ])\.")


def _initials_again(text: str, runs: list[_Run]) -> list[tuple[int, int]]:
    """Initials standing for a patient named in full in the same text ("A.B. (Amélie Bérubé)",
    "pt K.L. … Karen Lupien"): writers abbreviate the name they also spell out, and two or
    more initials that are exactly that name's point to the same person."""
    if "." not in text:
        return []
    wanted = set()
    for run in runs:
        if run.kind != _PATIENT_CLASS:
            continue
        letters = "".join(
            piece[0] for w in run.words for piece in fold(w.raw).split("-") if piece[:1].isalpha()
        )
        trailing = _TRAILING_INITIAL.match(text, run.end)
        if trailing:
            letters += fold(trailing.group(1))
        if len(letters) > 1:
            wanted.add(letters)
            # The given names' initials with the surname's: "J.T." for "Jean-Guy Tremblay" too.
            wanted.add("".join(fold(w.raw)[0] for w in run.words if w.raw[:1].isalpha()))
    if not wanted:
        return []
    taken = [(run.start, run.end) for run in runs]
    spans = []
    for found in _INITIALS.finditer(text):
        begin, finish = found.span()
        if any(a <= begin < b for a, b in taken):
            continue
        if fold(found.group()).replace(".", "").replace("-", "") not in wanted:
            continue
        if _STAFF_BEFORE.search(text[max(0, begin - 50) : begin]):
            continue
        spans.append((begin, finish))
    return spans


_ALIAS_OPENING = re.compile(r"[ \t]*\([ \t]*")


def _alias_before_name(text: str, runs: list[_Run]) -> None:
    """A given name or pet name no cue decided, right before a patient's full name in
    parentheses, is that patient's other name: "ti-jo (Joseph Hébert, ch 4)", "Mimi (Émilie
    Roy)". Writers put the name the unit uses first and the chart's name after it."""
    for index, run in enumerate(runs[:-1]):
        if run.kind is not None or len(run.words) != 1:
            continue
        word = run.words[0]
        if not word.flags & _GIVEN or word.flags & _COMMON:
            continue
        inner = runs[index + 1]
        opening = _ALIAS_OPENING.match(text, run.end)
        if (
            inner.kind == _PATIENT_CLASS
            and len(inner.words) > 1
            and opening
            and opening.end() == inner.start
        ):
            run.kind = _PATIENT_CLASS
