"""What a word is to the names stage: a given name, a surname, an ordinary word, a cue word, a
word no dictionary knows; read from the name lists of ``feedback.analysis.resources``.
"""

import re
from functools import lru_cache

from feedback.analysis.redaction.vocabulary import _EMAIL, _FAMILY, _ROLE, word_list
from feedback.analysis.resources import (
    DATA_DIR,
    common_words,
    elder_given_names,
    given_name_variants,
    given_names,
    place_names,
    stopwords,
    surnames,
    town_names,
)
from feedback.analysis.text import fold

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

_ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"})

# Words that may open one of the contexts read before a name (titles, roles, thanks, relations,
# places...): a name with none of them shortly before skips those patterns.
_CONTEXT_WORD = re.compile(
    rf"(?i:{_ROLE}|{_FAMILY}|charge|dr|dre|drs|dres|docteure?|doctor|doc|prof|professeure?|pr|pre|"
    r"m|mr|sra|srta|senora|senor|signora|signor|sig|dona|senhora|senhor|"
    r"mrs|"
    r"ms|mme|mmes|mlle|madame|monsieur|mister|mesdames|messieurs|miss|merci|remerciements?|thanks|"
    r"remercie|remercions|remercier|"
    r"thank|thx|ty|bravo|chapeau|kudos|props|cheers|felicitations|shout|shout-?outs?|gracias|"
    r"hommage|gratitude|"
    r"su|sus|pharm|ts|sages?|social|"
    r"salut|bonjour|hi|hello|allo|hey|cher|chere|dear|aupres|aide|grace|selon|according|signee?|"
    r"signed|part|behalf|voir|check|verifier|demandez|demander|demandee?|ask|asked|"
    r"contact(?:ez|er)?|appelez|joignez|joindre|rejoindre|telephonez|escalat\w*|reach|rsvp|"
    r"ecrivez|adressez-vous|office|desk|informatics|informatique|integration|biomed\w*|"
    r"finances?|privacy|payroll|paie|soutien|support|management|procurement|approvisionnement|"
    r"remplacee?s?|remplacer|covering|covered|replaced|replacing|relieved|"
    r"ecrire|write|"
    r"cc|collaboration|help|helped|aidee?s?|formee?s?|trained|taught|ping|coached|referer|refer|"
    r"vu|seen|moi|me|myself|equipe|team|fam|reunion|rencontre|meeting|call|appel|discussion|discute|parle|spoke|"
    r"fixed|solved|resolved|sorted|troubleshot|debugged|regle|corrige|resolu|debogue|"
    r"talked|travaill\w*|worked|working|jumelee?s?|paired|shadow\w*|patiente?s?|pts?|pte|"
    r"usag(?:ere?)?s?|beneficiaires?|residente?s?|"
    r"clientes?|clients?|hebergee?s?|homme|femme|man|woman|lady|gentleman|gars|chez|visite|visit|"
    r"bonhomme|dame|vieux|vieille|guy|fellow|denommee?|surnommee?|jeune|young|"
    r"lit|bed|chambre|ch|room|rm|civiere|stretcher|cubicule|box|civ|resultats?|dossier|lunettes|"
    r"protheses?|dentiers?|plateau|bracelet|etiquettes?|signes|sang|prelevements?|medicaments|"
    r"medication|allergies?|conge|transfert|admission|sortie|deces|diagnostic|proches?|effets|"
    r"labs?|results|"
    r"chart|meds|medications?|vitals|wristband|armband|labels?|discharge|allergy|sheet|list|plan|"
    r"visitors?|visiteurs?|belongings|identite|insuline|insulin|pansement|dressing|tube|prise|"
    r"face|med|care|"
    r"echantillon|sample|specimen|transport|solute|iv|sonde|catheter|portion|repas|diner|souper|"
    r"dejeuner|lunch|dinner|breakfast|tray|for|pour|autre|deux|trois|quatre|cinq|two|three|four|"
    r"suivi|gaz|glycemies?|bilans?|plaies?|doses?|poids|weight|x-?rays?|radiographies?|scans?|"
    r"chirurgie|surgery|chutes?|falls?|ordonnances?|prescriptions?|rdv|appointments?|"
    r"pilules?|pills?|comprimes?|pilulier|sirop|gouttes|perfusion|antibiotiques?|antibiotics|"
    r"couches?|marchette|walker|fauteuil|wheelchair|cloche|"
    r"hemocultures?|cultures?|frottis|biopsies?|swabs?|bloodwork|notes?|documentation|charting|"
    r"evaluations?|assessments?|consults?|consultations?|anamneses?|"
    r"hopital|hospital|pavillon|pavilion|centre|center|clsc|chsld|clinique|clinic|institut|"
    r"institute|gmf|rue|boul|boulevard|avenue|av|chemin|street|saint|sainte|st|ste|pharmacie|"
    r"pharmacy|ecole|college|cegep|universite|university|fondation|foundation|residence|manoir|"
    r"villa|foyer|maison|carrefour|complexe|unite|aile|wing|salle|pont|parc|place|station|metro|"
    r"prix|award|bourse|"
    r"auditorium|amphitheatre|local|edifice|building|tour|tower|chu|cusm|chum|ciusss|cisss|"
    r"promenade|autoroute|route|rang|mont|lac|ville|city|"
    # A partner's noun that is also a word: the relative patterns read it after "sa".
    r"blonde)"
)

_CUE_WORD = re.compile(
    rf"(?i:{_ROLE}|{_FAMILY}|dr|dre|drs|docteure?|doctor|prof|pt|pte|patiente?s?|usag[èe]re?s?|"
    r"r[ée]sidente?s?|b[ée]n[ée]ficiaires?|clientes?|clients?|mme|mmes|mlle|madame|monsieur|mr|mrs|"
    r"ms|miss|mister|sra|srta|se[ñn]ora|se[ñn]or|signora|signor|sig|do[ñn]a|senhora|senhor|merci|"
    r"thanks|bravo|kudos|lit|bed|chambre|room|salle|unit[ée]|pavillon|"
    r"h[ôo]pital|hospital|clinique|centre|rue|boulevard|avenue|chemin|pauvre|poor|ch|"
    # Places named after people open on these: "l'Auditorium Marcel-Dutil", "École Roy".
    r"auditorium|amphith[ée][âa]tre|[ée]difice|building|institut|institute|[ée]cole|coll[èe]ge|"
    r"c[ée]gep|universit[ée]|university|fondation|foundation|manoir|pavilion|clinic|station|"
    r"m[ée]tro|promenade|autoroute|street|aile|wing|tower|maison|carrefour|complexe)"
)

_GIVEN, _SURNAME, _COMMON, _LOWER_OK, _ORDINARY, _CUE, _ELDER, _UNKNOWN, _PLACE = (
    1,
    2,
    4,
    8,
    16,
    32,
    64,
    128,
    256,
)

# Endings of words that no dictionary lists but that are no names: clinical adjectives and
# participles ("dysphagique", "réadmis", "polytraumatisé"), adverbs, English -ed and -ing forms.
_NOT_A_NAME_ENDING = re.compile(
    r".*(?:ique|iques|[ée]|[ée]e|[ée]s|[ée]es|is|ise|if|ive|ifs|ives|aux|eux|euse|ment|tion|"
    r"sion|ing|ed|al|ale|ite|ites|ose|oses|ie|ies|ome|omes|ine|ines|ol|yl|ate|ant|ent|er)$"
)


_MC_NAME = re.compile(r"mc[a-z]{3,}$")

# French verbs conjugated in the imperfect, the conditional or the future ("désaturait",
# "toussaient", "attendront", "réglerait"): no name is shaped so. Surnames end in "-ais",
# "-ault", "-eau", never in these, and a short word ("Tait") is left to the lists.
_CONJUGATED = re.compile(r"[a-z]{3,}(?:ait|aient|ions|iez|ront|rait|raient|rions|riez)$")

# A French past participle and the infinitive it comes from: "redescendu" of "redescendre",
# "finie" of "finir", "rebranchés" of "rebrancher". A lone "-é" is left out: too many surnames
# end so ("Brûlé", "Paré") for a verb's stem to say they are no names.
_PARTICIPLE = re.compile(r"(?P<stem>[a-z]{3,})(?:(?P<u>ue?s?)|(?P<i>ie?s?)|(?P<e>e(?:es?|s)))$")

# An English contraction ("I've", "we'll", "didn't").
_CONTRACTION = re.compile(r"[a-z]+['’](?:m|re|ve|ll|d|s|t)$")


def _derived_word(key: str) -> bool:
    """A word no dictionary lists that is built of ordinary words: a plural ("driveways"), a
    compound ("mid-shift"), a contraction, a conjugated French verb."""
    if _CONJUGATED.fullmatch(key) or _CONTRACTION.fullmatch(key):
        return True
    participle = _PARTICIPLE.fullmatch(key)
    if participle:
        ending = "re" if participle["u"] else "ir" if participle["i"] else "er"
        if participle["stem"] + ending in common_words():
            return True
    if "-" in key:
        parts = key.split("-")
        return all(part and _flags(part) & (_ORDINARY | _COMMON) for part in parts)
    return (
        len(key) > 2
        and key.endswith("s")
        and bool(_flags(key[:-1]) & (_ORDINARY | _COMMON | _CUE))
        and not _flags(key[:-1]) & (_GIVEN | _SURNAME)
    )


@lru_cache(maxsize=50_000)
def _key(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=50_000)
def _shape(raw: str) -> tuple[int, bool, bool]:
    key = _key(raw)
    flags = _flags(key)
    capital = raw[0].isupper()
    # A syllable said twice, capitalised, is how French makes a pet name: "Mimi", "Lulu",
    # "Loulou", "Jojo". Dictionaries list them as words; capitalised, they name someone.
    if (
        capital
        and not flags & (_GIVEN | _COMMON)
        and _DOUBLED.fullmatch(key)
        and key not in _BABY_WORDS
    ):
        flags = (flags & ~_ORDINARY) | _GIVEN
    return flags, len(raw) > 1 and raw.isupper(), capital


_DOUBLED = re.compile(r"([^aeiouy\W\d_]?[aeiouy]{1,2})\1")

# Doubled syllables that are baby talk or kinship, not pet names of someone.
_BABY_WORDS = frozenset(
    {
        *("papa", "mama", "maman", "nana", "tata", "tonton", "dada", "bebe", "pepe", "meme"),
        *("dodo", "pipi", "caca", "bobo", "toutou", "nounou", "lolo", "tutu", "yoyo", "gogo"),
        *("bonbon", "coucou", "cucu", "titi"),
    }
)


@lru_cache(maxsize=50_000)
def _flags(key: str) -> int:
    """What a folded word is: given name, surname, ordinary word; whether usable in lower case."""
    given, family = given_names(), surnames()
    world_given, world_family = _world_names()
    cue = _CUE if _CONTEXT_WORD.fullmatch(key) else 0
    if (
        key in word_list("not_names")
        # A test record's name sorts last on every list ("ZZZTEST, Adult", "Zztest Pédiatrie"):
        # no person's.
        or key.startswith("zz")
        or key in stopwords()["any"]
        or key in place_names()
        or _CUE_WORD.fullmatch(key)
    ):
        return _COMMON | cue
    if _CONTRACTION.fullmatch(key) and key.split("'")[0].split("’")[0] in stopwords()["any"]:
        return _COMMON | cue  # "I've", "we'll": a pronoun is no name, whatever it is glued to
    if key in town_names():
        # A town may be someone's name too ("Alma", "Laval", "Roberval"): the words around it
        # decide.
        cue |= _PLACE
    flags = cue | (_ORDINARY if key in common_words() else 0)
    if key in given:
        flags |= _GIVEN
    if key in elder_given_names():
        flags |= _GIVEN | _ELDER
    if key in family:
        flags |= _SURNAME
    # Names of other origins, which the lists above lack; one that is also an everyday word
    # counts in lower case only beside another name.
    world = not flags & (_GIVEN | _SURNAME)
    if key in world_given:
        flags |= _GIVEN
    if key in world_family:
        flags |= _SURNAME
    world = world and flags & (_GIVEN | _SURNAME) and flags & _ORDINARY
    # Another spelling of a listed given name ("Chantale", "Nathaly") is a given name where a
    # capital shows it; in lower case nothing vouches that it is no word.
    variant = not flags & (_GIVEN | _SURNAME | _ORDINARY) and key in given_name_variants()
    if variant:
        flags |= _GIVEN
    if not flags & (_GIVEN | _SURNAME) and "-" in key:
        parts = key.split("-")
        if all(part in given or part in world_given for part in parts) or (
            # A listed given name joined to a second name that no list holds is a compound
            # given name ("Lily-Mae", "Ella-Jade"), whatever the second half means alone.
            len(parts) == 2
            and parts[0] in given
            and len(parts[1]) > 1
            and parts[1].isalpha()
            and not _flags(parts[1]) & _COMMON
        ) or (
            # Québec nicknames: "ti-guy", "ti-jean", "ti-gus": "ti-" makes a pet name of any
            # word, a name or not.
            parts[0] in ("ti", "p'tit", "ptit")
            and len(parts) == 2
            and len(parts[1]) > 1
            and parts[1].isalpha()
        ):
            flags |= _GIVEN
        elif all(
            part in given or part in family or part in world_given or part in world_family
            for part in parts
        ):
            flags |= _SURNAME
    if not flags & (_GIVEN | _SURNAME) and _MC_NAME.match(key):
        flags &= ~_ORDINARY  # "mcgregor", "mcleod": the shape of a name, whatever a dictionary says
    ambiguous = key in word_list("ambiguous_lower")
    if flags & (_GIVEN | _SURNAME) and not ambiguous and len(key) > 2 and not world and not variant:
        flags |= _LOWER_OK
    elif not flags & (_GIVEN | _SURNAME | _ORDINARY) and _derived_word(key):
        flags |= _ORDINARY
    elif (
        not flags & (_GIVEN | _SURNAME | _ORDINARY)
        and len(key) > 2
        and key.replace("-", "").replace("'", "").isalpha()
        and not _NOT_A_NAME_ENDING.match(key)
    ):
        flags |= _UNKNOWN  # a word no dictionary knows, shaped like a name of any origin
    return flags


@lru_cache(maxsize=1)
def _world_names() -> tuple[frozenset[str], frozenset[str]]:
    """Given names and surnames of many origins (world_given_names.txt, world_surnames.txt)."""

    def keys(name: str) -> frozenset[str]:
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        return frozenset(fold(line.strip()) for line in lines if line.strip()[:1] not in ("", "#"))

    return keys("world_given_names.txt"), keys("world_surnames.txt")


class _Word:
    __slots__ = ("start", "end", "raw", "flags", "upper", "capital", "index")

    def __init__(self, start: int, end: int, raw: str, index: int = -1):
        self.start, self.end, self.raw, self.index = start, end, raw, index
        self.flags, self.upper, self.capital = _shape(raw)

    @property
    def listed(self) -> bool:
        return bool(self.flags & (_GIVEN | _SURNAME))


def _words(text: str) -> list[_Word]:
    """The words that may be or introduce a name: capitalised, listed, or cue words."""
    words: list[_Word] = []
    info = _TOKEN_INFO
    # The words of an e-mail address kept as a colleague's are no names ("gilles.fournier@").
    addresses = [m.span() for m in _EMAIL.finditer(text)] if "@" in text else ()
    for match in _TOKEN.finditer(text):
        if addresses and any(a <= match.start() < b for a, b in addresses):
            continue
        start, end = match.span()
        # A word hyphenated to digits is part of a code, a workstation's or a printer's
        # ("poste 1-PREL-02", "URG-14"): no one's name, whatever care words stand near it.
        if (start > 1 and text[start - 1] == "-" and text[start - 2].isdigit()) or (
            text[end : end + 1] == "-" and text[end + 1 : end + 2].isdigit()
        ):
            continue
        token = match.group()
        known = info.get(token, 0)
        if known is None:
            continue
        if known == 0:
            offset, raw = _clean_token(token)
            flags, _, capital = _shape(raw)
            known = (
                (offset, raw) if capital or flags & (_GIVEN | _SURNAME | _CUE | _UNKNOWN) else None
            )
            if len(info) > 200_000:
                info.clear()
            info[token] = known
            if known is None:
                continue
        offset, raw = known
        start = match.start() + offset
        words.append(_Word(start, start + len(raw), raw, len(words)))
    return words


_TOKEN_INFO: dict[str, tuple[int, str] | None] = {}


@lru_cache(maxsize=50_000)
def _clean_token(raw: str) -> tuple[int, str]:
    """A token without a French elision ("l'", "d'") or an English possessive ("'s")."""
    offset = 0
    if "'" in raw or "’" in raw:
        for mark in ("'", "’"):
            head, found, tail = raw.partition(mark)
            if found and tail[:1].isupper() and fold(raw).replace("’", "'") in surnames():
                break  # a surname that opens on an apostrophe: "D'Amours", "L'Heureux"
            if found and head.lower() in _ELISIONS and tail:
                offset, raw = offset + len(head) + 1, tail
        if len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS":
            raw = raw[:-2]  # English possessive: "O'Neil's labs"
    return offset, raw


def _name_evidence(word: _Word) -> bool:
    """Whether a word may be a name where only its context says so: a listed name, a name that is
    also a word ("Blanc", "Hope", "Grace"), or a word no dictionary knows ("Shanipiap");
    "Réseau est tombé" and "Tablette tombée" speak of things."""
    return bool(
        word.flags & (_GIVEN | _SURNAME | _UNKNOWN)
        or _key(word.raw) in word_list("ambiguous_lower")
    )


def _quoted_name_word(word: _Word) -> bool:
    """Whether a word set alone in quotes reads as a name: a listed one, not a label of the
    software ("No-show", "Dysphagie") nor a code in capitals ("SEPSIS-ADULT-ED")."""
    if not word.upper:
        return word.listed
    parts = _key(word.raw).split("-")
    return word.listed and not any(_flags(part) & _COMMON for part in parts)


def _name_shaped(word: _Word) -> bool:
    """A capitalised word that is a listed name or that no dictionary knows, and not shaped
    like a product's name ("MyChart", "SlicerDicer"; "McKenna" and "DeSouza" are names)."""
    if not word.capital or len(word.raw) < 2 or _product_shaped(word):
        return False
    return bool(word.listed or not word.flags & (_ORDINARY | _COMMON))


def _product_shaped(word: _Word) -> bool:
    """A capital inside a word after a small letter makes a product's or a feature's name
    ("MyChart", "SlicerDicer"), unless a surname's prefix explains it ("McKenna", "DeSouza")."""
    return bool(_CAMEL_CASE.search(word.raw)) and not _NAME_PREFIX.match(word.raw)


_CAMEL_CASE = re.compile(r"[a-zà-öø-ÿ][A-ZÀ-ÖØ-Þ]")

_NAME_PREFIX = re.compile(
    r"(?:Mc|Mac|Le|La|De|Di|Da|Du|Del|Van|Von|Fitz|Ben|Bou|El|Al|Abd?)[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+$"
)
