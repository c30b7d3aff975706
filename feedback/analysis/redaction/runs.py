"""Runs of adjacent name-like words, the unit that is kept or replaced as a whole."""

import re
from functools import lru_cache

from feedback.analysis.redaction.patient_context import _PATIENT_AFTER
from feedback.analysis.redaction.vocabulary import _ROLE, _Lazy, _word_set, word_list
from feedback.analysis.redaction.words import (
    _COMMON,
    _CUE,
    _GIVEN,
    _LOWER_OK,
    _ORDINARY,
    _PLACE,
    _SURNAME,
    _UNKNOWN,
    _flags,
    _key,
    _Word,
)
from feedback.analysis.resources import given_names, stopwords

# The particles of a name, one list for the word alone and for the gap it makes between words.
_PARTICLES = (
    r"(?i:de|du|des|da|das|do|dos|di|del|della|van|von|der|den|ten|ter|le|la|st|ste|mc|mac|ibn|"
    r"bin|ben|abu|al|el)"
)
_PARTICLE_WORD = re.compile(_PARTICLES)
_PARTICLE_GAP = re.compile(rf"[ \t]+(?:{_PARTICLES}[ \t]+){{1,2}}")

_COMMA_GAP = re.compile(r"[ \t]*,[ \t]*")

_COMPASS = re.compile(
    r"(?i:west|east|north|south|ouest|est|nord|sud|nord-est|nord-ouest|sud-est|sud-ouest|"
    r"northeast|northwest|southeast|southwest)"
)
_WING_BEFORE = re.compile(
    r"(?:\b\d{1,2}(?:e|er|re|ème|th|st|nd|rd)?|\b(?i:unit[ée]?|aile|wing|[ée]tage|floor|pavillon|"
    r"tour|tower|bloc|block))[ \t-]+$"
)

_ROOM_NUMBER_BEFORE = re.compile(r"(?:^|[\s/;|—–-])\d{3,4}[A-Za-z]?[ \t]+$")

_BED_ENTRY_BEFORE = re.compile(r"(?:^|[\s/;|—–-])\d{1,4}[A-Za-z]?(?:[ \t]*[:—–-])?[ \t]+$")

_NEWBORN_NOUN_BEFORE = re.compile(
    r"\b(?i:b[ée]b[ée]|bb|baby|newborn|nouveau-n[ée]e?)[ \t]+"
    r"(?:(?i:fille|gar[çc]on|girl|boy|f|m|g)[ \t]+)?$"
)

_LOWER_INITIAL_AFTER = re.compile(r"[ \t]+[a-zà-öø-ÿ]\.(?![\w'’-])")

_NEXT_WORD = re.compile(r" ([a-zà-öø-ÿ]{4,})\b")

_MONTH_NAME_AFTER = re.compile(
    r"[ \t]+(Mai|May|June|April)\b(?![ \t]*,?[ \t]*(?:\d|(?i:prochain|dernier|next|last)\b))"
)

# Nouns and titles right before a patient's name, which may follow in lower case.
_PATIENT_CUE_WORDS = _word_set(
    """
    pt pte pts patient patiente patients patientes mme mlle monsieur madame mr mrs usager usagere
    resident residente client cliente bebe baby beneficiaire
    """
)


def _lower_unknown_names(text: str, words: list[_Word], marked: list[list]) -> None:
    """Lower-case words that no dictionary knows are names beside a name, or right after a
    patient's noun or title: "pt wiremu tawhiri", "jae-sung yoon", "monsieur fontaine-giroux".
    After a patient's noun, a given name that is also a word is a name when a surname or a word
    no dictionary knows follows it: "résidente aurore mcduff"."""
    for index in range(1, len(marked) - 1):
        word, following = words[index], words[index + 1]
        if (
            not marked[index][1]
            and not word.capital
            and word.flags & _GIVEN
            and not following.capital
            and following.flags & (_UNKNOWN | _SURNAME)
            and text[word.end : following.start] == " "
            and text[words[index - 1].end : word.start] == " "
            and _key(words[index - 1].raw) in _PATIENT_CUE_WORDS
        ):
            marked[index][1] = marked[index + 1][1] = True
    for index, pair in enumerate(marked):
        word = pair[0]
        previous = words[index - 1] if index else None
        if pair[1] or word.capital or not word.flags & _UNKNOWN:
            continue
        if (
            previous is not None
            and text[previous.end : word.start] == " "
            and (
                _key(previous.raw) in _PATIENT_CUE_WORDS
                or (marked[index - 1][1] and not previous.capital and previous.listed)
                or (marked[index - 1][1] and previous.flags & _UNKNOWN)
            )
        ):
            pair[1] = True
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            following is not None
            and text[word.end : following.start] == " "
            and not following.capital
            and following.flags & _LOWER_OK
            and marked[index + 1][1]
        ):
            pair[1] = True
            continue
        # A field in "last, first" layout: "admission: tshimanga, grâce / 3e".
        if _LOWER_FIELD_AFTER.match(text, word.end) and _LAYOUT_OPENING.search(
            text, max(0, word.start - 30), word.start
        ):
            pair[1] = True


_LOWER_WORD_BEFORE = re.compile(r"(?<![\w'’-])([a-zà-öø-ÿ][a-zà-öø-ÿ'’-]{2,})[ \t]$")
_LOWER_WORD_AFTER = re.compile(r"[ \t]([a-zà-öø-ÿ][a-zà-öø-ÿ'’-]{2,})(?![\w'’-])")


_TITLE_RIGHT_BEFORE = re.compile(
    r"\b(?i:monsieur|madame|mme|mlle|mr|mrs|ms)\.?[ \t]+$|\bM\.[ \t]+$"
)
_ABBREVIATED_TITLE = re.compile(r"(?:\bM\.|\b(?:Mme|Mlle|Mr|Mrs|Ms)\.?)[ \t]+$")
_NAME_WORD_AFTER = re.compile(r"[ \t-]+[A-ZÀ-Þ]")
_ROLE_WORD = _Lazy(rf"(?i:{_ROLE})")


# Letters that no French or English word holds: a word written with them is a name of
# Vietnamese origin ("VĂN", "Nguyễn"), as is a short surname with its accent before a name
# ("Lê Minh", "Võ Thị"), though folded it reads as a function word ("le", "vo").
_VIETNAMESE_LETTER = re.compile(
    "[ăắằẳẵặơớờởỡợưứừửữựđạảấầẩẫậẹẻẽếềểễệỉịĩọỏốồổỗộụủũỳỵỷỹ"
    "ĂẮẰẲẴẶƠỚỜỞỠỢƯỨỪỬỮỰĐẠẢẤẦẨẪẬẸẺẼẾỀỂỄỆỈỊĨỌỎỐỒỔỖỘỤỦŨỲỴỶỸ]"
)
_ACCENTED_SHORT_SURNAME = frozenset(
    ["Lê", "LÊ", "Lý", "LÝ", "Võ", "VÕ", "Vũ", "VŨ", "Hà", "HÀ", "Tạ", "TẠ", "Đỗ", "ĐỖ", "Hồ", "HỒ"]
)


def _vietnamese_names(text: str, words: list[_Word], marked: list[list]) -> None:
    """Mark a word in Vietnamese letters, or an accented short surname, and the capitalised
    word right after it, as name-like."""
    for index, word in enumerate(words):
        if not word.capital:
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        joined = (
            following is not None and following.capital and text[word.end : following.start] == " "
        )
        vietnamese = _VIETNAMESE_LETTER.search(word.raw)
        if vietnamese:
            # No dictionary of French or English knows it, whatever its folded form spells.
            word.flags = (word.flags | _UNKNOWN) & ~(_ORDINARY | _COMMON)
        if vietnamese or word.raw in _ACCENTED_SHORT_SURNAME and joined:
            marked[index][1] = True
            if joined and len(following.raw) > 1:
                marked[index + 1][1] = True


def _function_word(raw: str) -> bool:
    """Whether a word is a function word. The lists hold them folded, so an accent tells: a
    French function word may bear one ("Même", "Après"), but where no French one folds to the
    same letters, the accented word is a name: "Mme Pagé" is no "page"."""
    key = _key(raw)
    if key not in stopwords()["any"]:
        return False
    return raw.isascii() or key in stopwords()["fr"]


def _unlisted(raw: str) -> bool:
    """A lower-case word that no dictionary, list of names or list of cue words holds."""
    flags = _flags(_key(raw))
    return not flags & (_ORDINARY | _COMMON | _GIVEN | _SURNAME) and raw.replace("-", "").isalpha()


def _placed_lower_name(text: str, word: _Word) -> bool:
    """A lower-case listed word that its place makes a name, even when it is also a word or a
    name of another origin: a bed's entry of a board (its number, the surname, an initial:
    "502 - fontaine g."), a newborn's surname ("bébé nakamura", "bb fille blanchette")."""
    if len(word.raw) < 3 or word.upper:
        return False
    if _TITLE_RIGHT_BEFORE.search(text, max(0, word.start - 12), word.start):
        # Only a name follows a title: "M. Bonhomme" though "bonhomme" is a word, "(monsieur
        # poirier)" in lower case when the word is a listed surname.
        if word.capital:
            return bool(
                word.flags & _COMMON
                and _ABBREVIATED_TITLE.search(text, max(0, word.start - 8), word.start)
                and not _NAME_WORD_AFTER.match(text, word.end)
                and not _function_word(word.raw)
                and not _ROLE_WORD.fullmatch(word.raw)
            )
        return bool(word.flags & _SURNAME and not word.flags & _COMMON)
    if word.capital or word.flags & _COMMON:
        return False
    if (
        word.flags & (_SURNAME | _GIVEN | _UNKNOWN)
        and _LOWER_INITIAL_AFTER.match(text, word.end)
        and _BED_ENTRY_BEFORE.search(text, max(0, word.start - 10), word.start)
    ):
        return True
    if word.flags & _SURNAME and _NEWBORN_NOUN_BEFORE.search(
        text, max(0, word.start - 24), word.start
    ):
        return True
    # Between a patient's noun and a bed, a listed name that is also a word: "pt young in 14".
    return bool(
        word.flags & (_SURNAME | _GIVEN)
        and _PATIENT_NOUN_RIGHT_BEFORE.search(text, max(0, word.start - 12), word.start)
        and _BED_RIGHT_AFTER.match(text, word.end)
    )


_PATIENT_NOUN_RIGHT_BEFORE = re.compile(r"\b(?i:pts?|pte|patiente?|résidente?)[ \t]+$")
_BED_RIGHT_AFTER = re.compile(
    r"[ \t]+(?i:in|en|au|dans\s+la|ch\.?|chambre|lit|bed|room|rm)[ \t]*#?\d"
)


def _lower_pairs_before_an_event(text: str, words: list[_Word], marked: list[list]) -> list[list]:
    """Two lower-case words that no dictionary knows, or one of them beside a listed name, after
    a patient's noun or before something only a patient goes through: "le patient mathieusie
    ittukallak", "siosaia fifita a encore arraché son soluté". A name of any origin."""
    extra: list[list] = []
    for index, (word, candidate) in enumerate(marked):
        if (
            word.capital
            or not word.flags & (_UNKNOWN | _SURNAME)
            or word.flags & (_ORDINARY | _COMMON)
        ):
            continue
        before = _LOWER_WORD_BEFORE.search(text, max(0, word.start - 30), word.start)
        after = _LOWER_WORD_AFTER.match(text, word.end)
        pair = None
        if after and (_unlisted(after[1]) or _flags(_key(after[1])) & _SURNAME):
            pair = (word.start, word.end, after.start(1), after.end(1))
        elif before and (_unlisted(before[1]) or _flags(_key(before[1])) & _GIVEN):
            pair = (before.start(1), before.end(1), word.start, word.end)
        if pair is None:
            continue
        cue = _LOWER_WORD_BEFORE.search(text, max(0, pair[0] - 16), pair[0])
        cued = cue is not None and _key(cue[1]) in _PATIENT_CUE_WORDS
        if not cued and (candidate or not _PATIENT_AFTER.match(text[pair[3] : pair[3] + 90])):
            continue
        marked[index][1] = True
        other = (pair[0], pair[1]) if pair[2] == word.start else (pair[2], pair[3])
        known = [entry for entry in marked if entry[0].start == other[0]]
        if known:
            known[0][1] = True
        else:
            extra.append([_Word(other[0], other[1], text[other[0] : other[1]]), True])
    return extra


_LOWER_FIELD_AFTER = re.compile(r"[ \t]*,[ \t]*[a-zà-öø-ÿ][\w'’-]+[ \t]*(?:[/;|(\n—–]|$)")


def _is_candidate(word: _Word, shouting: bool) -> bool:
    if word.flags & _COMMON or len(word.raw) < 2:
        return False
    if word.upper and shouting:
        return word.listed
    if word.capital:
        return True
    return bool(word.flags & _LOWER_OK)


_SPACE_ONLY = re.compile(r"[ \t]+")

# Parts of Vietnamese and Chinese names that French or English also writes as function words:
# "LÊ VĂN AN", "NGUYEN THI HA", "DO VAN NAM".
_SHORT_NAME_PARTS = _word_set(
    "le van thi an do ho ma ha ly vo vu ta su lu du he ye wu hu li mai son nam ngoc duc"
)


def _board_word(word: _Word) -> bool:
    return word.upper and not word.flags & _COMMON and len(word.raw) > 1


def _name_particle_in_entry(text: str, words: list[_Word], marked: list[list], index: int) -> bool:
    """On a board in capitals, a short word that is also a function word belongs to the name
    when the name goes on after it or began before it: "603 LÊ VĂN AN"."""
    word = words[index]
    if not word.upper or _key(word.raw) not in _SHORT_NAME_PARTS:
        return False
    if (
        index
        and marked[index - 1][1]
        and _SPACE_ONLY.fullmatch(text, words[index - 1].end, word.start)
    ):
        return True
    following = words[index + 1] if index + 1 < len(words) else None
    return bool(
        following is not None
        and _SPACE_ONLY.fullmatch(text, word.end, following.start)
        and following.upper
        and (_board_word(following) or _key(following.raw) in _SHORT_NAME_PARTS)
    )


class _Run:
    """Adjacent name-like words: the unit that is kept or replaced as a whole."""

    __slots__ = ("words", "kind", "title", "family", "default", "default_staff")

    def __init__(self, words: list[_Word]):
        self.words, self.kind, self.title, self.family = words, None, False, False
        self.default = False  # a patient's only for want of any cue
        self.default_staff = False  # a colleague's only from the words around, with no cue

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[-1].end


def _given_names_of_things_before_surnames(
    text: str, words: list[_Word], marked: list[list]
) -> None:
    """A given name that is also a product's or a town's ("Ariane", "Levis") opens a full name
    right before a capitalised surname: "Ariane Lemieux" is one person, not a product and a
    surname."""
    things = _given_names_of_things()
    for index in range(len(marked) - 1):
        word, following = words[index], words[index + 1]
        if (
            not marked[index][1]
            and word.capital
            and not word.upper
            and _key(word.raw) in things
            and marked[index + 1][1]
            and following.capital
            and following.flags & _SURNAME
            and text[word.end : following.start] == " "
        ):
            marked[index][1] = True


@lru_cache(maxsize=1)
def _given_names_of_things() -> frozenset[str]:
    return word_list("not_names") & given_names()


def _runs(text: str, words: list[_Word], shouting: bool) -> list[_Run]:
    """The runs of name-like words; a name never spans punctuation or an ordinary word."""
    marked = [[word, _is_candidate(word, shouting)] for word in words]
    if shouting:
        # A census line in capitals: a surname no list holds before ", " and a listed given
        # name ("ABERNATHY-OKWU, CHIDINMA") is a name too.
        for index in range(len(marked) - 1):
            word, following = words[index], words[index + 1]
            if (
                not marked[index][1]
                and word.upper
                and not word.flags & (_ORDINARY | _COMMON)
                and len(word.raw) > 2
                and following.flags & _GIVEN
                and marked[index + 1][1]
                and _COMMA_GAP.fullmatch(text, word.end, following.start)
            ):
                marked[index][1] = True
        # A board in capitals: after a room number, the words up to the next separator are
        # one patient's name, whether a list knows them or not ("602 BALDE MARIAMA /").
        entry = False
        for index, (word, _candidate) in enumerate(marked):
            if _ROOM_NUMBER_BEFORE.search(text, max(0, word.start - 8), word.start):
                entry = True
            elif entry and not _SPACE_ONLY.fullmatch(text, words[index - 1].end, word.start):
                entry = False
            if entry and (_board_word(word) or _name_particle_in_entry(text, words, marked, index)):
                marked[index][1] = True
            elif entry:
                entry = False
    _lower_unknown_names(text, words, marked)
    _given_names_of_things_before_surnames(text, words, marked)
    for pair in marked:
        if not pair[1] and _placed_lower_name(text, pair[0]):
            pair[1] = True
    _vietnamese_names(text, words, marked)
    extra = _lower_pairs_before_an_event(text, words, marked)
    for index, (word, candidate) in enumerate(marked):
        if word.capital:
            continue
        # "pt tenzin dorje": a word no dictionary knows, read as a name after a patient's noun,
        # opens a name as a listed given name does.
        if not word.flags & _GIVEN and not (
            candidate
            and word.flags & _UNKNOWN
            and index > 0
            and _key(words[index - 1].raw) in _PATIENT_CUE_WORDS
        ):
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        if following is not None and text[word.end : following.start] == " ":
            if following.capital or following.flags & _COMMON:
                continue
            if not candidate and marked[index + 1][1] and following.flags & _SURNAME:
                # A given name that is also a word ("marc", "rose") is a name before a surname.
                marked[index][1] = True
            elif candidate and (
                following.flags & _SURNAME or "-" in following.raw and following.flags & _GIVEN
            ):
                # A surname that is also a word ("yvette côté"), or given names joined as a
                # surname ("rosemarie joseph-pierre").
                marked[index + 1][1] = True
                following.flags |= _SURNAME
            continue
        unknown = _NEXT_WORD.match(text, word.end)
        if candidate and unknown and not _flags(_key(unknown.group(1))) & (_ORDINARY | _COMMON):
            # After a given name in lower case, a word no dictionary knows: "priya raghunathan".
            surname = _Word(unknown.start(1), unknown.end(1), unknown.group(1), word.index)
            surname.flags |= _SURNAME
            extra.append([surname, True])
    extra.extend(_lower_particle_tails(text, marked))
    if extra:
        marked = sorted(marked + extra, key=lambda pair: pair[0].start)
    runs: list[_Run] = []
    current: list[_Word] = []
    for position, (word, candidate) in enumerate(marked):
        if not candidate:
            if (
                current
                and _PARTICLE_WORD.fullmatch(word.raw)
                and (
                    _surname_next(text, marked, position)
                    or _particle_name_next(text, current, marked, position)
                )
            ):
                continue  # "MARIO DI IORIO": a particle that shouting left out joins the name
            if current:
                runs.append(_Run(current))
                current = []
            continue
        if current:
            gap = text[current[-1].end : word.start]
            joined = gap in (" ", "  ", "\t") or (
                _PARTICLE_GAP.fullmatch(gap)
                # "Boucher de la Bruère, Hélène": a surname's last word before the given name.
                and (word.flags & _SURNAME or _ENTRY_FIRST_NAME.match(text, word.end))
                # Not a cue word that opens a sentence: "Transfert de Lapierre", "Dossier de Roy".
                and not (len(current) == 1 and current[0].flags & _CUE and not current[0].listed)
                or _particles_join(text, current, word, gap)
            )
            if not joined:
                runs.append(_Run(current))
                current = []
        current.append(word)
    if current:
        runs.append(_Run(current))
    for run in runs:
        if len(run.words) > 1:
            # A given name that is also a month closes a full name: "Trần Thị Mai", "Ella May".
            month = _MONTH_NAME_AFTER.match(text, run.end)
            if month:
                run.words.append(_Word(month.start(1), month.end(1), month.group(1)))
    # A compass point after a floor or a unit names a wing, not a person: "7 West bed 3",
    # "4e Ouest", "unité Nord", "3 East".
    runs = [
        run
        for run in runs
        if not (
            len(run.words) == 1
            and _COMPASS.fullmatch(run.words[0].raw)
            and _WING_BEFORE.search(text, max(0, run.start - 12), run.start)
        )
    ]
    # A capitalised word before a given name is not part of the name ("Hier Julie Tremblay"),
    # unless no dictionary knows it either ("Ngāti Hēmi"), or the run is the surname of a
    # "LAST, First" entry, whatever its words are besides ("Ould Ahmed, Sidi", "Mac Neil, Shauna").
    for run in runs:
        while (
            len(run.words) > 1
            and not run.words[0].listed
            and not run.words[0].upper
            and run.words[0].flags & (_ORDINARY | _COMMON)
            and run.words[1].flags & _GIVEN
            and run.words[0].raw not in _ACCENTED_SHORT_SURNAME
            # A capitalised particle after it makes it the given name: "Jan Van der Berg".
            and not (len(run.words) > 2 and _PARTICLE_WORD.fullmatch(run.words[1].raw))
            and not (
                _ENTRY_FIRST_NAME.match(text, run.end)
                and _LAYOUT_OPENING.search(text, max(0, run.start - 30), run.start)
            )
            # A given name that is also a word, inside a sentence: "for Hope Martin".
            and not (
                _key(run.words[0].raw) in word_list("ambiguous_lower")
                and not _opens_sentence(text, run.start)
            )
            # A full name set apart by commas or parentheses, its second word a surname:
            # "Baby of 2 months, Isla Warren,".
            and not (
                len(run.words) == 2
                and run.words[1].flags & _SURNAME
                and not run.words[0].flags & (_COMMON | _CUE | _PLACE)
                and _APPOSITION_OPENS.search(text, max(0, run.start - 3), run.start)
                and _APPOSITION_CLOSES.match(text, run.end)
            )
        ):
            run.words = run.words[1:]
    return runs


# A name set apart by commas or parentheses, as an apposition is.
_APPOSITION_OPENS = re.compile(r"[,(][ \t]*$")
_APPOSITION_CLOSES = re.compile(r"[ \t]*[,)]")


# Particles that are no French or English word in lower case: between two capitalised words,
# they can only bind a name ("Hans von Braun", "Luca di Marco", "Yusuf bin Omar").
_FOREIGN_PARTICLE_GAP = re.compile(
    r"[ \t]+(?:van|von|der|ter|ten|di|dos|das|del|della|ibn|bin|abu)"
    r"(?:[ \t]+(?:der|den|de|la|le|ter|ten))?[ \t]+"
)
_CAPITAL_PARTICLE_GAP = re.compile(
    r"[ \t]+(?:D[aeiou]s?|Del|Della|Van|Von|Der|Den|Ten|Ter|Le|La|Mc|Mac|Ibn|Bin|Ben|Abu|Al|El)"
    r"(?:[ \t]+[A-Za-z]{2,4})?[ \t]+"
)


def _particles_join(text: str, current: list[_Word], word: _Word, gap: str) -> bool:
    """Whether the particles between two name-like words bind them into one name, whatever
    lists know the surname: a particle written with a capital inside a sentence belongs to a
    name ("Pieter Van der Meer", "Julie Le Gall"), and so do lower-case particles between a
    given name and a capitalised word no dictionary holds as a word or a place ("Hans von
    Braun", "Luca di Marco"). "Roy de la 4", "Julie de la pharmacie" or "Julie de Laval" stay
    apart: what follows is no name."""
    if not word.capital or word.flags & (_PLACE | _CUE | _COMMON) or not current[-1].capital:
        return False
    if not _PARTICLE_GAP.fullmatch(gap):
        return False
    if _CAPITAL_PARTICLE_GAP.fullmatch(gap) or _FOREIGN_PARTICLE_GAP.fullmatch(gap):
        return True
    if _PARTICLE_WORD.fullmatch(current[-1].raw) and len(current) > 1:
        return True  # "Van" ran with the given name: "Van der"
    return bool(current[-1].flags & _GIVEN and not word.flags & _ORDINARY)


def _opens_sentence(text: str, start: int) -> bool:
    head = text[max(0, start - 6) : start].rstrip(" \t«\"'“(")
    return not head or head[-1] in '.!?:;\n»”"-–—'


_NAME_PARTICLE = (
    r"(?i:de|du|des|da|das|do|dos|di|del|della|van|von|der|den|ten|ter|le|la|st|ste|mc|mac|"
    r"ibn|bin|ben|abu|al|el)"
)

# Where a field or an item of a list opens, and the particles a surname may open on.
_LAYOUT_OPENING = re.compile(
    r"(?:^|[\n;/|•*:(\[«\"“'‘]|\b\d{1,4}[A-Za-z]?|[-–—])[ \t]*(?:[-–—•*][ \t]*)?[«\"“'‘]?[ \t]*"
    rf"(?P<particles>(?:{_NAME_PARTICLE}[ \t]+){{0,2}})$"
)

# The given name of a "LAST, First" entry, then the entry's end.
_ENTRY_FIRST_NAME = re.compile(
    r"[ \t]*,[ \t]*[A-ZÀ-Þ][\w'’-]+(?:[ \t]+[A-ZÀ-Þ][\w'’-]+)?[ \t]*(?:[/;|(\n—–]|-\s|\d|$)"
)

# Where it closes: punctuation, a symbol, a digit or the end; not another name after a comma.
_LAYOUT_CLOSING = re.compile(r"(?![ \t]*,[ \t]*[A-ZÀ-Þ])[ \t]*(?:[^\w\s'’-]|['’](?!\w)|\d|$)")


_LOWER_PARTICLE_TAIL = re.compile(
    r"[ \t]+((?:(?:van|von|der|den|ter|ten|di|da|dos|das|del|della|de|du|des|la|le|bin|ibn|"
    r"ben|abu)[ \t]+){1,2})([a-zà-öø-ÿ][a-zà-öø-ÿ'’-]{2,})(?![\w'’-])"
)
_FOREIGN_PARTICLE = re.compile(r"\b(?:van|von|der|ter|ten|di|dos|das|del|della|ibn|bin|abu)\b")


def _lower_particle_tails(text: str, marked: list[list]) -> list[list]:
    """The surname after the particles of a name written in lower case: "pt pieter van der
    meer", "mme lucia di stefano". A particle that is no French or English word must be among
    them, and the surname no word or place: "julie de la pharmacie" stays words."""
    tails: list[list] = []
    starts = None
    for word, candidate in marked:
        if not candidate or word.capital or word.upper:
            continue
        tail = _LOWER_PARTICLE_TAIL.match(text, word.end)
        if not tail or not _FOREIGN_PARTICLE.search(word.raw + " " + tail.group(1)):
            continue
        if _flags(_key(tail.group(2))) & (_ORDINARY | _COMMON | _PLACE | _CUE):
            continue
        starts = starts or {pair[0].start: pair for pair in marked}
        known = starts.get(tail.start(2))
        if known is not None:
            # A word already read (a word no dictionary knows): it is the surname.
            known[0].flags |= _SURNAME
            known[1] = True
            continue
        surname = _Word(tail.start(2), tail.end(2), tail.group(2), word.index)
        surname.flags |= _SURNAME
        tails.append([surname, True])
    return tails


def _particle_name_next(text: str, current: list[_Word], marked: list[list], position: int) -> bool:
    """Whether the particles listed as words from position on bind the run to the name after
    them: "Jean-Paul Le Gall"."""
    for following, candidate in marked[position + 1 : position + 3]:
        if candidate:
            gap = text[current[-1].end : following.start]
            return _particles_join(text, current, following, gap)
        if not _PARTICLE_WORD.fullmatch(following.raw):
            return False
    return False


def _surname_next(text: str, marked: list[list], position: int) -> bool:
    """Whether a surname follows the particles from position on: "MARIO DI IORIO", "BOUCHER DE
    LA BRUÈRE, Hélène" (the last word before an entry's given name)."""
    for following, candidate in marked[position + 1 : position + 3]:
        if candidate:
            return bool(following.flags & _SURNAME or _ENTRY_FIRST_NAME.match(text, following.end))
        if not _PARTICLE_WORD.fullmatch(following.raw):
            return False
    return False
