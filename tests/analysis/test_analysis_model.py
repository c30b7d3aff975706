import io
import zipfile

import numpy
import pytest

from feedback.analysis import Analyser, SentimentModel, ThemeModel, train_model, training_examples
from feedback.analysis.build_models import build_models
from feedback.analysis.resources import SENTIMENT_MODEL_FILE, THEME_MODEL_FILE
from feedback.analysis.training import (
    corpus_rows,
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
KNOWN = {"access", "training", "workflow", "configuration", "support", "safety", "engagement"}


def theme_codes(analyser: Analyser, text: str) -> list[str]:
    return [theme.code for theme in analyser.analyse(text).themes]


def test_shipped_examples_are_labelled_with_known_themes():
    examples = training_examples()
    assert len(examples) >= 6000
    assert all(isinstance(text, str) and text and codes <= KNOWN for text, codes in examples)


def test_shipped_corpus_rows_are_complete_and_unique():
    rows = corpus_rows()
    assert {"text", "themes", "sentiment", "language", "kind", "writer"} <= set(rows[0])
    assert len({row["text"].casefold() for row in rows}) == len(rows)
    assert {row["sentiment"] for row in rows} <= {"negative", "neutral", "positive", None}
    assert {row["kind"] for row in rows} <= {"survey", "observation", None}
    assert len({row["writer"] for row in rows}) >= 7
    assert all(row["sentiment"] for row in training_rows())


def test_train_model_on_a_tiny_set_learns_its_labels():
    model = train_model(TINY)
    assert set(model.labels) == {"parking", "access"}
    analyser = Analyser(model=model)
    assert theme_codes(analyser, "Encore aucune place au stationnement.") == ["parking"]
    assert "parking" not in theme_codes(analyser, "Le mot de passe a encore expiré.")


def test_train_model_without_any_example():
    model = train_model([])
    assert model.labels == ()
    # Themes the model does not know fall back on the lexicon.
    assert "access" in theme_codes(Analyser(model=model), "Le système plante.")


def test_train_model_with_a_single_theme_everywhere():
    model = train_model([("Le stationnement est plein.", {"parking"})] * 3)
    assert model.labels == ("parking",)
    assert theme_codes(Analyser(model=model), "Rien du tout.") == ["parking"]


def test_model_save_load_round_trip(tmp_path):
    model = train_model(TINY)
    path = tmp_path / "model.json"  # the app's instance file keeps its old name
    model.save(path)
    loaded = ThemeModel.load(path)
    assert isinstance(loaded, ThemeModel)
    assert loaded.labels == model.labels
    assert loaded.features == model.features
    assert numpy.allclose(loaded.thresholds, model.thresholds)
    text = "Le stationnement est encore plein."
    assert Analyser(model=loaded).analyse(text) == Analyser(model=model).analyse(text)


def test_saved_models_are_plain_arrays_without_pickle(tmp_path):
    """The app loads models from its instance folder: loading must never run pickled code."""
    path = tmp_path / "theme_model.tmp"
    train_model(TINY).save(path)
    assert path.exists() and not (tmp_path / "theme_model.tmp.npz").exists()
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            with archive.open(name) as member:
                version = numpy.lib.format.read_magic(member)
                read_header = (
                    numpy.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else numpy.lib.format.read_array_header_2_0
                )
                assert not read_header(member)[2].hasobject, name
    with numpy.load(path, allow_pickle=False) as arrays:
        assert {"metadata", "features", "weights", "bias", "thresholds"} <= set(arrays.files)
    for shipped in (THEME_MODEL_FILE, SENTIMENT_MODEL_FILE):
        with numpy.load(shipped, allow_pickle=False) as arrays:
            assert all(not arrays[name].dtype.hasobject for name in arrays.files)


def test_load_refuses_a_model_holding_pickled_objects(tmp_path):
    model = train_model(TINY)
    good = tmp_path / "good.npz"
    model.save(good)
    with numpy.load(good, allow_pickle=False) as arrays:
        content = {name: arrays[name] for name in arrays.files}
    content["weights"] = numpy.array([object()], dtype=object)
    bad = tmp_path / "bad.npz"
    buffer = io.BytesIO()
    numpy.savez(buffer, **content)
    bad.write_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="not a model"):
        ThemeModel.load(bad)


@pytest.mark.parametrize(
    "content", [b'{"hello": "world"}', b"", b"PK\x03\x04 truncated", b"\x93NUMPY garbage"]
)
def test_load_rejects_a_file_that_is_not_a_model(tmp_path, content):
    path = tmp_path / "other.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not a model"):
        ThemeModel.load(path)


def test_load_of_a_model_of_the_old_json_format_falls_back_to_the_shipped_one(tmp_path):
    path = tmp_path / "theme_model.json"
    path.write_text('{"format": "echo-logistic-model/1", "labels": []}', encoding="utf-8")
    with pytest.warns(UserWarning, match="retrain"):
        model = ThemeModel.load(path)
    assert model.labels == ThemeModel.load(THEME_MODEL_FILE).labels


def test_shipped_model_files_are_small():
    assert THEME_MODEL_FILE.stat().st_size + SENTIMENT_MODEL_FILE.stat().st_size < 60_000_000


def test_shipped_models_are_up_to_date_with_the_training_data(tmp_path, monkeypatch):
    """If this fails, run `python -m feedback.analysis.build_models` and commit the models."""
    rebuilt = {
        THEME_MODEL_FILE: tmp_path / "themes.npz",
        SENTIMENT_MODEL_FILE: tmp_path / "s.npz",
    }
    monkeypatch.setattr(
        "feedback.analysis.build_models.THEME_MODEL_FILE", rebuilt[THEME_MODEL_FILE]
    )
    monkeypatch.setattr(
        "feedback.analysis.build_models.SENTIMENT_MODEL_FILE", rebuilt[SENTIMENT_MODEL_FILE]
    )
    build_models()
    for (shipped, fresh), kind in zip(rebuilt.items(), (ThemeModel, SentimentModel), strict=True):
        expected, actual = kind.load(shipped), kind.load(fresh)
        assert actual.labels == expected.labels
        assert actual.features == expected.features
        assert numpy.allclose(actual.weights, expected.weights, atol=1e-4)
        assert numpy.allclose(actual.bias, expected.bias, atol=1e-4)
        assert numpy.allclose(actual.thresholds, expected.thresholds, atol=1e-4)


def test_sentiment_model_trains_on_labelled_rows():
    rows = training_rows()[:60]
    model = train_sentiment_model((row["text"], row["sentiment"], row["kind"]) for row in rows)
    assert set(model.labels) == {row["sentiment"] for row in rows}
    assert isinstance(model, SentimentModel)


def test_a_text_whose_themes_all_fall_short_gets_its_likeliest_one_from_top_threshold():
    model = ThemeModel.load(THEME_MODEL_FILE)
    assert 0 < model.top_threshold < 1
    below = numpy.minimum(model.thresholds - 0.01, model.top_threshold + 0.05)
    chosen = model.decide(below)
    assert chosen.sum() == 1 and chosen[int(numpy.argmax(below))]
    assert not model.decide(numpy.full(len(model.labels), model.top_threshold / 2)).any()
    two = model.thresholds.copy()
    two[2:] -= 0.2
    assert model.decide(two).tolist() == [True, True] + [False] * (len(model.labels) - 2)
