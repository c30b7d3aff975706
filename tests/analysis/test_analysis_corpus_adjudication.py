"""The corpus builder's adjudication: a text labelled three times keeps what most of its
labellings give."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_corpus.py"


@pytest.fixture(scope="module")
def build_corpus():
    spec = importlib.util.spec_from_file_location("build_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def row(themes, sentiment="negative"):
    return {"text": "Le WOW gèle.", "themes": themes, "sentiment": sentiment, "language": "fr",
            "kind": "survey", "writer": "w1-nurses"}


def test_a_theme_two_blind_labellings_add_is_added_and_one_they_both_drop_is_dropped(
    build_corpus,
):
    blind = [{"themes": ["access", "safety"], "sentiment": "negative"},
             {"themes": ["safety", "access"], "sentiment": "negative"}]

    adjudicated = build_corpus.adjudicate(row(["access", "workflow"]), blind)

    assert adjudicated["themes"] == ["access", "safety"]
    assert adjudicated["writer"] == "w1-nurses"


def test_a_theme_only_one_labelling_gives_or_drops_follows_the_other_two(build_corpus):
    blind = [{"themes": ["access", "training"], "sentiment": "neutral"},
             {"themes": ["access"], "sentiment": "positive"}]

    adjudicated = build_corpus.adjudicate(row(["access"]), blind)

    assert adjudicated["themes"] == ["access"]
    # Three different sentiments: the writer's own stands.
    assert adjudicated["sentiment"] == "negative"


def test_two_blind_labellings_that_agree_on_the_sentiment_outvote_the_writer(build_corpus):
    blind = [{"themes": ["access"], "sentiment": "neutral"},
             {"themes": ["access"], "sentiment": "neutral"}]

    assert build_corpus.adjudicate(row(["access"]), blind)["sentiment"] == "neutral"


def test_second_labels_are_found_by_the_text_whatever_its_case_and_accents(build_corpus, tmp_path):
    path = tmp_path / "second.jsonl"
    blind = [{"themes": [], "sentiment": "neutral"}]
    path.write_text(json.dumps({"text": "LE WOW GELE!", "labels": blind}) + "\n", encoding="utf-8")

    labels = build_corpus.read_second_labels(str(path))

    assert labels[build_corpus.normalise("Le WOW gèle.")] == blind
