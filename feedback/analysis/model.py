"""One-vs-rest logistic regressions over sparse named features, in numpy, saved as JSON."""

import json
import os
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Self

import numpy as np

_FORMAT = "echo-logistic-model/1"
_POSITIVE_WEIGHT_POWER = 0.75


class LogisticModel:
    """A fitted classifier giving each label its own probability; JSON-serialisable, never pickled.

    Besides features shared by all labels, each label may receive evidence of its own (a lexicon's
    score for that theme), which only that label's regression weighs.
    """

    def __init__(
        self,
        labels: Sequence[str],
        features: Sequence[str],
        weights: np.ndarray,
        bias: np.ndarray,
        evidence_weights: np.ndarray | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.features = tuple(features)
        self._index = {name: row for row, name in enumerate(self.features)}
        self._weights = np.asarray(weights, dtype=np.float64).reshape(
            len(self.features), len(self.labels)
        )
        self._bias = np.asarray(bias, dtype=np.float64).reshape(len(self.labels))
        shape = len(self.labels)
        self._evidence = (
            np.zeros(shape)
            if evidence_weights is None
            else np.asarray(evidence_weights).reshape(shape)
        )

    @classmethod
    def fit(
        cls,
        rows: Sequence[Mapping[str, float]],
        labels: Sequence[Collection[str]],
        *,
        evidence: Sequence[Mapping[str, float]] | None = None,
        min_count: int = 2,
        l2: float = 1e-3,
        iterations: int = 300,
        learning_rate: float = 0.05,
    ) -> Self:
        """Fit on feature rows, their label sets and optional per-label evidence.

        Features seen in fewer than min_count rows are dropped.
        """
        names = sorted({label for row_labels in labels for label in row_labels})
        counts = Counter(name for row in rows for name in row)
        features = sorted(name for name, count in counts.items() if count >= min_count)
        index = {name: column for column, name in enumerate(features)}
        entries = [
            (i, index[name], value)
            for i, row in enumerate(rows)
            for name, value in row.items()
            if name in index
        ]
        x = _SparseMatrix(entries, (len(rows), len(features)))
        shape = (len(rows), len(names))
        y = np.array(
            [[name in row_labels for name in names] for row_labels in labels], dtype=np.float64
        ).reshape(shape)
        e = np.array(
            [[row.get(name, 0.0) for name in names] for row in evidence or [{}] * len(rows)]
        ).reshape(shape)
        weights, bias, evidence_weights = _fit_logistic(
            x, y, e, l2=l2, iterations=iterations, learning_rate=learning_rate
        )
        return cls(names, features, weights, bias, evidence_weights)

    def probabilities(
        self, features: Mapping[str, float], evidence: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        """Probability of each label given a text's features and per-label evidence."""
        rows = [self._index[name] for name in features if name in self._index]
        values = np.fromiter(
            (features[self.features[row]] for row in rows), dtype=np.float64, count=len(rows)
        )
        scores = self._bias + values @ self._weights[rows]
        if evidence:
            scores += self._evidence * np.array([evidence.get(label, 0.0) for label in self.labels])
        return dict(zip(self.labels, (1.0 / (1.0 + np.exp(-scores))).tolist(), strict=True))

    def save(self, path: str | os.PathLike) -> None:
        """Write the model as JSON."""
        data = {
            "format": _FORMAT,
            "labels": self.labels,
            "features": self.features,
            "weights": np.round(self._weights, 6).tolist(),
            "bias": np.round(self._bias, 6).tolist(),
            "evidence_weights": np.round(self._evidence, 6).tolist(),
        }
        with open(path, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, path: str | os.PathLike) -> Self:
        """Read a model written by save(); ValueError if the file is not one."""
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"{path} is not a model saved by {cls.__name__}.save()")
        return cls(
            data["labels"],
            data["features"],
            np.array(data["weights"]),
            np.array(data["bias"]),
            np.array(data["evidence_weights"]),
        )


class ThemeModel(LogisticModel):
    """The fitted theme classifier: one logistic regression per theme code."""


class _SparseMatrix:
    """The few products training needs, on a matrix stored as (row, column, value) entries."""

    def __init__(self, entries: list[tuple[int, int, float]], shape: tuple[int, int]) -> None:
        self.shape = shape
        rows, columns, values = zip(*entries, strict=True) if entries else ((), (), ())
        self._rows = np.array(rows, dtype=np.intp)
        self._columns = np.array(columns, dtype=np.intp)
        self._values = np.array(values, dtype=np.float64)

    def __matmul__(self, matrix: np.ndarray) -> np.ndarray:
        """self @ matrix."""
        products = self._values[:, None] * matrix[self._columns]
        return _sum_by(self._rows, products, self.shape[0])

    def transposed_matmul(self, matrix: np.ndarray) -> np.ndarray:
        """self.T @ matrix."""
        products = self._values[:, None] * matrix[self._rows]
        return _sum_by(self._columns, products, self.shape[1])


def _sum_by(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sum the rows of values into `size` rows according to groups."""
    result = np.zeros((size, values.shape[1]))
    for column in range(values.shape[1]):
        result[:, column] = np.bincount(groups, weights=values[:, column], minlength=size)
    return result


def _fit_logistic(
    x: _SparseMatrix,
    y: np.ndarray,
    evidence: np.ndarray,
    *,
    l2: float,
    iterations: int,
    learning_rate: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full-batch Adam on the mean log-loss of every label at once; L2 on shared features only."""
    n, d = x.shape
    weights, bias, evidence_weights = (
        np.zeros((d, y.shape[1])),
        np.zeros(y.shape[1]),
        np.zeros(y.shape[1]),
    )
    # Positives are rare for each label; weighting them keeps recall from collapsing. The power
    # below one stops short of full balance, which cross-validation on the shipped examples found
    # too eager.
    positives = y.sum(axis=0)
    positive_weight = (
        np.maximum(n - positives, 1.0) / np.maximum(positives, 1.0)
    ) ** _POSITIVE_WEIGHT_POWER
    sample_weight = np.where(y > 0, positive_weight, 1.0)
    parameters = (weights, bias, evidence_weights)
    moments = [(np.zeros_like(parameter), np.zeros_like(parameter)) for parameter in parameters]
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for step in range(1, iterations + 1):
        predicted = 1.0 / (1.0 + np.exp(-(x @ weights + bias + evidence * evidence_weights)))
        error = sample_weight * (predicted - y) / n
        gradients = (
            x.transposed_matmul(error) + l2 * weights,
            error.sum(axis=0),
            (error * evidence).sum(axis=0),
        )
        for parameter, gradient, (first, second) in zip(
            parameters, gradients, moments, strict=True
        ):
            first *= beta1
            first += (1 - beta1) * gradient
            second *= beta2
            second += (1 - beta2) * gradient**2
            parameter -= (
                learning_rate
                * (first / (1 - beta1**step))
                / (np.sqrt(second / (1 - beta2**step)) + epsilon)
            )
    return weights, bias, evidence_weights
