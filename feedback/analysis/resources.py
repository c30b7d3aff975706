"""The package's data files, read once per process."""

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from feedback.analysis.text import fold

DATA_DIR = Path(__file__).with_name("data")


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
