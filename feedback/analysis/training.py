"""The shipped corpus, and fitting the theme and sentiment models on examples like it.

Fitting needs scikit-learn (imported on first use only); the fitted models need numpy alone.

Themes: one linear SVM per theme over the text's features; its scores are turned into
probabilities by a sigmoid fitted on cross-validated scores (Platt scaling), and each theme gets
the threshold that maximised its F1 on those cross-validated probabilities, which also makes the
number of themes per text match the labels'. Sentiment: one linear SVM per label, whose
cross-validated scores calibrate a multinomial logistic regression folded into the weights.
"""

import functools
import json
from collections.abc import Collection, Iterable, Sequence

import numpy as np

from feedback.analysis.features import Features, with_kind
from feedback.analysis.model import SentimentModel, ThemeModel, Vocabulary
from feedback.analysis.reading import FeatureReader
from feedback.analysis.resources import CORPUS_FILE
from feedback.analysis.sentiment import LABELS
from feedback.analysis.themes import THEMES, ThemeLexicon

# Regularisation of the linear SVMs, chosen by 5-fold cross-validation on the corpus
# (bench/cross_validate.py): themes' macro-F1 is flat from 0.2 to 0.5 (0.815 at 0.05, 0.833 at
# 1.0); sentiment accuracy peaks at 0.3 (0.822 at 0.1, 0.827 at 1.0).
THEME_C = 0.3
SENTIMENT_C = 0.3
MIN_FEATURE_COUNT = 2
# Share of the sentiment model's training texts whose kind (survey, observation) it is not shown.
KIND_DROPOUT = 0.5
# Folds of the cross-validation inside fitting that calibrates scores and picks thresholds.
_CALIBRATION_FOLDS = 3
# A theme with fewer positive (or negative) examples than this keeps the 0.5 threshold.
_MIN_EXAMPLES_FOR_THRESHOLD = 10
_SEED = 0


def corpus_rows() -> list[dict]:
    """The shipped corpus, one dict per text."""
    with open(CORPUS_FILE, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def training_rows() -> list[dict]:
    """The shipped texts whose sentiment is labelled too: text, themes, sentiment, language."""
    return [row for row in corpus_rows() if row.get("sentiment")]


def training_examples() -> list[tuple[str, frozenset[str]]]:
    """Every labelled example shipped with the package for themes: (text, theme codes)."""
    return [(row["text"], frozenset(row["themes"])) for row in corpus_rows()]


def read_texts(texts: Iterable[str]) -> list[Features]:
    """Features of texts (of unknown kind) as the shipped lexicons read them."""
    reader = FeatureReader(ThemeLexicon())
    return [reader.read(text).features for text in texts]


def train_model(examples: Iterable[tuple[str, Collection[str]]]) -> ThemeModel:
    """Fit a theme model on (text, theme codes) pairs: the shipped ones plus corrections, say."""
    examples = list(examples)
    rows = read_texts(text for text, _ in examples)
    return fit_theme_model(rows, [frozenset(codes) for _, codes in examples])


def train_sentiment_model(
    examples: Iterable[tuple[str, str] | tuple[str, str, str | None]],
    *,
    vocabulary: Vocabulary | None = None,
) -> SentimentModel:
    """Fit the sentiment model on (text, 'negative' | 'neutral' | 'positive'[, kind]) tuples."""
    examples = list(examples)
    rows = read_texts(text for text, *_ in examples)
    kinds = [example[2] if len(example) > 2 else None for example in examples]
    return fit_sentiment_model(
        with_kinds(rows, kinds), [example[1] for example in examples], vocabulary=vocabulary
    )


def with_kinds(
    rows: Sequence[Features], kinds: Sequence[str | None], *, dropout: float = KIND_DROPOUT
) -> list[Features]:
    """The rows with their texts' kinds, hidden for a share of them (every other one at 0.5)
    so that the sentiment model also learns to do without: the app does not always know it."""
    step = round(1 / dropout) if dropout > 0 else 0
    return [
        with_kind(row, None if step and position % step == step - 1 else kind)
        for position, (row, kind) in enumerate(zip(rows, kinds, strict=True))
    ]


def _single_threaded(function):
    """Run a fitting function with one BLAS thread: results must not depend on scheduling (the
    shipped models are checked to be exactly what build_models makes), and threads gain nothing
    on these small problems."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return function(*args, **kwargs)

    return wrapper


@_single_threaded
def fit_theme_model(
    rows: Sequence[dict[str, float]],
    labels: Sequence[Collection[str]],
    *,
    c: float = THEME_C,
    group_weights: dict[str, float] | None = None,
    vocabulary: Vocabulary | None = None,
) -> ThemeModel:
    """Fit the theme model on feature rows and their theme sets."""
    known = set(THEMES)
    codes = [code for code in THEMES if any(code in row for row in labels)]
    codes += sorted({code for row in labels for code in row} - known)
    if vocabulary is None:
        vocabulary = Vocabulary.fit(
            rows, min_count=MIN_FEATURE_COUNT, group_weights=group_weights
        )
    if not codes:
        return ThemeModel((), vocabulary, np.zeros((len(vocabulary.names), 0)), np.zeros(0))
    matrix = vocabulary.matrix(rows)
    y = np.array([[code in row for code in codes] for row in labels], dtype=np.int64)
    weights = np.zeros((len(vocabulary.names), len(codes)))
    bias = np.zeros(len(codes))
    calibration = np.tile([1.0, 0.0], (len(codes), 1))
    thresholds = np.full(len(codes), 0.5)
    # Cross-validated probabilities, for choosing the rule that gives a theme to a text whose
    # themes all fall short of their thresholds (NaN: a theme too rare to cross-validate).
    held_out = np.full(y.shape, np.nan)
    for column in range(len(codes)):
        target = y[:, column]
        positives = int(target.sum())
        if positives in (0, len(target)):
            bias[column] = 30.0 if positives else -30.0
            continue
        svm = _svm(c).fit(matrix, target)
        weights[:, column] = svm.coef_[0]
        bias[column] = svm.intercept_[0]
        folds = min(_CALIBRATION_FOLDS, positives, len(target) - positives)
        if folds < 2:
            continue
        scores = _cross_validated_scores(matrix, target, folds, c)
        slope, intercept = _platt(scores, target)
        calibration[column] = slope, intercept
        probabilities = 1.0 / (1.0 + np.exp(-(slope * scores + intercept)))
        held_out[:, column] = probabilities
        if min(positives, len(target) - positives) >= _MIN_EXAMPLES_FOR_THRESHOLD:
            thresholds[column] = best_threshold(target, probabilities)
    metadata = {"c": c}
    if not np.isnan(held_out).any():
        metadata["top_threshold"] = best_top_threshold(y, held_out, thresholds)
    return ThemeModel(
        codes,
        vocabulary,
        weights,
        bias,
        calibration=calibration,
        thresholds=thresholds,
        metadata=metadata,
    )


@_single_threaded
def fit_sentiment_model(
    rows: Sequence[dict[str, float]],
    labels: Sequence[str],
    *,
    c: float = SENTIMENT_C,
    group_weights: dict[str, float] | None = None,
    vocabulary: Vocabulary | None = None,
) -> SentimentModel:
    """Fit the sentiment model on feature rows and their labels (with a vocabulary of its own,
    or the theme model's, which lets the pipeline look a text's features up once)."""
    names = [label for label in LABELS if label in set(labels)]
    names += sorted(set(labels) - set(LABELS))
    if vocabulary is None:
        vocabulary = Vocabulary.fit(
            rows, min_count=MIN_FEATURE_COUNT, group_weights=group_weights
        )
    size = len(vocabulary.names)
    if len(names) < 2:
        return SentimentModel(names, vocabulary, np.zeros((size, len(names))), np.zeros(len(names)))
    matrix = vocabulary.matrix(rows)
    target = np.array([names.index(label) for label in labels])
    svm = _svm(c).fit(matrix, target)
    weights, bias = _ovr_arrays(svm, len(names))
    counts = np.bincount(target, minlength=len(names))
    folds = min(_CALIBRATION_FOLDS, int(counts.min()))
    if folds >= 2:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        scores = np.zeros((len(target), len(names)))
        split = StratifiedKFold(folds, shuffle=True, random_state=_SEED)
        for train, test in split.split(matrix, target):
            fold_weights, fold_bias = _ovr_arrays(_svm(c).fit(matrix[train], target[train]),
                                                  len(names))
            scores[test] = matrix[test] @ fold_weights + fold_bias
        calibrator = LogisticRegression(C=100.0, max_iter=1000).fit(scores, target)
        # softmax(A (W x + b) + c) is still linear in x: fold the calibration into the weights.
        slope, intercept = calibrator.coef_, calibrator.intercept_
        if len(names) == 2:
            slope = np.vstack([-slope / 2, slope / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        weights, bias = weights @ slope.T, bias @ slope.T + intercept
    return SentimentModel(names, vocabulary, weights, bias, metadata={"c": c})


def best_threshold(target: np.ndarray, probabilities: np.ndarray) -> float:
    """The probability threshold that maximises F1 (ties: the middle of the best range)."""
    candidates = np.round(np.arange(0.05, 0.951, 0.01), 2)
    predicted = probabilities[None, :] >= candidates[:, None]
    true_positives = (predicted & (target[None, :] > 0)).sum(axis=1)
    f1 = 2 * true_positives / np.maximum(predicted.sum(axis=1) + target.sum(), 1)
    best = np.flatnonzero(f1 >= f1.max() - 1e-9)
    return float(candidates[best[len(best) // 2]])


def best_top_threshold(y: np.ndarray, probabilities: np.ndarray, thresholds: np.ndarray) -> float:
    """The probability from which a text none of whose themes reaches its threshold still gets
    its likeliest one, chosen for macro-F1 on cross-validated probabilities (2.0: never)."""
    chosen = probabilities >= thresholds
    empty = ~chosen.any(axis=1)
    best = probabilities.argmax(axis=1)

    def macro_f1(decisions: np.ndarray) -> float:
        true_positives = (decisions & (y > 0)).sum(axis=0)
        return float(np.mean(2 * true_positives / np.maximum(decisions.sum(0) + y.sum(0), 1)))

    found, score = 2.0, macro_f1(chosen)
    for candidate in np.round(np.arange(0.05, 0.5, 0.05), 2):
        decisions = chosen.copy()
        rows = np.flatnonzero(empty & (probabilities.max(axis=1) >= candidate))
        decisions[rows, best[rows]] = True
        candidate_score = macro_f1(decisions)
        if candidate_score > score + 1e-9:
            found, score = float(candidate), candidate_score
    return found


def _svm(c: float):
    from sklearn.svm import LinearSVC

    return LinearSVC(C=c, random_state=_SEED, max_iter=5000)


def _ovr_arrays(svm, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(features x labels) weights and biases of a fitted one-vs-rest LinearSVC."""
    coefficients, intercepts = svm.coef_, svm.intercept_
    if size == 2:  # a binary SVM has one row, for the second label
        coefficients = np.vstack([-coefficients[0] / 2, coefficients[0] / 2])
        intercepts = np.array([-intercepts[0] / 2, intercepts[0] / 2])
    return coefficients.T, intercepts


def _cross_validated_scores(matrix, target: np.ndarray, folds: int, c: float) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    scores = np.zeros(len(target))
    split = StratifiedKFold(folds, shuffle=True, random_state=_SEED)
    for train, test in split.split(matrix, target):
        scores[test] = _svm(c).fit(matrix[train], target[train]).decision_function(matrix[test])
    return scores


def _platt(scores: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """Slope and intercept of the sigmoid that best maps scores to probabilities."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=100.0).fit(scores.reshape(-1, 1), target)
    return float(fitted.coef_[0, 0]), float(fitted.intercept_[0])
