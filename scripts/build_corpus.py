"""Build feedback/analysis/data/corpus.jsonl, the one corpus the shipped models train on.

Sources, in order of precedence when two texts are duplicates:
  1. the independent writers' files (default /work/corpus/w*.jsonl, in the order of their
     numbers: w2 before w10), fully labelled;
  2. the older examples: data/training.jsonl (fully labelled) and data/theme_examples.jsonl
     (themes only) if they are in --old DIR; once folded into the corpus and removed, the rows
     of the shipped corpus.jsonl whose writer is "old-training" or "old-themes".

Exact duplicates (after folding case, accents and punctuation) and near-duplicates (cosine
similarity of character 3-5-gram TF-IDF vectors >= --similarity) are dropped: only the first
text of each group of near-duplicates is kept, so that cross-validation never scores a text
whose twin it trained on. Texts that duplicate or nearly duplicate one of the development set
(--exclude) are dropped too: that set is read at milestones only and must stay unseen.

Adjudication (--second-labels F, off by default): texts labelled again by two annotators who saw
only the text, its kind and the guide (bench/data/blind_relabels.jsonl) keep a theme when at least
two of their three labellings (the writer's and the two blind ones) give it, and the sentiment at
least two of them share (the writer's when all three differ). It is a trial the shipped corpus
does not use: README, "How texts are analysed", says what it changed.

Run: .venv/bin/python scripts/build_corpus.py [--sources GLOB] [--old DIR] [--second-labels F]
"""

import argparse
import glob
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "feedback" / "analysis" / "data" / "corpus.jsonl"
THEMES = ("access", "training", "workflow", "configuration", "support", "safety", "engagement")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def read(path: str, writer: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as file:
        for line in file:
            if line.strip():
                row = json.loads(line)
                rows.append(
                    {
                        "text": row["text"].strip(),
                        "themes": [code for code in THEMES if code in row["themes"]],
                        "sentiment": row.get("sentiment"),
                        "language": row["language"],
                        "kind": row.get("kind"),
                        "writer": writer,
                    }
                )
    return rows


def char_vectors(texts: list[str]):
    """Unit-length TF-IDF vectors of the texts' character 3-5-grams: their dot product is the
    similarity that makes two texts near-duplicates."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    return vectors.fit_transform(texts)


def near_duplicate_groups(texts: list[str], similarity: float) -> list[int]:
    """For each text, the index of the first text of its group of near-duplicates."""
    matrix = char_vectors(texts)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    products = (matrix @ matrix.T).tocoo()
    for i, j, value in zip(products.row, products.col, products.data, strict=True):
        if i < j and value >= similarity:
            a, b = root(int(i)), root(int(j))
            parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(len(texts))]


def writer_order(path: str) -> tuple[int, str]:
    """Sort key of a writer's file: its number, then its name ("w2-x" before "w10-y")."""
    found = re.match(r"w(\d+)", Path(path).stem)
    return (int(found.group(1)) if found else 10**6, Path(path).stem)


def near_excluded(texts: list[str], excluded: list[str], similarity: float) -> list[bool]:
    """For each text, whether it is (nearly) a duplicate of one of the excluded texts."""
    if not excluded:
        return [False] * len(texts)
    matrix = char_vectors(texts + excluded)
    products = matrix[: len(texts)] @ matrix[len(texts) :].T
    return [bool(value >= similarity) for value in products.max(axis=1).toarray().ravel()]


def adjudicate(row: dict, annotations: list[dict]) -> dict:
    """The row with the labels most of its labellings give (its own first among equals)."""
    labellings = [row, *annotations]
    themes = [code for code in THEMES
              if sum(code in labelling["themes"] for labelling in labellings) * 2 > len(labellings)]
    sentiments = [labelling["sentiment"] for labelling in labellings]
    sentiment = max(sentiments, key=sentiments.count) if row["sentiment"] else None
    return {**row, "themes": themes, "sentiment": sentiment}


def read_second_labels(path: str) -> dict[str, list[dict]]:
    """Blind labellings by normalised text, from lines {"text", "labels": [{"themes",
    "sentiment"}, ...]}."""
    if not path or not Path(path).exists():
        return {}
    with open(path, encoding="utf-8") as file:
        lines = [json.loads(line) for line in file if line.strip()]
    return {normalise(line["text"]): line["labels"] for line in lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", default="/work/corpus/w*.jsonl")
    parser.add_argument("--old", default=str(ROOT / "feedback" / "analysis" / "data"))
    parser.add_argument("--similarity", type=float, default=0.85)
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument("--exclude", default=str(ROOT / "tests" / "data" / "dev.jsonl"),
                        help="a labelled set no text of the corpus may duplicate")
    parser.add_argument("--second-labels", default="",
                        help="blind relabellings of corpus texts to adjudicate by majority "
                        "(bench/data/blind_relabels.jsonl)")
    args = parser.parse_args()
    rows = []
    for path in sorted(glob.glob(args.sources), key=writer_order):
        rows += read(path, Path(path).stem)
    old_files = (("training.jsonl", "old-training"), ("theme_examples.jsonl", "old-themes"))
    for name, writer in old_files:
        path = Path(args.old) / name
        if path.exists():
            rows += read(str(path), writer)
        elif OUTPUT.exists():
            with open(OUTPUT, encoding="utf-8") as file:
                rows += [row for line in file if (row := json.loads(line))["writer"] == writer]
    keys = [normalise(row["text"]) for row in rows]
    kept_keys: dict[str, int] = {}
    unique = []
    for row, key in zip(rows, keys, strict=True):
        if key and key not in kept_keys:
            kept_keys[key] = len(unique)
            unique.append(row)
    excluded = []
    if args.exclude and Path(args.exclude).exists():
        with open(args.exclude, encoding="utf-8") as file:
            excluded = [normalise(json.loads(line)["text"]) for line in file if line.strip()]
    near_development = near_excluded(
        [normalise(row["text"]) for row in unique], excluded, args.similarity
    )
    groups = near_duplicate_groups([normalise(row["text"]) for row in unique], args.similarity)
    kept = [row for i, row in enumerate(unique) if groups[i] == i and not near_development[i]]
    second_labels = read_second_labels(args.second_labels)
    adjudicated = [
        adjudicate(row, second_labels[key]) if (key := normalise(row["text"])) in second_labels
        else row
        for row in kept
    ]
    changed = sum(new != old for new, old in zip(adjudicated, kept, strict=True))
    kept = adjudicated
    conflicts = sum(
        1
        for i, row in enumerate(unique)
        if groups[i] != i
        and (
            set(row["themes"]) != set(unique[groups[i]]["themes"])
            or row["sentiment"] not in (None, unique[groups[i]]["sentiment"])
        )
    )
    with open(args.output, "w", encoding="utf-8") as file:
        for row in kept:
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{len(rows)} rows read, {len(rows) - len(unique)} exact duplicates, "
        f"{sum(groups[i] != i for i in range(len(unique)))} near-duplicates ({conflicts} "
        f"labelled differently from the text kept), {sum(near_development)} near the excluded "
        f"set, {changed} relabelled by adjudication, {len(kept)} written to {args.output}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
