"""Cross-validated scores of the theme and sentiment models on the shipped corpus.

Two schemes, both scoring only the independent writers' texts (the older examples are always in
the training side):
- cv: stratified k-fold over the whole corpus;
- lowo: leave one writer out, train on the others (and the older examples), score the one left
  out: the best stand-in for text written by people the models have never read.

With --writers (writer names or prefixes, comma-separated), cv scores only those writers' texts
and trains every fold on all the other writers' texts as well: how the texts of the first seven
writers score as more writers join (--writers w1-,w2-,w3-,w4-,w5-,w6-,w7-), on the same texts.

Run: .venv/bin/python bench/cross_validate.py [--scheme cv|lowo|both] [--folds 5] [--writers W]
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis.features import with_kind  # noqa: E402
from feedback.analysis.reading import FeatureReader  # noqa: E402
from feedback.analysis.sentiment import LABELS  # noqa: E402
from feedback.analysis.themes import THEMES  # noqa: E402
from feedback.analysis.training import (  # noqa: E402
    SENTIMENT_C,
    THEME_C,
    corpus_rows,
    fit_sentiment_model,
    fit_theme_model,
)

CORE = ("access", "training", "workflow")


def read_corpus(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Features (kind unknown) and detected language of every row."""
    reader = FeatureReader()
    readings = [reader.read(row["text"]) for row in rows]
    return [r.features for r in readings], [r.document.language for r in readings]


def splits(rows: list[dict], scheme: str, folds: int, seed: int = 1,
           writers_scored: tuple[str, ...] = ()):
    """(train indices, test indices) pairs; tests hold the independent writers' texts only (or
    the texts of writers_scored, whose folds then train on every other writer's texts too)."""
    from sklearn.model_selection import StratifiedKFold

    writers = np.array([row["writer"] for row in rows])
    scored = np.array([not writer.startswith("old-") for writer in writers])
    if writers_scored and scheme == "cv":
        chosen = np.flatnonzero([writer.startswith(writers_scored) for writer in writers])
        others = np.setdiff1d(np.arange(len(rows)), chosen)
        subset = [rows[i] for i in chosen]
        for name, train, test in splits(subset, scheme, folds, seed):
            yield name, np.concatenate([chosen[train], others]), chosen[test]
        return
    if scheme == "lowo":
        for writer in sorted(set(writers[scored])):
            yield writer, np.flatnonzero(writers != writer), np.flatnonzero(writers == writer)
        return
    strata = [
        (row["themes"][0] if row["themes"] else "none") + str(row["sentiment"]) for row in rows
    ]
    split = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for fold, (train, test) in enumerate(split.split(np.zeros(len(rows)), strata)):
        yield f"fold {fold + 1}", train, test[scored[test]]


def run(rows, features, languages, scheme, folds, *, theme_c, sentiment_c, kind_dropout,
        verbose=True, writers_scored: tuple[str, ...] = ()) -> dict:
    n = len(rows)
    predicted = np.zeros((n, len(THEMES)), dtype=bool)
    sentiment_with_kind = np.full(n, -1)
    sentiment_without_kind = np.full(n, -1)
    tested = np.zeros(n, dtype=bool)
    rng = np.random.default_rng(0)
    for name, train, test in splits(rows, scheme, folds, writers_scored=writers_scored):
        started = time.perf_counter()
        model = fit_theme_model([features[i] for i in train], [rows[i]["themes"] for i in train],
                                c=theme_c)
        labelled = [i for i in train if rows[i]["sentiment"]]
        sentiment_rows = [
            with_kind(features[i], None if rng.random() < kind_dropout else rows[i]["kind"])
            for i in labelled
        ]
        sentiment = fit_sentiment_model(
            sentiment_rows, [rows[i]["sentiment"] for i in labelled], c=sentiment_c
        )
        columns = [model.labels.index(code) if code in model.labels else None for code in THEMES]
        for i in test:
            chosen = model.decide(model.probability_array(features[i]))
            for j, column in enumerate(columns):
                if column is not None:
                    predicted[i, j] = chosen[column]
            for target, kind in ((sentiment_with_kind, rows[i]["kind"]),
                                 (sentiment_without_kind, None)):
                target[i] = LABELS.index(
                    sentiment.labels[int(np.argmax(sentiment.probability_array(
                        with_kind(features[i], kind))))]
                )
        tested[test] = True
        if verbose:
            print(f"  {name}: {len(test)} texts, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    return scores(rows, languages, predicted, sentiment_with_kind, sentiment_without_kind, tested)


def scores(rows, languages, predicted, with_kind_, without_kind, tested) -> dict:
    index = np.flatnonzero(tested)
    labels = np.array([[code in rows[i]["themes"] for code in THEMES] for i in index])
    guess = predicted[index]
    per_theme = {}
    for j, code in enumerate(THEMES):
        true_positives = int((labels[:, j] & guess[:, j]).sum())
        precision = true_positives / max(int(guess[:, j].sum()), 1)
        recall = true_positives / max(int(labels[:, j].sum()), 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_theme[code] = {"precision": round(precision, 3), "recall": round(recall, 3),
                           "f1": round(f1, 3), "support": int(labels[:, j].sum())}
    expected = np.array([LABELS.index(rows[i]["sentiment"]) for i in index])
    confusion = np.zeros((3, 3), dtype=int)
    for e, p in zip(expected, without_kind[index], strict=True):
        confusion[e, p] += 1
    lengths = np.array([len(rows[i]["text"]) for i in index])
    middle = (lengths >= 200) & (lengths < 400)
    exact = (labels == guess).all(axis=1)
    return {
        "texts": len(index),
        "themes": per_theme,
        "macro_f1": round(float(np.mean([t["f1"] for t in per_theme.values()])), 4),
        "core3_f1": round(float(np.mean([per_theme[c]["f1"] for c in CORE])), 4),
        "themes_per_text": [round(float(guess.sum(1).mean()), 3),
                            round(float(labels.sum(1).mean()), 3)],
        "exact_set": round(float(exact.mean()), 3),
        "exact_set_200_400": round(float(exact[middle].mean()), 3) if middle.any() else None,
        "sentiment_accuracy": round(float((without_kind[index] == expected).mean()), 4),
        "sentiment_accuracy_with_kind": round(float((with_kind_[index] == expected).mean()), 4),
        "neutral_recall": round(float(confusion[1, 1] / max(confusion[1].sum(), 1)), 3),
        "sentiment_confusion": confusion.tolist(),
        "language_accuracy": round(
            float(np.mean([languages[i] == rows[i]["language"] for i in index])), 4
        ),
    }


def format_scores(name: str, result: dict) -> str:
    lines = [f"== {name}: {result['texts']} texts",
             f"{'theme':<15}{'precision':>10}{'recall':>10}{'F1':>8}{'support':>9}"]
    for code, metrics in result["themes"].items():
        lines.append(f"{code:<15}{metrics['precision']:>10.3f}{metrics['recall']:>10.3f}"
                     f"{metrics['f1']:>8.3f}{metrics['support']:>9}")
    lines += [
        f"macro-F1 {result['macro_f1']:.3f}   core 3 {result['core3_f1']:.3f}   themes per text "
        f"{result['themes_per_text'][0]:.2f} (labels {result['themes_per_text'][1]:.2f})   "
        f"exact set {result['exact_set']:.3f} (200-400 chars {result['exact_set_200_400']})",
        f"sentiment accuracy {result['sentiment_accuracy']:.3f} without kind, "
        f"{result['sentiment_accuracy_with_kind']:.3f} with kind; neutral recall "
        f"{result['neutral_recall']:.3f}; confusion (rows expected neg/neu/pos) "
        f"{result['sentiment_confusion']}",
        f"language accuracy {result['language_accuracy']:.4f}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scheme", choices=("cv", "lowo", "both"), default="both")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--theme-c", type=float, default=THEME_C)
    parser.add_argument("--sentiment-c", type=float, default=SENTIMENT_C)
    parser.add_argument("--kind-dropout", type=float, default=0.5,
                        help="share of training texts whose kind the sentiment model is not shown")
    parser.add_argument("--writers", default="",
                        help="score only these writers (names or prefixes, comma-separated)")
    parser.add_argument("--json", help="also write the scores to this file")
    args = parser.parse_args()
    rows = corpus_rows()
    features, languages = read_corpus(rows)
    results = {}
    for scheme in (("cv", "lowo") if args.scheme == "both" else (args.scheme,)):
        results[scheme] = run(rows, features, languages, scheme, args.folds,
                              theme_c=args.theme_c, sentiment_c=args.sentiment_c,
                              kind_dropout=args.kind_dropout,
                              writers_scored=tuple(w for w in args.writers.split(",") if w))
        print(format_scores(scheme, results[scheme]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
