"""Find lexicon phrases in stemmed text, tolerating one-letter typos."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

from feedback.analysis.text import PUNCTUATION, stem, tokenize

Key = tuple[str, ...]
T = TypeVar("T")
# Snowball does not always give a word and its inflections one stem ("fier" / "fière"), so a
# single-word entry is also indexed under the stems of its regular inflections.
_INFLECTIONS = {"fr": ("e", "s", "es"), "en": ("s", "ed", "ing")}


def phrase_keys(phrase: str, language: str) -> set[Key]:
    """Stem sequences under which a lexicon entry is matched."""
    words = [token for token in tokenize(phrase) if token not in PUNCTUATION]
    keys = {tuple(stem(word, language) for word in words)}
    if len(words) == 1:
        keys.update((stem(words[0] + suffix, language),) for suffix in _INFLECTIONS[language])
    return keys


class PhraseIndex(Generic[T]):
    """Phrases (stem sequences) with a value each, found in a stemmed text."""

    def __init__(self, entries: Iterable[tuple[Key, T]]) -> None:
        # Keyed by first stem, longest phrase first; the length is stored to spare len() calls.
        self._by_first: dict[str, list[tuple[Key, int, T]]] = {}
        for key, value in entries:
            if key:
                self._by_first.setdefault(key[0], []).append((key, len(key), value))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda entry: -entry[1])

    def stems(self) -> set[str]:
        """Every stem that occurs in a phrase."""
        return {
            part
            for candidates in self._by_first.values()
            for key, _, _ in candidates
            for part in key
        }

    def find(self, stems: Sequence[str]) -> Iterator[tuple[int, int, T]]:
        """(start, end, value) of every phrase occurrence, longest first at each start."""
        by_first = self._by_first
        for start, first in enumerate(stems):
            candidates = by_first.get(first)
            if candidates:
                for key, length, value in candidates:
                    if length == 1 or tuple(stems[start : start + length]) == key:
                        yield start, start + length, value

    def contains(self, stems: Sequence[str]) -> bool:
        """Whether any phrase occurs in the stems."""
        return next(self.find(stems), None) is not None

    def longest_at(self, stems: Sequence[str], start: int) -> tuple[int, T] | None:
        """(end, value) of the longest phrase starting at stems[start], if any."""
        for key, length, value in self._by_first.get(stems[start], ()):
            if length == 1 or tuple(stems[start : start + length]) == key:
                return start + length, value
        return None


class SpellingCorrector:
    """Maps an unknown stem to a known one a single edit away (insertion, deletion, change, swap).

    The first letter is never corrected: typos there are rare, and allowing them turns real words
    into lexicon ones ("prélèvement" into "relève").
    """

    # Shorter stems have too many legitimate neighbours ("plan", "plant") to be corrected safely.
    MIN_LENGTH = 6
    # The cache only spares repeated work; it must not grow without bound in a long-lived process.
    MAX_CACHED = 50_000

    def __init__(self, known: Iterable[str]) -> None:
        self._known = frozenset(known)
        # A known word with one letter deleted -> (the word, where the letter was).
        self._by_deletion: dict[str, tuple[str, int]] = {}
        for word in sorted(self._known):
            if len(word) >= self.MIN_LENGTH:
                for position, variant in _deletions(word):
                    self._by_deletion.setdefault(variant, (word, position))
        self._cache: dict[str, str] = {}

    def correct(self, word: str) -> str:
        """The known stem this word most likely misspells, or the word itself."""
        if word in self._known or len(word) < self.MIN_LENGTH:
            return word
        cached = self._cache.get(word)
        if cached is None:
            if len(self._cache) >= self.MAX_CACHED:
                self._cache.clear()
            cached = self._cache[word] = self._nearest(word)
        return cached

    def _nearest(self, word: str) -> str:
        found = self._by_deletion.get(word)
        if found is not None and found[1] > 0:  # a letter left out
            return found[0]
        for position, variant in _deletions(word):
            if position == 0:
                continue
            if len(variant) >= self.MIN_LENGTH and variant in self._known:  # a letter too many
                return variant
            found = self._by_deletion.get(variant)
            # The same letter changed, or two neighbours swapped; farther apart is two edits.
            if found is not None and found[1] > 0 and abs(found[1] - position) <= 1:
                return found[0]
        return word


def _deletions(word: str) -> Iterator[tuple[int, str]]:
    return ((i, word[:i] + word[i + 1 :]) for i in range(len(word)))
