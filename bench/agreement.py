"""Agreement between the corpus's labels and a blind second annotation: the ceiling the corpus
can teach a model.

bench/data/second_annotation.jsonl holds 600 texts drawn at random from the independent writers'
part of the corpus (300 from the first seven writers, 300 from the nine later ones), each half
labelled again by an annotator who saw only the texts, their kind and the labelling guide (never
the first labels). This prints the agreement as the models are scored:
per-theme F1 of one annotation against the other, macro-F1, core 3, themes per text, sentiment
and language accuracy, and Cohen's kappa for sentiment.

With --relabels, the same figures for bench/data/blind_relabels.jsonl: 3,244 texts labelled
again by two more annotators, each blind to the writer's labels and to the other's, 300 of them
drawn at random and 2,944 whose writer's label the cross-validated models doubted most (a
labelled theme below 0.1 or an unlabelled one above 0.9 out of fold, or the labelled sentiment
below 0.15): writer against each annotator and the annotators against each other, per sample.

Run: .venv/bin/python bench/agreement.py [--annotation FILE] [--relabels [FILE]]
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis.sentiment import LABELS  # noqa: E402
from feedback.analysis.themes import THEMES  # noqa: E402
from feedback.analysis.training import corpus_rows  # noqa: E402

CORE = ("access", "training", "workflow")
DEFAULT = ROOT / "bench" / "data" / "second_annotation.jsonl"
RELABELS = ROOT / "bench" / "data" / "blind_relabels.jsonl"


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa: agreement beyond what the two label shares would give by chance."""
    observed = np.mean([a == b for a, b in zip(first, second, strict=True)])
    expected = sum(first.count(label) * second.count(label) for label in LABELS) / len(first) ** 2
    return float((observed - expected) / (1 - expected))


def agreement(pairs: list[tuple[dict, dict]], verbose: bool = True) -> dict:
    """Per-theme F1 of one labelling against the other, macro-F1, core 3 and sentiment."""
    first_themes = np.array([[code in a["themes"] for code in THEMES] for a, _ in pairs])
    second_themes = np.array([[code in b["themes"] for code in THEMES] for _, b in pairs])
    if verbose:
        print(f"{'theme':<15}{'F1':>7}{'first':>7}{'second':>8}")
    f1 = {}
    for j, code in enumerate(THEMES):
        both = int((first_themes[:, j] & second_themes[:, j]).sum())
        f1[code] = 2 * both / max(int(first_themes[:, j].sum() + second_themes[:, j].sum()), 1)
        if verbose:
            print(f"{code:<15}{f1[code]:>7.3f}{int(first_themes[:, j].sum()):>7}"
                  f"{int(second_themes[:, j].sum()):>8}")
    first_sentiment = [a["sentiment"] for a, _ in pairs]
    second_sentiment = [b["sentiment"] for _, b in pairs]
    return {
        "macro_f1": float(np.mean(list(f1.values()))),
        "core3": float(np.mean([f1[c] for c in CORE])),
        "themes_per_text": (first_themes.sum(1).mean(), second_themes.sum(1).mean()),
        "exact_set": float((first_themes == second_themes).all(1).mean()),
        "sentiment": float(np.mean([a == b for a, b in zip(first_sentiment, second_sentiment,
                                                           strict=True)])),
        "kappa": kappa(first_sentiment, second_sentiment),
    }


def relabels(path: Path, corpus: dict[str, dict]) -> None:
    """Writer against each blind annotator, and the annotators against each other, per sample."""
    with open(path, encoding="utf-8") as file:
        lines = [json.loads(line) for line in file if line.strip()]
    for sample in ("random", "doubted"):
        chosen = [line for line in lines if line["sample"] == sample and line["text"] in corpus]
        print(f"== {sample}: {len(chosen)} texts")
        comparisons = (
            ("writer / first annotator", [(corpus[x["text"]], x["labels"][0]) for x in chosen]),
            ("writer / second annotator", [(corpus[x["text"]], x["labels"][1]) for x in chosen]),
            ("first / second annotator", [(x["labels"][0], x["labels"][1]) for x in chosen]),
        )
        for name, pairs in comparisons:
            figures = agreement(pairs, verbose=False)
            print(f"{name:<27} macro-F1 {figures['macro_f1']:.3f}   core 3 {figures['core3']:.3f}"
                  f"   sentiment {figures['sentiment']:.3f} (kappa {figures['kappa']:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotation", type=Path, default=DEFAULT)
    parser.add_argument("--relabels", type=Path, nargs="?", const=RELABELS)
    args = parser.parse_args()
    corpus = {row["text"]: row for row in corpus_rows()}
    if args.relabels:
        relabels(args.relabels, corpus)
        return
    with open(args.annotation, encoding="utf-8") as file:
        second = [json.loads(line) for line in file if line.strip()]
    pairs = [(corpus[row["text"]], row) for row in second if row["text"] in corpus]
    print(f"{len(pairs)} of {len(second)} texts of the second annotation are in the corpus")
    figures = agreement(pairs)
    print(
        f"macro-F1 {figures['macro_f1']:.3f}   core 3 {figures['core3']:.3f}   themes per text "
        f"{figures['themes_per_text'][0]:.2f} and {figures['themes_per_text'][1]:.2f}"
        f"   exact set {figures['exact_set']:.3f}"
    )
    print(
        f"sentiment accuracy {figures['sentiment']:.3f} (kappa {figures['kappa']:.3f})   "
        f"language accuracy {np.mean([a['language'] == b['language'] for a, b in pairs]):.3f}"
    )


if __name__ == "__main__":
    main()
