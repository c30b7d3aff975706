"""Agreement between the corpus's labels and a blind second annotation: the ceiling the corpus
can teach a model.

bench/data/second_annotation.jsonl holds 600 texts drawn at random from the independent writers'
part of the corpus (300 from the first seven writers, 300 from the nine later ones), each half
labelled again by an annotator who saw only the texts, their kind and the labelling guide (never
the first labels). This prints the agreement as the models are scored:
per-theme F1 of one annotation against the other, macro-F1, core 3, themes per text, sentiment
and language accuracy, and Cohen's kappa for sentiment.

Run: .venv/bin/python bench/agreement.py [--annotation FILE]
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


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa: agreement beyond what the two label shares would give by chance."""
    observed = np.mean([a == b for a, b in zip(first, second, strict=True)])
    expected = sum(first.count(label) * second.count(label) for label in LABELS) / len(first) ** 2
    return float((observed - expected) / (1 - expected))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotation", type=Path, default=DEFAULT)
    args = parser.parse_args()
    corpus = {row["text"]: row for row in corpus_rows()}
    with open(args.annotation, encoding="utf-8") as file:
        second = [json.loads(line) for line in file if line.strip()]
    pairs = [(corpus[row["text"]], row) for row in second if row["text"] in corpus]
    print(f"{len(pairs)} of {len(second)} texts of the second annotation are in the corpus")
    first_themes = np.array([[code in a["themes"] for code in THEMES] for a, _ in pairs])
    second_themes = np.array([[code in b["themes"] for code in THEMES] for _, b in pairs])
    print(f"{'theme':<15}{'F1':>7}{'first':>7}{'second':>8}")
    f1 = {}
    for j, code in enumerate(THEMES):
        both = int((first_themes[:, j] & second_themes[:, j]).sum())
        f1[code] = 2 * both / max(int(first_themes[:, j].sum() + second_themes[:, j].sum()), 1)
        print(f"{code:<15}{f1[code]:>7.3f}{int(first_themes[:, j].sum()):>7}"
              f"{int(second_themes[:, j].sum()):>8}")
    first_sentiment = [a["sentiment"] for a, _ in pairs]
    second_sentiment = [b["sentiment"] for _, b in pairs]
    print(
        f"macro-F1 {np.mean(list(f1.values())):.3f}   core 3 {np.mean([f1[c] for c in CORE]):.3f}"
        f"   themes per text {first_themes.sum(1).mean():.2f} and {second_themes.sum(1).mean():.2f}"
        f"   exact set {(first_themes == second_themes).all(1).mean():.3f}"
    )
    print(
        f"sentiment accuracy "
        f"{np.mean([a == b for a, b in zip(first_sentiment, second_sentiment, strict=True)]):.3f}"
        f" (kappa {kappa(first_sentiment, second_sentiment):.3f})   language accuracy "
        f"{np.mean([a['language'] == b['language'] for a, b in pairs]):.3f}"
    )


if __name__ == "__main__":
    main()
