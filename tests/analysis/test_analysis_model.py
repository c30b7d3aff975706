import json

import numpy
import pytest

from feedback.analysis import Analyser, ThemeModel, train_model, training_examples
from feedback.analysis.build_models import build_models
from feedback.analysis.training import (
    SENTIMENT_MODEL_FILE,
    THEME_MODEL_FILE,
    train_sentiment_model,
    training_rows,
)

TINY = [
    ("Le stationnement est plein, on tourne en rond.", {"parking"}),
    ("Plus de places au stationnement ce matin.", {"parking"}),
    ("The parking lot is full again.", {"parking"}),
    ("Le stationnement du P3 est fermé.", {"parking"}),
    ("Mon mot de passe a expiré.", {"access"}),
    ("The password expired again.", {"access"}),
    ("Le mot de passe ne fonctionne plus.", {"access"}),
    ("Rien à signaler.", set()),
]


def theme_codes(analyser: Analyser, text: str) -> list[str]:
    return [theme.code for theme in analyser.analyse(text).themes]


def test_shipped_examples_are_labelled_with_known_themes():
    examples = training_examples()
    assert len(examples) >= 500
    known = {"access", "training", "workflow", "configuration", "support", "safety", "engagement"}
    assert all(isinstance(text, str) and text and codes <= known for text, codes in examples)


def test_train_model_on_a_tiny_set_learns_its_labels():
    model = train_model(TINY)
    assert set(model.labels) == {"parking", "access"}
    analyser = Analyser(model=model)
    assert theme_codes(analyser, "Encore aucune place au stationnement.") == ["parking"]
    assert "parking" not in theme_codes(analyser, "Le mot de passe a encore expiré.")


def test_train_model_without_any_example():
    assert train_model([]).labels == ()


def test_model_save_load_round_trip(tmp_path):
    model = train_model(TINY)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = ThemeModel.load(path)
    assert isinstance(loaded, ThemeModel)
    assert loaded.labels == model.labels
    assert loaded.features == model.features
    text = "Le stationnement est encore plein."
    assert Analyser(model=loaded).analyse(text) == Analyser(model=model).analyse(text)
    assert json.loads(path.read_text(encoding="utf-8"))["labels"] == list(model.labels)


def test_load_rejects_a_file_that_is_not_a_model(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a model"):
        ThemeModel.load(path)


def test_shipped_models_are_up_to_date_with_the_training_data(tmp_path, monkeypatch):
    """If this fails, run `python -m feedback.analysis.build_models` and commit the models."""
    rebuilt = {
        THEME_MODEL_FILE: tmp_path / "themes.json",
        SENTIMENT_MODEL_FILE: tmp_path / "s.json",
    }
    monkeypatch.setattr(
        "feedback.analysis.build_models.THEME_MODEL_FILE", rebuilt[THEME_MODEL_FILE]
    )
    monkeypatch.setattr(
        "feedback.analysis.build_models.SENTIMENT_MODEL_FILE", rebuilt[SENTIMENT_MODEL_FILE]
    )
    build_models()
    for shipped, fresh in rebuilt.items():
        expected = json.loads(shipped.read_text(encoding="utf-8"))
        actual = json.loads(fresh.read_text(encoding="utf-8"))
        assert actual["labels"] == expected["labels"]
        assert actual["features"] == expected["features"]
        for key in ("weights", "bias", "evidence_weights"):
            assert numpy.allclose(actual[key], expected[key], atol=1e-4), key


def test_sentiment_model_trains_on_labelled_rows():
    rows = training_rows()[:60]
    model = train_sentiment_model((row["text"], row["sentiment"]) for row in rows)
    assert set(model.labels) == {row["sentiment"] for row in rows}
