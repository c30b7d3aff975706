"""Accent-free tokens and cached Snowball stems shared by every stage."""

import re
import sys
import unicodedata
from contextlib import contextmanager
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


@contextmanager
def without_scipy():
    """Import nltk (or textblob, which imports it) without letting it import scipy.

    nltk imports scipy.stats for statistics the pipeline never uses whenever scipy is installed
    (scikit-learn, which trains the models, brings it), and that alone costs over a second of
    start-up. If scipy is not imported yet, it is hidden while the block runs, then made
    importable again; if it is, nothing changes.
    """
    hidden = "scipy" not in sys.modules and "nltk" not in sys.modules
    if hidden:
        sys.modules["scipy"] = None  # type: ignore[assignment]  # makes `import scipy` fail
    try:
        yield
    finally:
        if hidden and sys.modules.get("scipy", False) is None:
            del sys.modules["scipy"]


@lru_cache(maxsize=1)
def _stemmers() -> dict:
    # Imported on first use: nltk takes a quarter of a second to import and the app
    # must start without paying for it.
    with without_scipy():
        from nltk.stem.snowball import EnglishStemmer, FrenchStemmer

    return {"fr": FrenchStemmer(), "en": EnglishStemmer()}


@lru_cache(maxsize=200_000)
def stem(token: str, language: str) -> str:
    """Snowball stem of a folded token; neither stemmer needs an NLTK corpus."""
    return _stemmers()[language].stem(token)
