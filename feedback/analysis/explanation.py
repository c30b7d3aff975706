"""Why a theme was (or was not) given to a text: the phrases that weighed most, for managers."""

import re

from feedback.analysis.model import LinearModel
from feedback.analysis.reading import Reading
from feedback.analysis.redaction import PLACEHOLDER
from feedback.analysis.text import PUNCTUATION, tokenize

# Words with their inner apostrophes and hyphens, and the punctuation tokenize() keeps.
_CHUNK = re.compile(r"\w+(?:['’\-]\w+)*|[!?.;:,]")
# Weight of an admin's keyword in an explanation (it tags its theme whatever the model says).
ADMIN_TERM_WEIGHT = 1.0
_MIN_WEIGHT = 1e-3
# A word joins a phrase when its weight is at least this share of the text's strongest word's.
_RUN_SHARE = 0.15
MAX_PHRASE_WORDS = 4


def surface_words(reading: Reading) -> list[str]:
    """The text's words as written (accents, case), one per token of the Document."""
    document = reading.document
    content = PLACEHOLDER.sub(" ", document.redacted)
    words: list[str] = []
    for match in _CHUNK.finditer(content):
        chunk = match.group()
        words += [chunk] * len(tokenize(chunk))
    if len(words) != len(document.tokens):
        return list(document.tokens)
    return words


def explain_theme(
    reading: Reading, model: LinearModel, code: str, *, limit: int = 8
) -> list[tuple[str, float]]:
    """Phrases of the text and how much each added to the theme's score, strongest first.

    Every feature's contribution goes to the words it comes from (a bigram's to both halves, an
    n-gram's to the words that contain it, a cue to none); runs of neighbouring words pushing
    the same way (with at most one weaker word between them, as "de" in "mot de passe") become
    one phrase of up to MAX_PHRASE_WORDS words.
    """
    document = reading.document
    words = surface_words(reading)
    tokens, stems = document.tokens, document.stems
    positions_of: dict[str, list[int]] = {}
    for position, (token, stem) in enumerate(zip(tokens, stems, strict=True)):
        if token not in PUNCTUATION:
            positions_of.setdefault(stem, []).append(position)
    weights = [0.0] * len(tokens)

    def spread(positions: list[int], weight: float) -> None:
        for position in positions:
            weights[position] += weight / len(positions)

    for name, weight in model.contributions(reading.features, code).items():
        group, _, value = name.partition(":")
        value = value.replace("~", "")  # a word inside a false friend
        if group in ("w", "n", "m") and value in positions_of:
            spread(positions_of[value], weight)
        elif group == "b":
            first, _, second = value.partition(" ")
            starts = [
                position
                for position in positions_of.get(first, ())
                if position + 1 < len(stems) and stems[position + 1] == second
            ]
            spread([p for start in starts for p in (start, start + 1)], weight)
        elif group == "c":
            spread(
                [
                    position
                    for position, token in enumerate(tokens)
                    if token not in PUNCTUATION and value in f" {token} "
                ],
                weight,
            )
    phrases: dict[str, float] = {}
    for start, end, weight in _runs(tokens, weights):
        phrase = " ".join(dict.fromkeys(words[start:end]))
        phrases[phrase] = phrases.get(phrase, 0.0) + weight
    if code in reading.hits.admin:
        for start, end in reading.hits.admin_spans.get(code, ()):
            phrase = " ".join(dict.fromkeys(words[start:end]))
            phrases[phrase] = phrases.get(phrase, 0.0) + ADMIN_TERM_WEIGHT
    ranked = sorted(phrases.items(), key=lambda item: -abs(item[1]))
    return [(phrase, round(weight, 4)) for phrase, weight in ranked if abs(weight) >= _MIN_WEIGHT][
        :limit
    ]


def _runs(tokens: tuple[str, ...], weights: list[float]) -> list[tuple[int, int, float]]:
    """(start, end, summed weight) of the runs of words that push the same way."""
    strongest = max((abs(weight) for weight in weights), default=0.0)
    floor = strongest * _RUN_SHARE
    runs: list[tuple[int, int, float]] = []
    position = 0
    while position < len(tokens):
        weight = weights[position]
        if tokens[position] in PUNCTUATION or abs(weight) < floor or abs(weight) < _MIN_WEIGHT:
            position += 1
            continue
        sign = weight > 0
        end, total = position + 1, weight
        while end < len(tokens) and end - position < MAX_PHRASE_WORDS:
            following = weights[end]
            same_way = abs(following) >= floor and (following > 0) == sign
            if tokens[end] not in PUNCTUATION and same_way:
                total += following
                end += 1
            elif (
                end + 1 < len(tokens)
                and end + 1 - position < MAX_PHRASE_WORDS
                and tokens[end] not in PUNCTUATION
                and tokens[end + 1] not in PUNCTUATION
                and abs(weights[end + 1]) >= floor
                and (weights[end + 1] > 0) == sign
            ):
                total += following + weights[end + 1]
                end += 2
            else:
                break
        runs.append((position, end, total))
        position = end
    return runs
