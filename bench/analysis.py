"""Throughput of the analysis pipeline against a bare TextBlob sentiment call, and of redaction
alone (the first stage, on every text).

The texts are those of feedback/analysis/data/corpus.jsonl (shuffled, --count of them): the
development set stays for scoring, never for tuning, speed included.

Run: .venv/bin/python bench/analysis.py [--count N] [--rounds N]
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS_FILE = ROOT / "feedback" / "analysis" / "data" / "corpus.jsonl"


def main() -> None:
    """Print start-up times, pipeline and bare-sentiment texts/second, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=4000, help="texts per round")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best one counts")
    args = parser.parse_args()
    # One core, so that the figures compare single-threaded work and are stable between runs.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with open(CORPUS_FILE, encoding="utf-8") as file:
        rows = [json.loads(line) for line in file if line.strip()]
    random.Random(0).shuffle(rows)
    texts = [(row["text"], row["language"]) for row in rows][: args.count]

    started = time.perf_counter()
    from feedback.analysis import Analyser

    imported = time.perf_counter()
    analyser = Analyser()
    analyser.analyse(texts[0][0])
    ready = time.perf_counter()

    from feedback.analysis.redaction import redact

    pipeline, bare = (lambda text, language: analyser.analyse(text)), _bare_sentiment()

    def redaction(text: str, language: str) -> str:
        return redact(text)

    for run in (pipeline, bare, redaction):  # warm caches, as a long-running process would have
        _rate(run, texts[:300])
    # Rounds alternate so that a busy machine slows both alike; the best round is the least noisy.
    pipeline_rate = bare_rate = redaction_rate = 0.0
    for _ in range(args.rounds):
        pipeline_rate = max(pipeline_rate, _rate(pipeline, texts))
        bare_rate = max(bare_rate, _rate(bare, texts))
        redaction_rate = max(redaction_rate, _rate(redaction, texts))
    mean_length = sum(len(text) for text, _ in texts) / len(texts)
    print(f"texts                 {len(texts)} per round (mean {mean_length:.0f} characters)")
    print(f"import                {imported - started:.2f} s (the analysis package)")
    print(f"pipeline start-up     {ready - imported:.2f} s (lexicons, models, first text)")
    print(f"pipeline              {pipeline_rate:,.0f} texts/s")
    # Redaction runs first on every text: its share of the pipeline's time per text.
    share = pipeline_rate / redaction_rate
    print(f"redaction alone       {redaction_rate:,.0f} texts/s ({share:.0%} of the pipeline)")
    print(f"bare TextBlob         {bare_rate:,.0f} texts/s")
    print(f"pipeline / bare       {pipeline_rate / bare_rate:.2f}")


def _bare_sentiment():
    """TextBlob(text, analyzer=..., tokenizer=...).sentiment with the label's language."""
    from nltk.tokenize import WordPunctTokenizer
    from textblob import TextBlob
    from textblob.en.sentiments import PatternAnalyzer as EnglishAnalyzer
    from textblob_fr import PatternAnalyzer as FrenchAnalyzer

    analyzers = {"fr": FrenchAnalyzer(), "en": EnglishAnalyzer()}
    tokenizer = WordPunctTokenizer()  # regular expressions only: needs no NLTK corpus

    def sentiment(text: str, language: str):
        return TextBlob(text, analyzer=analyzers[language], tokenizer=tokenizer).sentiment

    return sentiment


def _rate(run, texts) -> float:
    started = time.perf_counter()
    for text, language in texts:
        run(text, language)
    return len(texts) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
