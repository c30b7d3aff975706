"""Named features of a text for the linear theme and sentiment models.

A text becomes a bag of named features, in groups whose prefix (before the first ':') the models
weigh and normalise separately:

- ``w:`` stems of every word, and ``b:`` stem bigrams within a clause (function words included,
  so that "marche pas", "plus de" and "n imprim" are features of their own);
- ``n:`` stems inside the scope of a negation, including the verb a dropped "ne" leaves before
  "pas" ("ça marche pas", "chu pas capable");
- ``m:`` stems of the clause after the last "mais / but / sauf que / however...", which usually
  carries the writer's attitude;
- ``c:`` character 3-5-grams of each word, for typos, SMS spelling and unseen inflections;
- ``q:`` cues (negations, dropped "ne", intensifiers, resolved problems, sarcasm, contrast,
  requests, questions, exclamations), the length bucket and the kind of text, and ``pat:`` the
  TextBlob pattern polarities of the whole text and of its clause after "but" (the sentiment
  lexicon).

The theme lexicon's weights are not features: cross-validation on the corpus scored the themes
slightly lower with them (macro-F1 0.836 against 0.839 without); the lexicon still finds admins'
keywords, themes the model does not know, and the phrases an explanation shows.

Everything is a dict lookup or a cached tuple per distinct word: no loop over a vocabulary.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

from feedback.analysis.document import Document
from feedback.analysis.text import PUNCTUATION

KINDS = ("survey", "observation")

# Words that negate what follows them, in either language (texts mix them).
_NEGATIONS = frozenset(
    {
        "ne", "n", "pas", "jamais", "aucun", "aucune", "sans", "ni", "rien", "pu", "pantoute",
        "nullement", "not", "no", "never", "without", "nothing", "nobody", "none", "neither",
        "nor", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "wont", "aint",
        "couldnt", "wouldnt", "havent", "hasnt", "arent", "werent",
    }
)  # fmt: skip
# Negations that follow the verb they negate when "ne" is dropped ("ça marche pas").
_NEGATIONS_AFTER = frozenset({"pas", "jamais", "pu", "pantoute", "plus", "rien"})
_NE = frozenset({"ne", "n"})
# Words after which a bare "plus" ends its clause: "ça marche plus pantoute / depuis lundi".
_AFTER_NO_LONGER = frozenset(
    {"pantoute", "depuis", "du", "jamais", "rien", "personne", "maintenant", "encore", "pis",
     "et", "mais", "ce", "cette", "ici", "la"}
)  # fmt: skip
# Words that only strengthen the next one: they carry no attitude of their own ("très bien",
# "vraiment très lent"), so they are no feature and the words around them pair as if they were
# absent ("est lent"); a cue counts them.
_INTENSIFIERS = frozenset(
    {"tres", "vraiment", "tellement", "extremement", "vachement", "very", "really", "extremely",
     "incredibly"}
)
# How many words after a negation it reaches, up to punctuation or a contrast.
_NEGATION_SCOPE = 3
# Single-word and two-word markers after which the clause carries the attitude.
_CONTRAST = frozenset(
    {"mais", "but", "however", "cependant", "pourtant", "toutefois", "though", "although",
     "sauf", "except"}
)  # fmt: skip
_CONTRAST_PAIRS = frozenset({("sauf", "que"), ("par", "contre"), ("en", "revanche"),
                             ("reste", "que"), ("that", "said")})
_WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|la semaine derniere|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last week"
)
_CUES = {
    # A problem that is over: "enfin", "plus de fax", "on n'imprime plus", "since Monday".
    "resolved": re.compile(
        r"\b(?:enfin|finalement|finally|at last|no more|plus de|plus d|plus besoin|"
        r"(?:regle|reglee|regles|resolu|resolue|corrige|corrigee|repare|reparee|fixed|"
        r"resolved|sorted out|solved)\b|"
        r"(?:fonctionne|marche|works|working)\s+(?:maintenant|enfin|now|again|a nouveau|"
        r"de nouveau|bien maintenant)|"
        r"back to normal|de retour a la normale|disparu|gone|"
        rf"depuis (?:{_WEEKDAYS})|since (?:{_WEEKDAYS}|the update|the patch|the fix))"
    ),
    # "Ne ... plus", "no longer": over, for better ("on n'imprime plus") or worse.
    "no_longer": re.compile(
        r"\b(?:(?:ne|n)\s+(?:\w+\s+){1,2}(?:plus|pu)|no longer|not anymore|anymore|"
        r"plus jamais|pu jamais)\b"
    ),
    # Praise said to mean its opposite: "super, encore une fenêtre", "great, another pop-up".
    "sarcasm": re.compile(
        r"(?:^|[.!?]\s*)(?:super|genial|bravo|wow|parfait|merveilleux|excellent|wonderful|"
        r"great|perfect|awesome|fantastic|lovely|nice|yay|oh joy|fun|bien hate|youpi|"
        r"magnifique|formidable|chapeau|quelle joie|just great|love it|j adore)"
        r"\s*[,!.:]+\s*(?:encore|une autre|un autre|another|again|one more|yet another|"
        r"plus de|juste|just|exactement|exactly|encore une fois|a third|un troisieme|"
        r"une troisieme|rien de mieux|nothing like)|"
        r"juste ce qu (?:il|y) (?:me|nous) fallait|just what (?:i|we) (?:needed|wanted)|"
        r"exactly what (?:i|we) needed|exactement ce qu (?:il|y) (?:me|nous) fallait|"
        r"(?:love|adore|j adore|on adore) (?:it )?(?:when|quand)|"
        r"(?:as if|comme si) (?:we|on|j) (?:had|avait|n avait) |"
        r"merci (?:encore )?pour (?:la|le|les|cette|ce) (?:\w+ )?(?:encore|de plus)|"
        r"(?:what|quelle) (?:a )?(?:joy|treat|surprise|joie|surprise)"
    ),
    "request": re.compile(
        r"\b(?:svp|s il vous plait|serait il possible|est il possible|pourrait on|"
        r"pourriez vous|on pourrait|j aimerais|on aimerait|nous aimerions|ce serait bien|"
        r"suggestion|please|pls|could we|can we|could you|can you|would it be possible|"
        r"is it possible|would be (?:helpful|useful|nice|great)|we need|need to|"
        r"demande|request|il faudrait|faudrait|should)\b"
    ),
    "action": re.compile(
        r"\b(?:billet|ticket|signale|signalee|transmis|transmise|escalade|escaladee|"
        r"reported|escalated|logged|opened|ouvert|suivi|follow up|followed up|"
        r"demande de correction|a ete avise|notified|informed|corrige|fixed)\b"
    ),
}
# Praise opening a text ("Super, ...", "Great, another...", "Love how...", "Merci pour..."): with
# a complaint after it, usually sarcasm.
_PRAISE_OPENER = re.compile(
    r"^(?:oh |ah |ah ben |ben |oh good |oh )?(?:(?:super|genial|bravo|wow|parfait|merveilleux|"
    r"excellent|wonderful|great|perfect|awesome|fantastic|lovely|nice|yay|formidable|"
    r"magnifique|chapeau|good|bien|beau|belle|quelle belle|quel beau)(?: \w+){0,2} [,.!:]|"
    r"(?:love|j adore|on adore|i love|we love) (?:how|when|quand|comment|que)|"
    r"(?:merci|thanks|thank you)(?: \w+){0,2} (?:pour|for|de nous|d avoir))"
)
_COMPLAINT_AFTER_PRAISE = re.compile(
    r"\b(?:encore|another|again|un autre|une autre|autre|more|plus de|pour rien|nothing|"
    r"without|sans|missing|manque|dommage|shame|too bad|useless|inutile|only|seulement|"
    r"juste|just|rien|jamais|never|troisieme|third|cinquieme|fifth)\b"
)
# Pattern negativity (sum of negative polarities over 2) from which the rest of a text opening
# with praise is a complaint.
_COMPLAINT_NEGATIVITY = 0.2
# Length buckets, in characters of the redacted text.
_LENGTHS = ((25, "xs"), (60, "s"), (120, "m"), (200, "l"), (400, "xl"))
_CHAR_SIZES = (3, 4, 5)


@dataclass(frozen=True)
class Features:
    """A text's features: named ones with their values, and the distinct words whose character
    n-grams are features too (binary), kept apart so that models can cache them per word."""

    named: dict[str, float]
    words: tuple[str, ...]

    def as_dict(self) -> dict[str, float]:
        """Every feature by name, character n-grams included."""
        result = dict.fromkeys((gram for word in self.words for gram in char_grams(word)), 1.0)
        result.update(self.named)
        return result

    def __contains__(self, name: str) -> bool:
        return name in self.named or (
            name.startswith("c:") and any(name in char_grams(word) for word in self.words)
        )

    def get(self, name: str, default: float | None = None) -> float | None:
        if name in self.named:
            return self.named[name]
        return 1.0 if name.startswith("c:") and name in self else default

    def __getitem__(self, name: str) -> float:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value


@lru_cache(maxsize=100_000)
def char_grams(token: str) -> tuple[str, ...]:
    """Character 3-5-grams of a word padded with spaces, as feature names."""
    padded = f" {token} "
    return tuple(
        dict.fromkeys(
            "c:" + padded[start : start + size]
            for size in _CHAR_SIZES
            for start in range(len(padded) - size + 1)
        )
    )


def length_bucket(text: str) -> str:
    length = len(text)
    return next((name for limit, name in _LENGTHS if length < limit), "xxl")


def _folded_text(document: Document) -> str:
    """The document's tokens joined by spaces: what the cue patterns read."""
    return " ".join(document.tokens)


def text_features(
    document: Document,
    kind: str | None = None,
    pattern: Mapping[str, float] | None = None,
    masked: Collection[int] = (),
    after_contrast: int | None = None,
) -> Features:
    """Every feature of a read text; kind is 'survey', 'observation' or None (unknown).

    Words at the masked positions, inside a false friend of the theme lexicon ("formation d'un
    caillot", "agent de sécurité"), are features of their own ("w:~format") without n-grams.
    """
    features: dict[str, float] = {}
    words: dict[str, None] = {}
    tokens, stems = document.tokens, document.stems
    if after_contrast is None:
        after_contrast = contrast_start(tokens)
    scope = 0
    previous = ""
    previous_content = ""
    negations = dropped_ne = intensifiers = 0
    ne_seen = -10
    for position, (token, stem) in enumerate(zip(tokens, stems, strict=True)):
        if token in PUNCTUATION:
            scope = 0
            previous = previous_content = ""
            continue
        if token in _NE:
            ne_seen = position
        if token in _INTENSIFIERS:
            intensifiers += 1
            continue
        if position in masked:
            stem = "~" + stem
        is_negation = token in _NEGATIONS or (
            token == "plus"
            and (
                position - ne_seen <= 3
                or (previous_content and previous_content == previous and _ends_clause(
                    tokens, position + 1))
            )
        )
        features["w:" + stem] = 1.0
        if previous:
            features["b:" + previous + " " + stem] = 1.0
        if position not in masked:
            words[token] = None
        if position >= after_contrast:
            features["m:" + stem] = 1.0
        if is_negation:
            negations += 1
            if token in _NEGATIONS_AFTER and position - ne_seen > 3 and previous_content:
                # "ça marche pas", "fonctionne plus": the verb before is what is negated.
                dropped_ne += 1
                features["n:" + previous_content] = 1.0
            scope = _NEGATION_SCOPE
        elif scope:
            features["n:" + stem] = 1.0
            scope -= 1
        if token in _CONTRAST:
            scope = 0
        previous = stem
        if not is_negation and len(token) > 2 and not token.isdigit():
            previous_content = stem
    folded = _folded_text(document)
    cues = features
    cues["q:negation"] = min(negations, 3) / 3
    cues["q:dropped_ne"] = min(dropped_ne, 2) / 2
    if intensifiers:
        cues["q:intensifier"] = min(intensifiers, 2) / 2
    cues["q:contrast"] = float(after_contrast < len(tokens))
    for name, pattern_re in _CUES.items():
        found = len(pattern_re.findall(folded))
        if found:
            cues["q:" + name] = min(found, 2) / 2
    if _PRAISE_OPENER.match(folded):
        cues["q:praise_opener"] = 1.0
        complaint = _COMPLAINT_AFTER_PRAISE.search(folded) or negations or (
            (pattern or {}).get("negative", 0.0) >= _COMPLAINT_NEGATIVITY
        )
        if complaint:
            cues["q:sarcasm"] = max(cues.get("q:sarcasm", 0.0), 0.5)
    cues["q:question"] = float("?" in tokens)
    cues["q:exclamation"] = float("!" in tokens)
    cues["q:len:" + length_bucket(document.redacted)] = 1.0
    cues["q:kind:" + (kind if kind in KINDS else "unknown")] = 1.0
    for name, value in (pattern or {}).items():
        cues["pat:" + name] = value
    return Features(features, tuple(words))


def _ends_clause(tokens: tuple[str, ...], position: int) -> bool:
    """Whether a clause ends at this position ("ça marche plus." but not "plus de temps")."""
    return position >= len(tokens) or tokens[position] in PUNCTUATION or (
        tokens[position] in _AFTER_NO_LONGER
    )


def contrast_start(tokens: tuple[str, ...]) -> int:
    """Position of the first word after the last contrast marker, or len(tokens) if none."""
    start = len(tokens)
    for position, token in enumerate(tokens):
        if position + 1 < len(tokens) and (token, tokens[position + 1]) in _CONTRAST_PAIRS:
            start = position + 2
        elif token in _CONTRAST:
            start = position + 1
    return start if start < len(tokens) else len(tokens)


def with_kind(features: Features, kind: str | None) -> Features:
    """The same features for a text of another kind (None: unknown)."""
    named = {name: value for name, value in features.named.items() if name[:7] != "q:kind:"}
    named["q:kind:" + (kind if kind in KINDS else "unknown")] = 1.0
    return Features(named, features.words)
