"""What an analysis returns: plain frozen dataclasses."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sentiment:
    """The writer's attitude: 'negative', 'neutral' or 'positive', and a polarity in [-1, 1]."""

    label: str
    polarity: float


@dataclass(frozen=True)
class ThemeScore:
    """A theme code and the confidence, in [0, 1], that the text is about it."""

    code: str
    confidence: float


@dataclass(frozen=True)
class Analysis:
    """Redacted text, language, sentiment and themes (most confident first) of one feedback text."""

    redacted: str
    language: str
    sentiment: Sentiment
    themes: tuple[ThemeScore, ...]
