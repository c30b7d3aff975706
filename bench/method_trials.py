"""Cross-validated trials of other ways to decide themes and sentiment from the same features.

Each trial is scored on the same folds as bench/cross_validate.py (the independent writers' texts
only) and set against the shipped method, a calibrated linear SVM per theme with thresholds
chosen on inner cross-validated probabilities:
- lr: a logistic regression per theme in place of the SVM;
- avg: the SVM's and the regression's calibrated probabilities averaged;
- joint: one calibration per theme over both models' scores (still one linear model);
- stack: a second logistic regression per theme over every theme's scores from both models (a
  classifier chain without an order: training vs workflow, configuration vs workflow);
- count: a model of how many themes a text has (1, 2, 3+) from its sorted probabilities, then
  that many of the likeliest themes;
- sentiment: the SVMs' calibrated scores (shipped), a multinomial logistic regression, both
  averaged, and one calibration over both models' scores.

A trial is worth adopting when it gains at least 0.005 of macro-F1 or sentiment accuracy.

Run: .venv/bin/python bench/method_trials.py [--scheme cv|lowo]
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cross_validate import CORE, read_corpus, splits  # noqa: E402

from feedback.analysis.features import with_kind  # noqa: E402
from feedback.analysis.model import Vocabulary  # noqa: E402
from feedback.analysis.sentiment import LABELS  # noqa: E402
from feedback.analysis.themes import THEMES  # noqa: E402
from feedback.analysis.training import (  # noqa: E402
    MIN_FEATURE_COUNT,
    SENTIMENT_C,
    THEME_C,
    best_threshold,
    best_top_threshold,
    corpus_rows,
    with_kinds,
)

# Regularisation of the logistic regressions, in the units of the SVMs' C (features scaled alike).
LR_C = 5.0
INNER_FOLDS = 3


def _svm(c: float):
    from sklearn.svm import LinearSVC

    return LinearSVC(C=c, random_state=0, max_iter=5000)


def _theme_lr():
    from sklearn.linear_model import LogisticRegression

    # The dual solver: far faster than the primal when features outnumber texts.
    return LogisticRegression(C=LR_C, solver="liblinear", dual=True, max_iter=2000)


def _logistic(c: float = 100.0):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000)


def inner_scores(make, matrix, target, test_matrix, inner) -> tuple[np.ndarray, np.ndarray]:
    """Cross-validated scores on the training texts, and the full model's on the test texts."""
    classes = len(np.unique(target))
    held_out = np.zeros(len(target)) if classes == 2 else np.zeros((len(target), classes))
    for train, test in inner:
        held_out[test] = make().fit(matrix[train], target[train]).decision_function(matrix[test])
    return held_out, make().fit(matrix, target).decision_function(test_matrix)


def calibrated(held_out: np.ndarray, test: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per-theme probabilities from one logistic calibration over each theme's score columns
    (held_out and test: texts x themes x columns)."""
    train_p, test_p = np.zeros(y.shape), np.zeros((len(test), y.shape[1]))
    for column in range(y.shape[1]):
        calibrator = _logistic().fit(held_out[:, column], y[:, column])
        train_p[:, column] = calibrator.predict_proba(held_out[:, column])[:, 1]
        test_p[:, column] = calibrator.predict_proba(test[:, column])[:, 1]
    return train_p, test_p


def decide(train_p: np.ndarray, test_p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Thresholds and the likeliest-theme rule chosen on held-out probabilities, as shipped."""
    thresholds = np.array([best_threshold(y[:, j], train_p[:, j]) for j in range(y.shape[1])])
    chosen = test_p >= thresholds
    top = best_top_threshold(y, train_p, thresholds)
    rows = np.flatnonzero(~chosen.any(axis=1) & (test_p.max(axis=1) >= top))
    chosen[rows, test_p.argmax(axis=1)[rows]] = True
    return chosen


def stacked(train_p: np.ndarray, test_p: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Second-stage probabilities from every theme's log-odds (held out again for thresholds)."""
    from sklearn.model_selection import KFold, cross_val_predict

    def log_odds(p):
        p = np.clip(p, 1e-4, 1 - 1e-4)
        return np.log(p / (1 - p))

    features, test_features = log_odds(train_p), log_odds(test_p)
    train_s, test_s = np.zeros(y.shape), np.zeros(test_p.shape)
    for j in range(y.shape[1]):
        model = _logistic(1.0)
        train_s[:, j] = cross_val_predict(
            model,
            features,
            y[:, j],
            cv=KFold(5, shuffle=True, random_state=0),
            method="predict_proba",
        )[:, 1]
        test_s[:, j] = model.fit(features, y[:, j]).predict_proba(test_features)[:, 1]
    return train_s, test_s


def by_count(train_p: np.ndarray, test_p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The likeliest k themes, k predicted from the sorted probabilities (1, 2 or 3+)."""
    counts = np.minimum(y.sum(axis=1), 3)
    model = _logistic(1.0).fit(-np.sort(-train_p, axis=1), counts)
    k = model.predict(-np.sort(-test_p, axis=1))
    order = np.argsort(-test_p, axis=1)
    chosen = np.zeros(test_p.shape, dtype=bool)
    for row, size in enumerate(k):
        chosen[row, order[row, :size]] = True
    return chosen


def theme_f1(labels: np.ndarray, guess: np.ndarray) -> tuple[float, float, list[float]]:
    """Macro-F1, core-3 F1 and each theme's F1."""
    f1 = []
    for j in range(labels.shape[1]):
        true_positives = (labels[:, j] & guess[:, j]).sum()
        f1.append(2 * true_positives / max(labels[:, j].sum() + guess[:, j].sum(), 1))
    core = [f1[THEMES.index(code)] for code in CORE]
    return float(np.mean(f1)), float(np.mean(core)), f1


def run(rows, features, scheme: str, folds: int) -> None:
    from sklearn.model_selection import KFold, StratifiedKFold

    n = len(rows)
    y_all = np.array([[code in row["themes"] for code in THEMES] for row in rows], dtype=int)
    sentiment = np.array(
        [LABELS.index(row["sentiment"]) if row["sentiment"] else -1 for row in rows]
    )
    themes: dict[str, np.ndarray] = {}
    moods: dict[str, np.ndarray] = {}
    tested = np.zeros(n, dtype=bool)
    for name, train, test in splits(rows, scheme, folds):
        started = time.perf_counter()
        tested[test] = True
        vocabulary = Vocabulary.fit([features[i] for i in train], min_count=MIN_FEATURE_COUNT)
        matrix = vocabulary.matrix([features[i] for i in train])
        test_matrix = vocabulary.matrix([features[i] for i in test])
        y = y_all[train]
        inner = list(KFold(INNER_FOLDS, shuffle=True, random_state=0).split(matrix))
        scores = {}
        for model, make in (("svm", lambda: _svm(THEME_C)), ("lr", _theme_lr)):
            pairs = [
                inner_scores(make, matrix, y[:, j], test_matrix, inner) for j in range(len(THEMES))
            ]
            scores[model] = (np.stack([p[0] for p in pairs], 1), np.stack([p[1] for p in pairs], 1))
        probabilities = {
            model: calibrated(held[:, :, None], out[:, :, None], y)
            for model, (held, out) in scores.items()
        }
        both = (
            np.stack([scores["svm"][0], scores["lr"][0]], 2),
            np.stack([scores["svm"][1], scores["lr"][1]], 2),
        )
        average = tuple((probabilities["svm"][k] + probabilities["lr"][k]) / 2 for k in (0, 1))
        decisions = {
            "svm (shipped)": decide(*probabilities["svm"], y),
            "lr": decide(*probabilities["lr"], y),
            "avg(svm, lr)": decide(*average, y),
            "joint(svm, lr)": decide(*calibrated(*both, y), y),
            "stack(svm, lr)": decide(*stacked(*average, y), y),
            "count(svm)": by_count(*probabilities["svm"], y),
        }
        for trial, chosen in decisions.items():
            themes.setdefault(trial, np.zeros((n, len(THEMES)), dtype=bool))[test] = chosen

        labelled = np.array([i for i in train if sentiment[i] >= 0])
        rows_with_kind = with_kinds(
            [features[i] for i in labelled], [rows[i]["kind"] for i in labelled]
        )
        vocabulary = Vocabulary.fit(rows_with_kind, min_count=MIN_FEATURE_COUNT)
        matrix = vocabulary.matrix(rows_with_kind)
        target = sentiment[labelled]
        test_matrix = vocabulary.matrix([with_kind(features[i], None) for i in test])
        inner = list(
            StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=0).split(matrix, target)
        )
        made = {
            "svm (shipped)": inner_scores(
                lambda: _svm(SENTIMENT_C), matrix, target, test_matrix, inner
            ),
            "lr": inner_scores(lambda: _logistic(10.0), matrix, target, test_matrix, inner),
        }
        probabilities = {
            model: _logistic().fit(held, target).predict_proba(out)
            for model, (held, out) in made.items()
        }
        joint = (
            _logistic()
            .fit(np.hstack([made[m][0] for m in made]), target)
            .predict_proba(np.hstack([made[m][1] for m in made]))
        )
        for trial, p in (
            *probabilities.items(),
            ("avg(svm, lr)", sum(probabilities.values())),
            ("joint(svm, lr)", joint),
        ):
            moods.setdefault(trial, np.full(n, -1))[test] = p.argmax(axis=1)
        print(
            f"  {name}: {len(test)} texts, {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )

    index = np.flatnonzero(tested)
    labels = y_all[index].astype(bool)
    print(f"== {scheme}: {len(index)} texts (themes; sentiment without the kind)")
    print(
        f"{'trial':<18}{'macro':>7}{'core3':>7}  "
        + " ".join(f"{c[:4]:>5}" for c in THEMES)
        + f"{'per text':>10}"
    )
    for trial, guess in themes.items():
        macro, core, f1 = theme_f1(labels, guess[index])
        print(
            f"{trial:<18}{macro:>7.3f}{core:>7.3f}  "
            + " ".join(f"{v:>5.3f}" for v in f1)
            + f"{guess[index].sum(axis=1).mean():>10.2f}"
        )
    for trial, guess in moods.items():
        print(f"sentiment {trial:<18}{float((guess[index] == sentiment[index]).mean()):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scheme", choices=("cv", "lowo"), default="cv")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    warnings.simplefilter("ignore", category=FutureWarning)
    rows = corpus_rows()
    features, _ = read_corpus(rows)
    with threadpool_limits(limits=1):
        run(rows, features, args.scheme, args.folds)


if __name__ == "__main__":
    main()
