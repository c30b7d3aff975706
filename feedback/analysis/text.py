"""Accent-free tokens and cached Snowball stems shared by every stage."""

import re
import unicodedata
from functools import lru_cache

LANGUAGES = ("fr", "en")

# Typographic apostrophes and ligatures that NFKD would otherwise drop or keep apart.
_FOLDING = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "´": "'", "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"}
)
_TOKEN = re.compile(r"[a-z0-9]+|[!?.;:,]")
PUNCTUATION = frozenset("!?.;:,")
# Words written with or without a hyphen: split, "wi-fi" would read as "wi" and "fi", the stem
# of "fier" (proud).
_HYPHENATED = re.compile(r"\b(wi|e)-(fi|mail)\b")


def fold(text: str) -> str:
    """Lower-case ASCII form of the text, with English "n't" spelled out as a word."""
    text = text.translate(_FOLDING).lower().replace("n't", " not")
    text = _HYPHENATED.sub(r"\1\2", text)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def tokenize(text: str) -> list[str]:
    """Accent-free word tokens, plus the punctuation marks that end a clause."""
    return _TOKEN.findall(fold(text))


@lru_cache(maxsize=1)
def _stemmers() -> dict:
    # Imported on first use: nltk takes a quarter of a second to import and the app
    # must start without paying for it.
    from nltk.stem.snowball import EnglishStemmer, FrenchStemmer

    return {"fr": FrenchStemmer(), "en": EnglishStemmer()}


@lru_cache(maxsize=200_000)
def stem(token: str, language: str) -> str:
    """Snowball stem of a folded token; neither stemmer needs an NLTK corpus."""
    return _stemmers()[language].stem(token)
