"""From a raw text to what the models read: the Document, the lexicon's hits and the features."""

from dataclasses import dataclass

from feedback.analysis.document import Document, Reader
from feedback.analysis.features import contrast_start, text_features
from feedback.analysis.sentiment import attitude_reader
from feedback.analysis.text import LANGUAGES
from feedback.analysis.themes import LexiconHits, ThemeLexicon

_NO_HITS = LexiconHits({}, {}, frozenset())


@dataclass(frozen=True)
class Reading:
    """A text read for the models."""

    document: Document
    hits: LexiconHits
    features: dict[str, float]


class FeatureReader:
    """Reads texts into features, with a theme lexicon (the shipped one, or with admins' terms).

    Typos are corrected towards the words of the theme and sentiment lexicons. The theme
    lexicon's hits are not features: they carry admins' keywords and the themes a model does not
    know (see pipeline.py).
    """

    def __init__(self, lexicon: ThemeLexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else ThemeLexicon()
        self._attitude = attitude_reader()
        self.reader = Reader(
            {
                language: self.lexicon.stems(language) | self._attitude.stems(language)
                for language in LANGUAGES
            }
        )

    def read(self, text: str, kind: str | None = None, *, match: bool = True) -> Reading:
        """Redact, detect the language, tokenise and stem, compute the features and, unless
        match is false, find the theme lexicon's terms (the hits are empty otherwise)."""
        document = self.reader.read(text)
        return self.features_of(document, kind, match=match)

    def features_of(
        self, document: Document, kind: str | None = None, *, match: bool = True
    ) -> Reading:
        hits = self.lexicon.match(document) if match else _NO_HITS
        masked = hits.masked if match else self.lexicon.masked(document)
        pattern = self._attitude.cues(document)
        after = contrast_start(document.tokens)
        if after < len(document.tokens):
            # The attitude of the clause after "mais / but", which usually dominates, and of the
            # one before it: "good, but..." is rarely praise.
            tokens, stems = document.tokens, document.stems
            head = Document(document.redacted, document.language, tokens[:after], stems[:after])
            tail = Document(document.redacted, document.language, tokens[after:], stems[after:])
            head_cues, tail_cues = self._attitude.cues(head), self._attitude.cues(tail)
            pattern["after_polarity"] = tail_cues["polarity"]
            pattern["after_negative"] = tail_cues["negative"]
            pattern["after_positive"] = tail_cues["positive"]
            pattern["before_polarity"] = head_cues["polarity"]
            pattern["good_but"] = float(head_cues["polarity"] > 0)
        features = text_features(document, kind, pattern, masked, after)
        return Reading(document, hits, features)
