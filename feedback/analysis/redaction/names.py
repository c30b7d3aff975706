"""The names stage: find the runs of name-like words, decide each one, replace the patients'."""

import re
from functools import lru_cache

from feedback.analysis.redaction.after_names import _claims_after_patient, _replace_birth_year
from feedback.analysis.redaction.classify import _classify
from feedback.analysis.redaction.evidence import (
    _colleague_at_work,
    _colleague_matters,
    _colleague_speaks_for_office,
    _colleague_told,
    _documented_with,
)
from feedback.analysis.redaction.layouts import (
    _enumerated_patients,
    _last_first,
    _name_list,
    _patient_list,
    _room_board,
    _staff_list,
)
from feedback.analysis.redaction.lower_case import (
    _lower_case_extensions,
    _lower_case_names,
    _lower_name_tails,
)
from feedback.analysis.redaction.nicknames import _names_it_goes_by
from feedback.analysis.redaction.not_persons import (
    _business,
    _placeholder_record,
    _street_or_house,
)
from feedback.analysis.redaction.patient_context import (
    _PATIENT_AFTER,
)
from feedback.analysis.redaction.repeats import (
    _alias_before_name,
    _aliases,
    _coordinate,
    _full_names_again,
    _initials_again,
    _namesakes_given,
    _parenthesised,
    _place_aside,
    _propagate,
    _staff_families,
)
from feedback.analysis.redaction.runs import _Run, _runs
from feedback.analysis.redaction.staff_context import (
    _STAFF_BEFORE,
    _STAFF_ITEM_START,
    _roster,
    _staff_after,
)
from feedback.analysis.redaction.vocabulary import (
    _DEFAULT,
    _PATIENT_CLASS,
    _RELATIVE,
    _STAFF,
    PATIENT,
    PLACEHOLDER,
    _apply,
    _Lazy,
    word_list,
)
from feedback.analysis.redaction.whose_name import _KIN
from feedback.analysis.redaction.words import (
    _COMMON,
    _CUE,
    _GIVEN,
    _ORDINARY,
    _SURNAME,
    _UNKNOWN,
    _flags,
    _key,
    _Word,
    _words,
)
from feedback.analysis.resources import given_names, stopwords

# Short Vietnamese and Chinese surnames that are also function words ("do", "le", "ma"), read
# as names only right after a patient's title: "Mme Ly et M. Do", "Mr. Ho". Before another
# capitalised word, "Le" is a particle ("M. Le Blanc"), which the runs read.
_SHORT_SURNAMES = "Do|Ho|Le|Lê|Ly|Ma|Ha|Hà|Ta|Tạ|Su|Lu|Du|He|Ye|Wu|Hu|Li|Vo|Võ|Vu|Ng|Mai|Son|Nam"
_SHORT_SURNAME_HINT = re.compile(rf"\b(?:{_SHORT_SURNAMES})\b")
_TITLE_SHORT_SURNAME = re.compile(
    r"(?P<title>(?:\bM\.|\b(?:Mme|Mlle|Mr|Mrs|Ms|Monsieur|Madame|Miss)\b\.?)[ \t]+)"
    rf"(?P<name>{_SHORT_SURNAMES})\b(?![.'’-]\w)(?![ \t]+[A-ZÀ-Þ])"
)


def _redact_names(text: str, low: str = "") -> str:
    before = text
    words = _words(text)
    # Placeholders are in capitals but say nothing of how the writer wrote: "PT: MAHAMAT Idriss,
    # DDN [DATE DE NAISSANCE]" is no text in capitals.
    held = 0
    if "[" in text:
        held = sum(c.isalpha() for m in PLACEHOLDER.finditer(text) for c in m.group())
    upper = sum(len(w.raw) for w in words if w.upper) - held
    shouting = upper > 12 and upper > 0.7 * (sum(c.isalpha() for c in text) - held)
    # A business named after a person is no one's name: "la pharmacie (Jean Coutu)"; nor is a
    # street, a house, or the name an unidentified patient is registered under.
    runs = [
        run
        for run in _runs(text, words, shouting)
        if not _business(text, run)
        and not _street_or_house(text, run)
        and not _placeholder_record(text, run)
    ]
    if runs:
        _decide(text, words, runs)
        spans = [(run.start, run.end) for run in runs if run.kind == _PATIENT_CLASS]
        spans.extend(_lower_case_extensions(text, runs))
        spans.extend(_lower_name_tails(text, runs))
        spans.extend(_full_names_again(text, runs))
        spans.extend(_initials_again(text, runs))
        if "[" in text:
            # A placeholder's word is no name, whatever the name beside it: "(lives [ADRESSE])".
            held_spans = [m.span() for m in PLACEHOLDER.finditer(text)]
            spans = [
                (start, end)
                for start, end in spans
                if not any(a <= start < b or a < end <= b for a, b in held_spans)
            ]
        text = _apply(text, spans)
    text = _lower_case_names(text, low)
    if _SHORT_SURNAME_HINT.search(text):
        text = _TITLE_SHORT_SURNAME.sub(_replace_short_surname, text)
    if "," in text and _QUOTE_HINT.search(text):
        text = _QUOTED_PAIR.sub(_replace_quoted_pair, text)
        if PATIENT in text:
            # "« [PATIENT], Cuisine »": the other half of a quoted "LAST, First" is the same
            # patient's, whatever word it is.
            text = _QUOTED_HALF.sub(lambda m: m["lead"] + PATIENT + m["close"], text)
    if _TITLE_INITIAL_HINT.search(text):
        text = _TITLE_INITIAL.sub(_replace_title_initial, text)
    if _NAMED_PATIENT_HINT.search(text):
        text = _NAMED_PATIENT.sub(_replace_named_patient, text)
    if _INITIALS_HINT.search(text):
        text = _INITIALS_AFTER_PATIENT_NOUN.sub(lambda m: m["lead"] + PATIENT, text)
    if _names_a_thing_given(text):
        text = _NAMED_LIKE_A_THING.sub(_replace_named_like_a_thing, text)
    if "(" in text and _YEAR_HINT.search(text):
        text = _BIRTH_YEAR_AFTER_NOUN.sub(_replace_birth_year, text)
    if PATIENT in text:
        text = _claims_after_patient(text)
        if "(" in text:
            text = _OTHER_SCRIPT_AFTER_PATIENT.sub(lambda m: m["lead"] + PATIENT, text)
    return _names_it_goes_by(text, before)


# A patient's name given again in another script, in parentheses right after it: "Patient Li
# Wei (家伟)", "Mme Olena Koval (Олена Коваль)". Letters of no Latin alphabet, nothing else.
_NON_LATIN_WORD = r"(?:(?![A-Za-z\u00C0-\u024F\u1E00-\u1EFF])[^\W\d_])+"
_OTHER_SCRIPT_AFTER_PATIENT = re.compile(
    rf"(?P<lead>\[PATIENT\][ \t]*\([ \t]*){_NON_LATIN_WORD}(?:[ \t·・]+{_NON_LATIN_WORD})*"
    r"(?=[ \t]*\))"
)


# The cheap test before _NAMED_PATIENT: a naming verb, or an age set off by a comma.
_NAMED_PATIENT_HINT = re.compile(
    r"(?i:named|called|nomm[ée]|pr[ée]nomm[ée]|appel(?:le|[ée])|du\s+nom\s+de|name\s+of|"
    r"\d[ \t]*(?:ans|mois|semaines?|jours?|years?|months?|weeks?|days?)(?:[ \t]+old)?[ \t]*,)"
)


# What follows a patient's noun and a naming verb is that patient's name, whatever its words
# are: a month, a flower, a common word ("a patient named April May", "une patiente nommée
# Rose Lafleur", "un usager qui s'appelle Juin"). "called" is a verb of its own ("the patient
# called Info-Santé") unless an indefinite article introduces the patient.
_PATIENT_NOUN_NAMED = (
    r"(?:patiente?|pte?|usag[èe]re?|cliente?|client|b[ée]n[ée]ficiaire|patient|dame|monsieur|"
    r"madame|lady|gentleman)"
)
_NAMED_PATIENT = re.compile(
    r"(?P<lead>\b(?:"
    rf"(?i:{_PATIENT_NOUN_NAMED})[ \t]+(?:(?i:named|nomm[ée]e?|pr[ée]nomm[ée]e?|"
    r"du[ \t]+nom[ \t]+de|by[ \t]+the[ \t]+name[ \t]+of|"
    r"qui[ \t]+s['’]appel(?:le|ait)|who[ \t]+(?:is|was)[ \t]+called))"
    rf"|(?i:a|an|one|another)[ \t]+(?i:{_PATIENT_NOUN_NAMED})[ \t]+(?i:called)"
    r")[ \t]+"
    # A patient or a child said with an age, then the name in apposition, whatever its words:
    # "Baby of 3 weeks, Willow Harper,", "Enfant de 6 ans, Soleil Côté,".
    r"|(?P<aged>\b(?i:patiente?|pte?|usag[èe]re?|enfant|child|kid|gar[çc]on|boy|girl|fille|"
    r"b[ée]b[ée]|baby)[ \t]+(?i:de|of|aged)[ \t]+\d{1,3}[ \t]*(?i:ans|mois|semaines?|jours?|"
    r"years?|months?|weeks?|days?)(?:[ \t]+(?i:old))?[ \t]*,[ \t]*))"
    r"(?P<name>[A-ZÀ-Þ][\w'’-]*(?:[ \t]+[A-ZÀ-Þ][\w'’-]*){0,2})"
)
_APPOSITION_END = re.compile(r"[ \t]*[,)]")


def _replace_named_patient(match: re.Match) -> str:
    # In apposition, the name closes by a comma, holds no title nor role, and is not common
    # nouns alone: "Bébé de 2 mois, Dre Gagnon, pédiatre" names the physician, "…, Urgence,"
    # nobody; "Willow Harper" is a name for its surname.
    words = [_key(word) for word in match["name"].split()]
    if match["aged"] and (
        not _APPOSITION_END.match(match.string, match.end())
        or any(_flags(word) & _CUE or word in _TITLE_WORDS for word in words)
        or all(_flags(word) & _COMMON for word in words)
    ):
        return match.group()
    return match["lead"] + PATIENT


_TITLE_WORDS = frozenset(
    {"dr", "dre", "docteur", "docteure", "doctor", "prof", "mr", "mrs", "ms", "mme", "mlle", "m"}
)


# Initials right after a patient's noun are how a careful writer names that patient: "résidente
# D.L. (ch 26)", "pt K.L. refused"; they identify as a name does. "PT" in capitals is therapy,
# and an English "resident" a doctor.
# So is an initial then the surname: "client D. Friedman's safety plan", "l'usagère M. Roy"; a
# label's colon between them changes nothing ("Usager : S. Beauchemin").
_INITIALS_HINT = re.compile(r"[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.|[ \t]*[A-ZÀ-Þ]['’a-zà-ÿ])")
_INITIALS_AFTER_PATIENT_NOUN = re.compile(
    r"(?P<lead>(?<![\w-])(?:[Pp]te?|[Pp]ts|(?i:patiente?|usag[èe]re?|r[ée]sidente|résident|"
    r"cliente?|b[ée]n[ée]ficiaire))(?:[ \t]*:)?[ \t]+)"
    r"[A-ZÀ-Þ]\.(?:(?:-?[A-ZÀ-Þ]\.)+(?![\w])"
    r"|[ \t]*(?:[A-ZÀ-Þ]['’])?[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)*(?![\w-]))"
)


# An initial alone after a patient's title says little, but where a bed or an age places it,
# it is the patient's surname all the same: "Mme B. en 12 a chuté", "M. T. au lit 4".
_TITLE_INITIAL = re.compile(
    r"(?P<title>(?<![\w.])(?:Mme|Mlle|M\.|Madame|Monsieur|Mrs?\.?|Ms\.?)[ \t]+)"
    r"(?P<initial>[A-ZÀ-Þ]\.)(?![ \t]*(?:-?[A-ZÀ-Þ]\.|[A-ZÀ-Þ][a-zà-ÿ]))"
)
_TITLE_INITIAL_HINT = re.compile(r"(?:M|Mme|Mlle|Madame|Monsieur|Mrs?|Ms)\.?[ \t]+[A-ZÀ-Þ]\.")


# A patient's noun before the title says whose initial it is as well: "la cliente Mme K.",
# "the patient Mr. D. refused"; an English "resident" too, as no physician is a "Mrs.".
_PATIENT_NOUN_THEN_TITLE = re.compile(
    r"(?<![\w-])(?:[Pp]te?|[Pp]ts|(?i:patiente?|usag[èe]re?|r[ée]sidente?|cliente?|"
    r"b[ée]n[ée]ficiaire))[ \t]*[,:]?[ \t]+$"
)


def _replace_title_initial(match: re.Match) -> str:
    if _PATIENT_AFTER.match(
        match.string[match.end() : match.end() + 90]
    ) or _PATIENT_NOUN_THEN_TITLE.search(match.string, max(0, match.start() - 20), match.start()):
        return match["title"] + PATIENT
    return match.group()


# A given name that is also a product's or a town's ("Ariane", "Levis") is never a name alone,
# but is one where only a person fits: between a patient's title (or a child's "la petite")
# and the surname redacted after it ("Mme Ariane [PATIENT]"), or right after a relative's noun
# ("la petite-fille Ariane (…)").
_NAMED_LIKE_A_THING = re.compile(
    r"(?P<lead>(?:(?<![\w.])(?:Mme|Mlle|M\.|Madame|Monsieur|Mrs?\.?|Ms\.?)"
    # A child's name too: "la petite Ariane [PATIENT]".
    r"|\b(?i:la|le|notre|ma|mon|the|our|my)[ \t]+(?i:petite?|p['’]tite?|ptite?|little))[ \t]+)"
    r"(?P<word>[A-ZÀ-Þ][a-zà-ÿ'’-]+)(?=[ \t]+\[PATIENT\])"
    rf"|(?P<kin>\b(?i:{_KIN})[ \t]+)(?P<named>[A-ZÀ-Þ][a-zà-ÿ'’-]+)"
    r"(?=[ \t]*(?:[(,]|\[PATIENT\])|[ \t]+(?:a|est|was|has|is|called|appelle)\b)"
)


@lru_cache(maxsize=1)
def _given_names_of_things() -> frozenset[str]:
    return word_list("not_names") & given_names()


def _names_a_thing_given(text: str) -> bool:
    """Whether a word of the text is both a thing's name and a given name (cheap test first)."""
    return any(_key(w) in _given_names_of_things() for w in _CAPITALISED.findall(text))


_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ'’-]+")


def _replace_named_like_a_thing(match: re.Match) -> str:
    lead, word = (match["lead"], match["word"]) if match["lead"] else (match["kin"], match["named"])
    if _key(word) in _given_names_of_things():
        return lead + PATIENT
    return match.group()


_QUOTE_HINT = re.compile(r"[«\"“'‘]")


# Two words alone in quotes, a comma between them, as a wristband or a census shows a name.
_QUOTED_PAIR = re.compile(
    r"(?P<open>[«\"“'‘][ \t]*)(?P<last>[^\W\d_][\w'’-]+)[ \t]*,[ \t]*"
    r"(?P<first>[^\W\d_][\w'’-]+(?:[ -][^\W\d_][\w'’-]+)?)(?P<close>[ \t]*[»\"”'’])"
)


_QUOTED_HALF = re.compile(
    r"(?P<lead>[«\"“][ \t]*\[PATIENT\][ \t]*,[ \t]*)[A-ZÀ-Þ][\w'’-]+(?P<close>[ \t]*[»\"”])"
)


def _replace_quoted_pair(match: re.Match) -> str:
    """ "LAST, First" alone in quotes is one patient's name when the first name is a listed
    given name, whatever the surname is besides (a town: « ottawa, lucie »), unless a
    colleague's role follows or the quotes hold a list of staff."""
    last, first = _key(match["last"]), _key(match["first"].split()[0])
    # A word said to someone is no surname ("« Désolée, Marie »"): the surname has a name's
    # marks (a list holds it, no dictionary does, it is in capitals), or the whole field is
    # typed in lower case, as a label is and speech is not.
    marked = (
        _flags(last) & (_SURNAME | _UNKNOWN)
        or match["last"].isupper()
        or match["last"].islower()
        and match["first"].islower()
    )
    if (
        not marked
        or not _flags(first) & _GIVEN
        or _flags(first) & _COMMON
        or last in stopwords()["any"]
        or last in word_list("not_names")
        or _flags(last) & _CUE
        or _staff_after(match.string[match.end() : match.end() + 90])
        or _staff_list(match.string, match.start())
    ):
        return match.group()
    return match["open"] + PATIENT + match["close"]


_YEAR_HINT = re.compile(r"\((?:19|200)\d")


# A year in parentheses right after a patient's noun, as after their name: "la patiente
# (1947) est affichée comme mineure".
_BIRTH_YEAR_AFTER_NOUN = re.compile(
    r"(?P<lead>\b(?i:patiente?|pte?|usag[èe]re?|r[ée]sidente?|resident|cliente?|client|"
    r"b[ée]n[ée]ficiaire|monsieur|madame|dame|gentleman|lady)[ \t]*\([ \t]*)"
    r"(?P<year>19\d\d|200\d)(?=[ \t]*\))"
)


_RELATIVE_OF_BEFORE = re.compile(
    rf"\b(?i:{_RELATIVE})\s+(?i:de|du|d['’]|of)\s*(?:(?i:la|le|l['’]|the)\s*)?"
    r"(?:(?i:m|mme|mr|mrs|ms|mlle|madame|monsieur|patiente?|pte?)\.?\s+)?$"
)


def _decide(text: str, words: list[_Word], runs: list[_Run]) -> None:
    """Set each run's kind: patient, staff or None, from its own cues, its list, its neighbours."""
    for run in runs:
        run.kind = _classify(text, words, run)
    _name_list(text, runs)
    _last_first(text, runs)
    _room_board(text, runs)
    _coordinate(text, runs)
    _parenthesised(text, runs)
    _namesakes_given(text, runs)
    _enumerated_patients(text, runs)
    listed = False
    previous = None
    for run in runs:
        if run.kind == _DEFAULT:
            listed = _STAFF_ITEM_START.search(text, max(0, run.start - 12), run.start)
            staff = not _documented_with(text, run.start) and (
                # Two names with no cue joined by "et" share the role the words gave the first:
                # "montré à Lise Roy et Marc Caron".
                previous is not None
                and previous.kind == _STAFF
                and previous.default_staff
                and _JOINED.fullmatch(text, previous.end, run.start)
                or listed
                and _staff_list(text, run.start)
                or _roster(text, run.start)
                or _colleague_at_work(text, run.start, run.end)
                or _colleague_matters(text, run.start, run.end)
                or _colleague_told(text, run.start, run.end)
                or _colleague_speaks_for_office(text, run.start, run.end)
            )
            run.kind = _STAFF if staff else _PATIENT_CLASS
            run.default = run.kind == _PATIENT_CLASS
            run.default_staff = bool(staff)
        elif run.kind is None and _patient_list(text, run):
            run.kind = _PATIENT_CLASS
            listed = True
        previous = run
    _alias_before_name(text, runs)
    # A given name in apposition to a patient ("la fille de M. X, Annie,") is the relative's.
    # An item of a patients' list shares its kind with the names joined to it ("jumeaux
    # Lévesque : Noah et Liam").
    appositions = listed
    for index, run in enumerate(runs[1:], 1):
        previous = runs[index - 1]
        first = run.words[0]
        named = first.flags & _GIVEN or (
            # After "la fille de M. X,", any name-shaped word is the daughter's name.
            len(run.words) == 1
            and first.capital
            and not first.upper
            and not first.flags & (_ORDINARY | _COMMON)
            and _RELATIVE_OF_BEFORE.search(text, max(0, previous.start - 40), previous.start)
        )
        if run.kind is None and previous.kind == _PATIENT_CLASS and named:
            gap = text[previous.end : run.start]
            if (
                re.fullmatch(r"\s*[,(]\s*", gap)
                and not _staff_after(text[run.end : run.end + 60])
                and not _place_aside(text, run)
            ):
                run.kind = _PATIENT_CLASS
                appositions = True
        # A nickname in quotes, then the surname: "Pt 'Sonny' Beaulieu", "Jean-Paul « Ti-Paul »
        # Roy". The name on either side of the quotes is the same patient's.
        if (
            run.kind is None
            and previous.kind == _PATIENT_CLASS
            and first.capital
            and (first.listed or not first.flags & (_ORDINARY | _COMMON))
            and _QUOTED_GAP.fullmatch(text, previous.end, run.start)
        ):
            run.kind = _PATIENT_CLASS
    for index in range(len(runs) - 1, 0, -1):
        run, previous = runs[index], runs[index - 1]
        first = previous.words[0]
        if (
            previous.kind is None
            and run.kind == _PATIENT_CLASS
            and first.capital
            and (first.listed or not first.flags & (_ORDINARY | _COMMON))
            and _QUOTED_GAP.fullmatch(text, previous.end, run.start)
        ):
            previous.kind = _PATIENT_CLASS
    for index, run in enumerate(runs):
        # A nickname in quotes beside a colleague's name is theirs: « Merci à Marie "Mimi"
        # Tremblay, notre agente ».
        neighbours = runs[max(0, index - 1) : index] + runs[index + 1 : index + 2]
        if run.kind == _PATIENT_CLASS and any(
            other.kind == _STAFF
            and _QUOTED_GAP.fullmatch(
                text, min(run.end, other.end), max(run.start, other.start)
            )
            for other in neighbours
        ):
            run.kind = _STAFF
    for run in runs:
        # "Mme T. (Ginette)", "Mr. B (Frank)": the given name of a patient named by an initial.
        first = run.words[0]
        if (
            run.kind is None
            and first.capital
            and not first.upper
            and (first.listed or not first.flags & (_ORDINARY | _COMMON))
            and (
                _INITIAL_THEN_PARENTHESIS.search(text, max(0, run.start - 24), run.start)
                or _BED_PERSON_THEN_PARENTHESIS.search(text, max(0, run.start - 50), run.start)
            )
            and _PARENTHESIS_CLOSE.match(text, run.end)
        ):
            run.kind = _PATIENT_CLASS
    _initial_spelt_out(text, runs)
    if appositions:
        _coordinate(text, runs)  # "jumelles lapointe (emma et chloé)"
    _parenthesised(text, runs)
    _aliases(text, runs)
    _relative_named_next(text, runs)
    _titled_kin(text, runs)
    _propagate(text, runs)
    _ordered_with(text, runs)
    _contrasted_owners(text, runs)
    _couple_given_names(text, runs)
    _staff_families(text, runs)


_JOINED = re.compile(r"[ \t]+(?i:et|and|&)[ \t]+")


_INITIAL_THEN_PARENTHESIS = re.compile(
    r"(?<![\w.])(?:Mme|Mlle|Mrs?|Ms|Madame|Monsieur|Mister|Miss|M)\.?[ \t]+[A-ZÀ-Þ]\.?"
    r"[ \t]*\([ \t]*$"
)


# A person named by their bed, then a name alone in parentheses: that person's name. "le mr en
# 3 (Gingras)", "the lady in bed 12 (Morrison)", "la patiente du lit 4 (Ginette)".
_BED_OF_PERSON = (
    r"[ \t]*(?i:en|au|à\s+la|du|de\s+la|dans\s+la|in|at|of|from)?[ \t]*"
    r"(?:(?i:ch|chambre|lit|bed|room|rm|bay|civi[èe]re|civ|cubicle)\.?[ \t]*)?#?\d{1,4}[A-Za-z]?"
)
_BED_PERSON_THEN_PARENTHESIS = re.compile(
    r"\b(?i:m|mr|mme|mrs|ms|monsieur|madame|dame|patiente?|pte?|r[ée]sidente?|usag[èe]re?|"
    r"cliente?|client|lady|gentleman|guy|man|woman|gars|bonhomme|"
    # A child or a teenager, told by an age, a bed or both: "la fille de 15 ans en 4 (Mégane)",
    # "the boy in bed 2 (Liam)", "le petit de 3 ans (Léo)".
    r"fille|fillette|gar[çc]on|enfant|b[ée]b[ée]|bb|ado|adolescente?|jeune|petite?|p['’]tite?|"
    r"girl|boy|kid|child|baby|toddler|teen|teenager)\.?"
    r"(?:[ \t]+(?i:de|of|d['’]|aged)[ \t]*\d{1,3}[ \t]*(?i:ans|an|mois|sem|semaines?|"
    r"jours?|years?|months?|wks?|weeks?|days?)\b"
    rf"(?:{_BED_OF_PERSON})?|{_BED_OF_PERSON})"
    r"[ \t]*\([ \t]*$"
)


_PARENTHESIS_CLOSE = re.compile(r"[ \t]*\)")


# A surname, an initial, then the given name it stands for in parentheses: "ROY M. (Marcel)".
_INITIAL_THEN_OPENING = re.compile(r"[ \t]+(?P<initial>[^\W\d_])\.[ \t]*\([ \t]*")


def _initial_spelt_out(text: str, runs: list[_Run]) -> None:
    """A name, an initial, then in parentheses a given name that opens on that initial: the
    parentheses spell the initial out, so both names are one person's and share one decision
    ("pt roy m. (marcel) a chuté", "Merci à Caron J. (Julie), notre ASI")."""
    for previous, run in zip(runs, runs[1:], strict=False):
        gap = _INITIAL_THEN_OPENING.fullmatch(text, previous.end, run.start)
        if (
            not gap
            or not _PARENTHESIS_CLOSE.match(text, run.end)
            or _key(gap["initial"]) != _key(run.words[0].raw)[:1]
            or not run.words[0].flags & _GIVEN
        ):
            continue
        kinds = {previous.kind, run.kind} - {None}
        if len(kinds) == 1:
            previous.kind = run.kind = kinds.pop()


def _titled_kin(text: str, runs: list[_Run]) -> None:
    """A colleague's title on a relative who bears the patient's surname: "w/ daughter (Dr.
    Janet Cole, ICU attending elsewhere) re: Mr. Cole's DNR". The family name says whose."""
    surnames = {
        _key(run.words[-1].raw) for run in runs if run.kind == _PATIENT_CLASS and run.words
    }
    if not surnames:
        return
    for run in runs:
        if (
            run.kind == _STAFF
            and len(run.words) > 1
            and _key(run.words[-1].raw) in surnames
            and _KIN_THEN_TITLE.search(text, max(0, run.start - 40), run.start)
        ):
            run.kind = _PATIENT_CLASS


def _ordered_with(text: str, runs: list[_Run]) -> None:
    """A surname set before or after a patient's in an order is another patient of the same
    list: "Aubin passe avant Zaccardi", "Roy comes after Okafor"."""
    for index in range(1, len(runs)):
        previous, run = runs[index - 1], runs[index]
        kinds = {previous.kind, run.kind}
        if kinds != {None, _PATIENT_CLASS}:
            continue
        if run.start - previous.end > 60 or not _ORDER_GAP.fullmatch(
            text, previous.end, run.start
        ):
            continue
        other = previous if previous.kind is None else run
        first = other.words[0]
        if len(other.words) == 1 and first.capital and not first.upper and (
            first.flags & (_SURNAME | _UNKNOWN) and not first.flags & _GIVEN
        ):
            other.kind = _PATIENT_CLASS


def _contrasted_owners(text: str, runs: list[_Run]) -> None:
    """Two owners of one thing set against each other, a wristband, a chart, a label: "it was
    Ahmed's, not Mr. Benali's", "c'était celui de Gagnon, pas celui de Mme Roy". What one patient
    owns, the other owns in their place: both are patients."""
    for index in range(1, len(runs)):
        previous, run = runs[index - 1], runs[index]
        if {previous.kind, run.kind} != {None, _PATIENT_CLASS}:
            continue
        if not _OWNERS_CONTRASTED.fullmatch(text, previous.end, run.start):
            continue
        other = previous if previous.kind is None else run
        first = other.words[0]
        if first.capital and not first.upper and (
            first.listed or not first.flags & (_ORDINARY | _COMMON)
        ):
            other.kind = _PATIENT_CLASS


# A couple named by their titles and shared surname: "M. et Mme Szabo", "Mr. & Mrs. Kowalski",
# "les époux Roy", "the Tran couple" is written "le couple Tran" in French.
_COUPLE_BEFORE = re.compile(
    r"(?:\b(?i:m|mr|monsieur)\.?[ \t]+(?i:et|and|&)[ \t]+(?i:mme|mrs|madame)\.?"
    r"|\b(?i:mme|mrs|madame)\.?[ \t]+(?i:et|and|&)[ \t]+(?i:m|mr|monsieur)\.?"
    r"|\b(?i:les[ \t]+[ée]poux|le[ \t]+couple|the[ \t]+couple))[ \t]+$"
)
# Two given names set against or beside each other: "sauf István / Ilona", "only Jan vs Anna".
_PAIR_GAP = re.compile(r"[ \t]*(?:/|\||&|(?i:vs\.?|versus|et|and|ou|or))[ \t]*")


def _couple_given_names(text: str, runs: list[_Run]) -> None:
    """Where a couple of patients is named by titles and one surname ("M. et Mme Szabo"), two
    given names paired with nothing else around them ("identiques sauf István / Ilona") are the
    couple's own: what tells one spouse from the other."""
    if not any(
        run.kind == _PATIENT_CLASS
        and _COUPLE_BEFORE.search(text, max(0, run.start - 24), run.start)
        for run in runs
    ):
        return
    for index in range(1, len(runs)):
        previous, run = runs[index - 1], runs[index]
        if previous.kind is not None or run.kind is not None:
            continue
        if len(previous.words) != 1 or len(run.words) != 1:
            continue
        if not _PAIR_GAP.fullmatch(text, previous.end, run.start):
            continue
        pair = (previous.words[0], run.words[0])
        if all(
            w.capital
            and not w.upper
            and not w.flags & _COMMON
            and (w.flags & _GIVEN or not w.flags & _ORDINARY)
            for w in pair
        ):
            previous.kind = run.kind = _PATIENT_CLASS


_CONTRASTED_TITLE = r"(?:(?i:mme|mlle|mrs?|ms|madame|monsieur|miss)\.?|M\.)[ \t]+"
_OWNERS_CONTRASTED = re.compile(
    rf"['’]s[ \t]*,?[ \t]*(?i:not|and[ \t]+not|but[ \t]+not|instead[ \t]+of|rather[ \t]+than)"
    rf"[ \t]+(?:{_CONTRASTED_TITLE})?"
    r"|[ \t]*,?[ \t]*(?i:pas|et[ \t]+non|non|au[ \t]+lieu[ \t]+de|plut[ôo]t[ \t]+que)[ \t]+"
    r"(?i:celui|celle|ceux|celles)[ \t]+(?i:de|du|d['’])[ \t]*"
    rf"(?:{_CONTRASTED_TITLE})?"
)


_ORDER_GAP = re.compile(
    # The order may be said of the first name's clause: "passe avant", "is at 9:15 but shows
    # after"; not past the clause's end.
    r"[ \t]+(?:[^.;!?\n\[\]]*[ \t])?"
    r"(?i:avant|apr[èe]s|before|after|ahead\s+of|behind)[ \t]+"
)


def _relative_named_next(text: str, runs: list[_Run]) -> None:
    """A given name alone opening the clause right after one that brings in someone's relative,
    no other name between, and saying what that relative feels or wants, is the relative's:
    "sa fille a rappelé à 4h, Nancy est à bout", "his wife called again, Brenda wants answers"."""
    for index, run in enumerate(runs):
        first = run.words[0]
        if run.kind is not None or len(run.words) > 1 or not first.flags & _GIVEN:
            continue
        if not first.capital or first.upper or not _RELATIVE_FEELS_AFTER.match(text, run.end):
            continue
        relative = _RELATIVE_CLAUSE_BEFORE.search(text, max(0, run.start - 90), run.start)
        if relative is None:
            continue
        if index and runs[index - 1].end > relative.start():
            continue  # another name stands between: the relative's or someone else's
        run.kind = _PATIENT_CLASS


_RELATIVE_CLAUSE_BEFORE = _Lazy(
    rf"(?:\b(?i:sa|son|ses|his|her|their|leurs?)|['’]s)\s+(?i:{_RELATIVE})\b[^.!?\n;:]{{0,70}},"
    r"[ \t]*$"
)


# What a relative feels or wants, said of them: not what a colleague does at work.
_RELATIVE_FEELS_AFTER = re.compile(
    r"[ \t]+(?:(?i:est|était|is|was|seems|semble|a\s+l['’]air)[ \t]+(?:(?i:tellement|très|so|very|"
    r"really|vraiment|compl[èe]tement|totally)[ \t]+)?(?i:[àa][ \t]+bout|inqui[èe]te?|"
    r"f[âa]ch[ée]e?|d[ée]courag[ée]e?|[ée]puis[ée]e?|en\s+col[èe]re|d[ée]sempar[ée]e?|"
    r"worried|upset|exhausted|angry|overwhelmed|anxious|frustrated|distraught|furious)"
    r"|(?i:veut|voudrait|wants|would\s+like|insiste|insists|exige|demands)\b)"
)


_KIN_THEN_TITLE = re.compile(
    rf"\b(?i:{_KIN})[ \t]*[,:(—–][ \t]*(?:(?i:le|la|the)[ \t]+)?"
    r"(?i:dr|dre|docteure?|doctor|pr|prof|me|mme|mrs?|ms|m)\.?[ \t]+$"
)


_QUOTED_GAP = re.compile(r"[ \t]*[«\"“”»'‘’][ \t]*")


def _replace_short_surname(match: re.Match) -> str:
    before = match.string[max(0, match.start() - 70) : match.start()]
    after = match.string[match.end() : match.end() + 90]
    if _STAFF_BEFORE.search(before) or _staff_after(after):
        return match.group()
    return match["title"] + PATIENT
