"""Tell French from English, including short, unaccented and mixed texts."""

from collections.abc import Sequence

from feedback.analysis.resources import stopwords
from feedback.analysis.text import LANGUAGES

# Most feedback is Québec French, so a text the model is unsure about is read as French.
_ENGLISH_MIN_PROBABILITY = 0.75


class LanguageDetector:
    """Counts each language's function words; py3langid settles the texts they leave open."""

    def __init__(self) -> None:
        # Imported here rather than at module level so the app starts without loading the model.
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        words = stopwords()
        self._french, self._english = words["fr"], words["en"]
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(list(LANGUAGES))

    def detect(self, text: str, tokens: Sequence[str]) -> str:
        """'fr' or 'en' for a text and its folded tokens; 'fr' when there is nothing to go on."""
        french = sum(token in self._french for token in tokens)
        english = sum(token in self._english for token in tokens)
        # Function words decide when one language clearly dominates: they are what makes a
        # mixed text's main language, and character n-grams are fooled by anglicisms.
        if abs(french - english) >= max(2, (french + english) / 3):
            return "fr" if french > english else "en"
        if not any(character.isalpha() for character in text):
            return "fr"
        ranking = dict(self._identifier.rank(text))
        return "en" if ranking["en"] >= _ENGLISH_MIN_PROBABILITY else "fr"
