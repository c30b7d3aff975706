"""Cues of attitude from TextBlob's pattern analyzers, which the sentiment model weighs."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from feedback.analysis.document import Document
from feedback.analysis.matching import PhraseIndex, phrase_keys
from feedback.analysis.resources import load_json
from feedback.analysis.text import LANGUAGES, PUNCTUATION, fold, tokenize, without_scipy

# How much of its attitude a hypothetical clause ("ça aurait été un désastre") keeps.
_HYPOTHETICAL_WEIGHT = 0.3
# Sums of assessed polarities beyond this add nothing: the attitude is already plain.
_MAX_POLARITY_SUM = 2.0
# "Ne ... plus" (no longer): in a phrase, "plus" negates like "pas" does.
_NO_LONGER = {"fr": frozenset({"plus"})}
LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class PatternScore:
    """What the pattern analyzer assessed: mean polarity, sums of positive and negative words, and
    how many clauses hold a negation that negated no polar word ("on n'a pas accès")."""

    polarity: float
    positive: float
    negative: float
    bare_negations: int


@lru_cache(maxsize=1)
def attitude_reader() -> "AttitudeReader":
    """The process-wide AttitudeReader (building the pattern lexicons takes a while)."""
    return AttitudeReader()


class AttitudeReader:
    """Reads the cues of a writer's attitude that the sentiment model weighs."""

    def __init__(self) -> None:
        data = load_json("sentiment.json")
        self._scorers = {language: _PatternScorer(language, data) for language in LANGUAGES}

    def stems(self, language: str) -> set[str]:
        """Stems of the domain sentiment lexicon, as a vocabulary for typo correction."""
        return self._scorers[language].stems()

    def cues(self, document: Document) -> dict[str, float]:
        """TextBlob pattern polarities (mean, positive and negative sums), request and
        announcement cues, and how many clauses hold a negation that negated no polar word."""
        scorer = self._scorers[document.language]
        score = scorer.score(document)
        return {
            "polarity": score.polarity,
            "positive": min(score.positive, _MAX_POLARITY_SUM) / _MAX_POLARITY_SUM,
            "negative": min(score.negative, _MAX_POLARITY_SUM) / _MAX_POLARITY_SUM,
            "request": float(scorer.is_request(document)),
            "announcement": float(scorer.is_announcement(document)),
            # Complaints are often a bare negation of a fact ("pas accès", "never called back").
            "bare_negations": min(score.bare_negations, 3) / 3,
        }


class _PatternScorer:
    """TextBlob's pattern sentiment lexicon and algorithm for one language, fed our own tokens.

    The analyzers' own tokenizer costs more than the rest of the pipeline and splits "n'" from
    its apostrophe, so the lexicon's assessments() is called directly on clauses of keys: known
    words, domain phrases (one key each) and negations moved in front of what they negate.
    """

    def __init__(self, language: str, data: dict[str, Any]) -> None:
        self._negations = frozenset(data["negations"][language])
        self._negations_after = frozenset(data["negations_after"][language])
        self._transparent = frozenset(data["transparent"][language])
        self._hypothetical = frozenset(data["hypothetical"][language])
        self._lexicon = _pattern_lexicon(language, self._negations)
        domain = data["polarity"][language]
        neutralised = set(data["neutralised"][language]) | {fold(word) for word in domain}
        for word in list(dict.keys(self._lexicon)):
            if fold(word) in neutralised:
                del self._lexicon[word]
            elif fold(word) != word and " " not in fold(word):
                self._lexicon.setdefault(fold(word), self._lexicon[word])
        self._intensifiers = data["intensifiers"][language]
        for word, intensity in self._intensifiers.items():
            self._lexicon.annotate(word, "RB", domain.get(word, 0.0), 0.5, intensity)
        entries = []
        # Phrases that carry their own negation ("fonctionne plus", "still not"): the "ne" or
        # "n'" before them belongs to them and must not flip their polarity back.
        self._negated_phrases: set[str] = set()
        own_negations = self._negations | _NO_LONGER.get(language, frozenset())
        for phrase, polarity in domain.items():
            if phrase in self._intensifiers:
                continue
            # A zero-polarity phrase only shields its words ("bien des appels", "as well").
            label = "~" + phrase if polarity else ""
            if label:
                self._lexicon.annotate(label, None, float(polarity), 0.8, 1.0)
                if not own_negations.isdisjoint(tokenize(phrase)):
                    self._negated_phrases.add(label)
            entries += [(key, label) for key in phrase_keys(phrase, language)]
        self._phrases: PhraseIndex[str] = PhraseIndex(entries)
        self._requests = _cue_index(data["requests"][language], language)
        self._announcements = _cue_index(data["announcements"][language], language)

    def stems(self) -> set[str]:
        return self._phrases.stems() | self._requests.stems() | self._announcements.stems()

    def is_negation(self, token: str) -> bool:
        return token in self._negations

    def is_request(self, document: Document) -> bool:
        return self._requests.contains(document.stems)

    def is_announcement(self, document: Document) -> bool:
        return self._announcements.contains(document.stems)

    def score(self, document: Document) -> PatternScore:
        """Polarities the pattern analyzer assigns, clause by clause, to the assessed words."""
        scores: list[float] = []
        bare_negations = 0
        for clause in self._clauses(document.tokens, document.stems):
            weight = _HYPOTHETICAL_WEIGHT if not self._hypothetical.isdisjoint(clause) else 1.0
            assessed = self._lexicon.assessments((key, None) for key in clause)
            scores += [weight * polarity for _, polarity, _, _ in assessed if polarity]
            if not self._negations.isdisjoint(clause) and not any(
                words[0] in self._negations for words, *_ in assessed
            ):
                bare_negations += 1
        return PatternScore(
            polarity=sum(scores) / len(scores) if scores else 0.0,
            positive=sum(score for score in scores if score > 0),
            negative=-sum(score for score in scores if score < 0),
            bare_negations=bare_negations,
        )

    def _clauses(self, tokens: Sequence[str], stems: Sequence[str]) -> Iterator[list[str]]:
        """Lexicon keys clause by clause: negation must not reach across punctuation."""
        clause: list[str] = []
        position = 0
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token in PUNCTUATION:
                if token == "!":
                    clause.append(token)
                yield clause
                clause = []
            elif found := self._phrases.longest_at(stems, position - 1):
                position, key = found
                if key in self._negated_phrases and clause and clause[-1] in self._negations:
                    clause.pop()
                if key:
                    clause.append(key)
            elif token in self._intensifiers:
                clause.append(token)
            elif token in self._transparent or token.isdigit():
                continue
            elif token in self._negations_after and self._negates_previous(clause):
                # Québec French drops "ne": in "ça marche pas" the negation follows its verb.
                clause.insert(len(clause) - 1, token)
            else:
                clause.append(token)
        yield clause

    def _negates_previous(self, clause: list[str]) -> bool:
        """Whether a negation just met negates the polar word before it rather than the next."""
        if (not clause or clause[-1] not in self._lexicon or clause[-1] in self._intensifiers
                or clause[-1] in self._negated_phrases):  # "marche plus pantoute": emphasis
            return False
        return self._lexicon[clause[-1]][None][0] != 0 and not self._negations.intersection(
            clause[-3:-1]
        )


def _cue_index(cues: list[str], language: str) -> PhraseIndex[bool]:
    return PhraseIndex((key, True) for cue in cues for key in phrase_keys(cue, language))


def _pattern_lexicon(language: str, negations: frozenset[str]) -> Any:
    """A private copy of the lexicon behind the language's TextBlob PatternAnalyzer."""
    # Imported here so that importing the package does not import textblob and nltk.
    with without_scipy():
        if language == "fr":
            from textblob_fr.sentiments import pattern_sentiment as shipped
        else:
            from textblob.en.sentiments import pattern_sentiment as shipped

    class Lexicon(type(shipped)):  # type: ignore[misc]
        # The shipped class routes every lookup through a Python-level lazy loader; the
        # analyzer looks each word up twice, so plain dict access halves its run time.
        __contains__ = dict.__contains__
        __getitem__ = dict.__getitem__

    lexicon = Lexicon(
        path=shipped.path,
        language=language,
        negations=tuple(negations),
        modifiers=shipped.modifiers,
        modifier=shipped.modifier,
    )
    lexicon.load()
    return lexicon
