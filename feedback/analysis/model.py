"""Linear models over named text features, stored as plain arrays (numpy .npz, never pickled).

Training (training.py) fits them with scikit-learn; using them needs numpy alone: a text's
features are looked up in a fixed vocabulary and the model's scores are one small sparse dot
product, so a process that only analyses texts never imports scikit-learn or scipy.

Features are grouped by the prefix before their first ':'. Sparse groups (word stems, bigrams,
negated stems, stems after "but", character n-grams) are weighted by inverse document frequency
and normalised to unit length group by group, then scaled by the group's weight; the other
features (cues, lexicon weights, pattern polarities) enter as they are, scaled by their group's
weight.
"""

import hashlib
import io
import json
import os
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, repeat
from typing import Self

import numpy as np

from feedback.analysis.features import KINDS, Features, char_grams
from feedback.analysis.resources import THEME_MODEL_FILE

_FORMAT = "echo-linear-model/2"
_LEGACY_FORMAT = "echo-logistic-model/1"
SPARSE_GROUPS = ("w", "b", "n", "m", "c")
# Distinct words whose n-gram columns a vocabulary keeps; the cache is emptied when full.
_MAX_CACHED_WORDS = 50_000
# Chosen by 5-fold cross-validation on the corpus: with 22,000 texts, word pairs carry more than
# single stems (themes' macro-F1 0.838 -> 0.842, sentiment 0.836 -> 0.840 against b 0.6, w 1.0).
DEFAULT_GROUP_WEIGHTS = {"w": 0.7, "b": 1.2, "n": 0.5, "m": 0.5, "c": 1.0, "q": 1.0}


def feature_group(name: str) -> str:
    """The group of a feature: its prefix before ':' ("w", "c", "q", "lex", ...)."""
    return name.split(":", 1)[0]


class Vocabulary:
    """Feature names with their columns, scales (idf for sparse features) and groups."""

    def __init__(
        self,
        names: Sequence[str],
        scale: np.ndarray,
        group_weights: Mapping[str, float] | None = None,
    ) -> None:
        self.names = tuple(names)
        self.index = {name: column for column, name in enumerate(self.names)}
        self.scale = np.asarray(scale, dtype=np.float64).reshape(len(self.names))
        weights = dict(DEFAULT_GROUP_WEIGHTS)
        weights.update(group_weights or {})
        group_names = sorted({feature_group(name) for name in self.names} | set(weights))
        self.group_names = tuple(group_names)
        self.group_weights = {name: float(weights.get(name, 1.0)) for name in group_names}
        group_index = {name: position for position, name in enumerate(group_names)}
        self.groups = np.fromiter(
            (group_index[feature_group(name)] for name in self.names),
            dtype=np.int64,
            count=len(self.names),
        )
        self._words: dict[str, np.ndarray] = {}
        # Models that share a vocabulary (the shipped ones do) share a text's vector too.
        self.key = hash(
            (self.names, self.scale.tobytes(), tuple(sorted(self.group_weights.items())))
        )
        self._normalised = np.array([name in SPARSE_GROUPS for name in group_names], dtype=bool)
        self._group_factor = np.array([self.group_weights[name] for name in group_names])

    @classmethod
    def fit(
        cls,
        rows: Sequence[Features],
        *,
        min_count: int = 2,
        group_weights: Mapping[str, float] | None = None,
    ) -> Self:
        """The features of the rows, sparse ones kept when in at least min_count rows."""
        counts: dict[str, int] = {}
        for row in rows:
            grams = {gram for word in row.words for gram in char_grams(word)}
            for name in chain(row.named, grams):
                counts[name] = counts.get(name, 0) + 1
        # Every kind of text is known to every model, so that models fitted on texts of unknown
        # kind can share a vocabulary with those fitted on texts of known kind.
        for kind in (*KINDS, "unknown"):
            counts.setdefault("q:kind:" + kind, 0)
        names = sorted(
            name
            for name, count in counts.items()
            if count >= min_count or feature_group(name) not in SPARSE_GROUPS
        )
        total = len(rows)
        scale = np.array(
            [
                np.log((1 + total) / (1 + counts[name])) + 1.0
                if feature_group(name) in SPARSE_GROUPS
                else 1.0
                for name in names
            ]
        )
        return cls(names, scale, group_weights)

    def vector(self, features: Features) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of one text's features."""
        named = features.named
        count = len(named)
        # map() over dict.get keeps the lookups in C: this is the pipeline's hot loop.
        columns = np.fromiter(
            map(self.index.get, named, repeat(-1, count)), dtype=np.int64, count=count
        )
        values = np.fromiter(named.values(), dtype=np.float64, count=count)
        if features.words:
            # An n-gram in several words is counted once per word (training does the same).
            word_columns = self._word_columns
            grams = np.concatenate([word_columns(word) for word in features.words])
            columns = np.concatenate([columns, grams])
            values = np.concatenate([values, np.ones(len(grams))])
        known = columns >= 0
        columns, values = columns[known], values[known]
        values *= self.scale[columns]
        groups = self.groups[columns]
        values *= self._factors(np.bincount(groups, values * values, len(self.group_names)))[
            groups
        ]
        return columns, values

    def _word_columns(self, word: str) -> np.ndarray:
        """Columns of a word's character n-grams, cached: words recur far more than texts."""
        found = self._words.get(word)
        if found is None:
            if len(self._words) >= _MAX_CACHED_WORDS:
                self._words.clear()
            index = self.index
            found = self._words[word] = np.array(
                [index[gram] for gram in char_grams(word) if gram in index], dtype=np.int64
            )
        return found

    def matrix(self, rows: Sequence[Features]):
        """The rows as a scipy CSR matrix, each exactly as vector() makes it (training only)."""
        from scipy.sparse import csr_matrix

        vectors = [self.vector(row) for row in rows]
        lengths = [len(columns) for columns, _ in vectors]
        pointers = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        columns = np.concatenate([c for c, _ in vectors]) if vectors else np.zeros(0, np.int64)
        values = np.concatenate([v for _, v in vectors]) if vectors else np.zeros(0)
        return csr_matrix((values, columns, pointers), shape=(len(rows), len(self.names)))

    def _factors(self, squared_sums: np.ndarray) -> np.ndarray:
        norms = np.sqrt(squared_sums)
        safe = np.where(norms > 0, norms, 1.0)
        return np.where(self._normalised, self._group_factor / safe, self._group_factor)


class LinearModel:
    """Scores of each label as a linear function of a text's features.

    Multi-label models (themes) give each label a calibrated probability, sigmoid(a * score + b),
    and a threshold of its own from which the label is predicted; multi-class models (sentiment)
    give a softmax over their labels.
    """

    multiclass = False

    def __init__(
        self,
        labels: Sequence[str],
        vocabulary: Vocabulary,
        weights: np.ndarray,
        bias: np.ndarray,
        *,
        calibration: np.ndarray | None = None,
        thresholds: np.ndarray | None = None,
        metadata: Mapping | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.vocabulary = vocabulary
        # float64 in memory (float32 on disk): mixed types take numpy's slow path in scores().
        self.weights = np.asarray(weights, dtype=np.float64).reshape(
            len(vocabulary.names), len(self.labels)
        )
        self.bias = np.asarray(bias, dtype=np.float64).reshape(len(self.labels))
        self.calibration = (
            np.tile([1.0, 0.0], (len(self.labels), 1))
            if calibration is None
            else np.asarray(calibration, dtype=np.float64).reshape(len(self.labels), 2)
        )
        self.thresholds = (
            np.full(len(self.labels), 0.5)
            if thresholds is None
            else np.asarray(thresholds, dtype=np.float64).reshape(len(self.labels))
        )
        self.metadata = dict(metadata or {})

    @property
    def features(self) -> tuple[str, ...]:
        """The names of the features the model knows."""
        return self.vocabulary.names

    def scores(
        self, features: Features, vector: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """Raw linear score of each label; vector, if given, is this model's vocabulary's
        vector of the features (computed once for models sharing a vocabulary)."""
        columns, values = vector if vector is not None else self.vocabulary.vector(features)
        return self.bias + values @ self.weights[columns]

    def probability_array(
        self, features: Features, vector: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """Probability of each label, in the order of self.labels."""
        return self.probabilities_from_scores(self.scores(features, vector)[None, :])[0]

    def probabilities_from_scores(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities for a (texts x labels) array of raw scores."""
        if self.multiclass:
            shifted = scores - scores.max(axis=1, keepdims=True)
            exponentials = np.exp(shifted)
            return exponentials / exponentials.sum(axis=1, keepdims=True)
        calibrated = scores * self.calibration[:, 0] + self.calibration[:, 1]
        return 1.0 / (1.0 + np.exp(-np.clip(calibrated, -30, 30)))

    def probabilities(
        self, features: Features, vector: tuple[np.ndarray, np.ndarray] | None = None
    ) -> dict[str, float]:
        """Probability of each label given a text's features."""
        if not self.labels:
            return {}
        probabilities = self.probability_array(features, vector).tolist()
        return dict(zip(self.labels, probabilities, strict=True))

    def contributions(self, features: Features, label: str) -> dict[str, float]:
        """How much each of the text's features adds to a label's score."""
        if label not in self.labels:
            return {}
        columns, values = self.vocabulary.vector(features)
        products = values * self.weights[columns, self.labels.index(label)]
        names = self.vocabulary.names
        return {names[c]: float(v) for c, v in zip(columns, products, strict=True)}

    def save(self, path: str | os.PathLike) -> None:
        """Write the model as an uncompressed-pickle-free .npz archive (whatever the suffix)."""
        metadata = {
            "format": _FORMAT,
            "class": type(self).__name__,
            "labels": list(self.labels),
            "group_weights": self.vocabulary.group_weights,
            **self.metadata,
        }
        arrays = {
            "metadata": _encode(json.dumps(metadata, ensure_ascii=False)),
            "features": _encode("\n".join(self.vocabulary.names)),
            "scale": self.vocabulary.scale.astype(np.float32),
            "weights": self.weights.astype(np.float32),
            "bias": self.bias,
            "calibration": self.calibration,
            "thresholds": self.thresholds,
        }
        # A file object, so that numpy does not append ".npz" to a path like "model.tmp".
        with open(path, "wb") as file:
            np.savez_compressed(file, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Self:
        """Read a model written by save(); ValueError if the file is not one."""
        with open(path, "rb") as file:
            content = file.read()
        if _is_legacy(content):
            return cls._legacy(path)
        refused = ValueError(f"{path} is not a model saved by {cls.__name__}.save()")
        try:
            with np.load(io.BytesIO(content), allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in archive.files}
            metadata = json.loads(_decode(arrays["metadata"]))
            if not isinstance(metadata, dict) or metadata.get("format") != _FORMAT:
                raise refused
            vocabulary = _shared_vocabulary(
                arrays["features"], arrays["scale"], metadata.get("group_weights")
            )
            extra = {
                key: value
                for key, value in metadata.items()
                if key not in {"format", "class", "labels", "group_weights"}
            }
            return cls(
                metadata["labels"],
                vocabulary,
                arrays["weights"],
                arrays["bias"],
                calibration=arrays["calibration"],
                thresholds=arrays["thresholds"],
                metadata=extra,
            )
        except (ValueError, KeyError, EOFError, TypeError, OSError, zipfile.BadZipFile) as error:
            raise refused from error

    @classmethod
    def _legacy(cls, path: str | os.PathLike) -> Self:
        raise ValueError(f"{path} is a model of an older format; rebuild it")


class ThemeModel(LinearModel):
    """The fitted theme classifier: one calibrated linear model and one threshold per theme."""

    @classmethod
    def _legacy(cls, path: str | os.PathLike) -> Self:
        # An installation retrained before the models changed format keeps its instance file
        # until the next retraining: analysing with the shipped model meanwhile beats failing.
        warnings.warn(
            f"{path} holds a theme model of an older format; the shipped model is used until "
            "the model is retrained from managers' corrections.",
            UserWarning,
            stacklevel=2,
        )
        return cls.load(THEME_MODEL_FILE)

    @property
    def top_threshold(self) -> float:
        """A text none of whose themes reaches its threshold still gets its likeliest theme from
        this probability up (above 1: never)."""
        return float(self.metadata.get("top_threshold", 2.0))

    def decide(self, probabilities: np.ndarray) -> np.ndarray:
        """Which labels a text gets, given their probabilities (in the order of self.labels)."""
        chosen = probabilities >= self.thresholds
        if len(chosen) and not chosen.any():
            best = int(np.argmax(probabilities))
            chosen[best] = probabilities[best] >= self.top_threshold
        return chosen

    def predict(
        self, features: Features, vector: tuple[np.ndarray, np.ndarray] | None = None
    ) -> dict[str, float]:
        """Probability of each label the text gets (see decide())."""
        if not self.labels:
            return {}
        probabilities = self.probability_array(features, vector)
        chosen = self.decide(probabilities)
        return {
            label: float(probability)
            for label, probability, keep in zip(self.labels, probabilities, chosen, strict=True)
            if keep
        }


class SentimentModel(LinearModel):
    """The fitted sentiment classifier: a multinomial logistic regression."""

    multiclass = True


_vocabularies: dict[bytes, Vocabulary] = {}
_MAX_SHARED_VOCABULARIES = 4


def _shared_vocabulary(
    features: np.ndarray, scale: np.ndarray, group_weights: Mapping[str, float] | None
) -> Vocabulary:
    """The Vocabulary of these arrays, one object for models that share it (the shipped theme
    and sentiment models do): loaded once, and its cache of words' n-grams serves both."""
    digest = hashlib.sha256(features.tobytes())
    digest.update(np.asarray(scale, dtype=np.float32).tobytes())
    digest.update(json.dumps(group_weights, sort_keys=True).encode())
    key = digest.digest()
    found = _vocabularies.get(key)
    if found is None:
        text = _decode(features)
        found = Vocabulary(text.split("\n") if text else [], scale, group_weights)
        if len(_vocabularies) >= _MAX_SHARED_VOCABULARIES:
            _vocabularies.clear()
        _vocabularies[key] = found
    return found


def _is_legacy(content: bytes) -> bool:
    """Whether the bytes are a model saved as JSON by the previous version of this module."""
    if not content.lstrip().startswith(b"{"):
        return False
    try:
        data = json.loads(content)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("format") == _LEGACY_FORMAT


def _encode(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _decode(array: np.ndarray) -> str:
    if array.dtype != np.uint8 or array.ndim != 1:
        raise ValueError("not a text array")
    return array.tobytes().decode("utf-8")


def column_names(vocabulary: Vocabulary, columns: Iterable[int]) -> list[str]:
    """Names of vocabulary columns (for explanations and debugging)."""
    return [vocabulary.names[column] for column in columns]
