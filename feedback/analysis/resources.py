"""The package's data files, read once per process."""

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from feedback.analysis.text import fold

DATA_DIR = Path(__file__).with_name("data")
# Every labelled text the models learn from: the independent writers' texts and the older
# examples, deduplicated (scripts/build_corpus.py builds it). Fields: text, themes, sentiment
# (null where only themes were labelled), language, kind ("survey", "observation" or null), writer.
CORPUS_FILE = DATA_DIR / "corpus.jsonl"
# The shipped models, built from the corpus by build_models.py.
THEME_MODEL_FILE = DATA_DIR / "theme_model.npz"
SENTIMENT_MODEL_FILE = DATA_DIR / "sentiment_model.npz"


@cache
def load_json(name: str) -> Any:
    """Parsed content of a JSON data file; callers must not mutate it."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Function words of each language ('fr', 'en') and of both ('any'), folded."""
    data = load_json("stopwords.json")
    shared = set(data["shared"])
    french, english = set(data["fr"]), set(data["en"])
    return {
        "fr": frozenset(french - english - shared),
        "en": frozenset(english - french - shared),
        "any": frozenset(french | english | shared),
    }


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Common given names, folded."""
    lines = (DATA_DIR / "first_names.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(
        fold(line.strip()) for line in lines if line.strip() and not line.startswith("#")
    )


def _name_keys(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    keys = {fold(line.strip()) for line in lines if line.strip() and not line.startswith("#")}
    # "St-Onge" is also written "Saint-Onge", and the other way round.
    for key in list(keys):
        for short, long in (("st-", "saint-"), ("ste-", "sainte-")):
            if key.startswith(short):
                keys.add(long + key[len(short) :])
            elif key.startswith(long):
                keys.add(short + key[len(long) :])
    return frozenset(keys)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names of every generation (first_names.txt and given_names.txt), folded."""
    return first_names() | _name_keys("given_names.txt")


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Surnames common in Québec, folded, with "St-" and "Saint-" forms alike."""
    return _name_keys("surnames.txt")


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Words of places that are never a person's name (place_names.txt), folded."""
    return _place_words("place_names.txt")


@lru_cache(maxsize=1)
def town_names() -> frozenset[str]:
    """Words of Québec's towns, regions and boroughs (town_names.txt), folded: unlike
    place_names, many are also people's names ("Alma", "Laval"), so context decides."""
    return _place_words("town_names.txt")


def _place_words(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    places = (line.strip() for line in lines if line.strip() and not line.startswith("#"))
    words = {fold(word) for place in places for word in place.split()}
    # "Saint-Jérôme" is also written "St-Jérôme", and "Sainte-Julie" "Ste-Julie".
    for word in list(words):
        for long, short in (("saint-", "st-"), ("sainte-", "ste-")):
            if word.startswith(long):
                words.add(short + word[len(long) :])
    return frozenset(words)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary French and English words (folded) that are no surname after a given name."""
    lines = (DATA_DIR / "common_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def elder_given_names() -> frozenset[str]:
    """Given names borne almost only by people born before about 1950, folded."""
    return _name_keys("elder_given_names.txt")


# Québec writes one given name many ways ("Chantal", "Chantale"; "Nathalie", "Nathaly";
# "Sylviane", "Sylvianne"; "Stéphanie", "Stefany"): the lists hold one or two spellings, so
# the others are made from them by the changes people make to a name's ending (a final "e",
# a doubled consonant, "-ie" for "-y"), "ph" for "f", one consonant doubled or made single
# and one "y" for an "i" inside it.
_DOUBLED = {"le": "lle", "ne": "nne", "te": "tte"}


def _ending_changes(name: str) -> set[str]:
    out = set()
    if name.endswith("ie"):
        out |= {name[:-2] + "y", name[:-2] + "ye"}
    elif name.endswith("y"):
        out.add(name[:-1] + "ie")
    if name[-1:] in ("l", "n", "t") and name[-2:-1] in tuple("aeiouy"):
        out.add(name + "e")
    for single, double in _DOUBLED.items():
        if name.endswith(double):
            out.add(name[: -len(double)] + single)
        elif name.endswith(single) and name[-3:-2] in tuple("aeiouy"):
            out.add(name[: -len(single)] + double)
    return out


def _spelling_changes(name: str) -> set[str]:
    out = _ending_changes(name)
    if "ph" in name:
        out.add(name.replace("ph", "f"))
    # A consonant doubled or made single inside the name: "Ginette", "Ginnette"; "Annick", "Anick".
    for i in range(1, len(name) - 2):
        if name[i] in "lnt" and name[i - 1] in "aeiouy":
            if name[i + 1] == name[i]:
                out.add(name[:i] + name[i + 1 :])
            elif name[i + 1] in "aeiouy":
                out.add(name[: i + 1] + name[i:])
    for i, char in enumerate(name[1:-1], 1):
        if char in "iy":
            out.add(name[:i] + ("y" if char == "i" else "i") + name[i + 1 :])
    return out


@lru_cache(maxsize=1)
def given_name_variants() -> frozenset[str]:
    """Other spellings of the listed given names (folded), none an everyday word or a place."""
    listed = given_names()
    first = {v for name in listed if name.isalpha() for v in _spelling_changes(name)}
    # A second change only at the ending: "Carmel", "Carmele", "Carmelle".
    second = {v for name in first for v in _ending_changes(name)}
    words = common_words()
    places = place_names() | town_names()
    return frozenset(
        v
        for v in first | second
        if len(v) > 3 and v not in listed and v not in words and v not in places
    )
