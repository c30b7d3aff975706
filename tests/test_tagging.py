"""The analysis commands, and the pipeline as the database configures it (themes, corrections)."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback.analysis.evaluation import evaluate
from feedback.extensions import db, theme_model
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Theme,
    ThemeSource,
    WriterRole,
)
from feedback.tagging import (
    active_themes,
    current_analyser,
    record_feedback,
    retag_batch,
    theme_reasons,
)

DATA = Path(__file__).parent / "data"


def test_analyze_prints_one_json_line_per_text(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": "Mme Gagnon attend : le système plante encore."}) + "\n"
        + json.dumps({"id": "b", "text": "x" * 20_000}) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["analyze", str(source)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert set(first) == {"id", "language", "sentiment", "themes", "redacted"}
    assert first["id"] == "a" and first["language"] == "fr"
    assert "Gagnon" not in first["redacted"] and "[PATIENT]" in first["redacted"]
    assert first["sentiment"]["label"] == "negative"
    assert "access" in {theme["code"] for theme in first["themes"]}
    assert second["id"] == "b" and "10000" in second["error"].replace(",", "").replace(" ", "")


def test_analyze_reads_stdin_and_rejects_bad_lines(runner):
    result = runner.invoke(args=["analyze", "-"], input='{"id": 1, "text": "Great support!"}\n')
    assert json.loads(result.output)["language"] == "en"
    bad = runner.invoke(args=["analyze", "-"], input="not json\n")
    assert bad.exit_code != 0 and "line 1: not JSON" in bad.output


def test_evaluate_reports_what_the_pipeline_scores(runner):
    """The command scores the app's configured pipeline; with no admin keywords and no retrained
    model that is the shipped one, whose targets tests/analysis asserts."""
    result = runner.invoke(args=["evaluate", "--json", str(DATA / "dev.jsonl")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    with (DATA / "dev.jsonl").open(encoding="utf-8") as lines:
        expected = evaluate([json.loads(line) for line in lines]).to_dict()
    assert report == json.loads(json.dumps(expected))
    assert report["count"] == 220 and report["phi_recall"] is None
    phi = json.loads(runner.invoke(args=["evaluate", "--json", str(DATA / "phi-dev.jsonl")]).output)
    assert phi["phi_strings"] == 86 and phi["lookalike_texts"] == 10


def test_analysis_commands_work_before_the_database_is_set_up(tmp_path):
    """On a fresh clone, before `db upgrade`, the shipped pipeline answers, with a note."""
    from feedback import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                      "SECRET_KEY": "test", "TESTING": True}, instance_path=str(tmp_path))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["evaluate", "--json", str(DATA / "dev.jsonl")])
    assert result.exit_code == 0, result.output
    assert "db upgrade" in result.stderr
    with (DATA / "dev.jsonl").open(encoding="utf-8") as lines:
        expected = evaluate([json.loads(line) for line in lines]).to_dict()
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))
    analysed = runner.invoke(args=["analyze", "-"], input='{"id": 1, "text": "Wi-Fi en panne"}\n')
    assert analysed.exit_code == 0
    assert [theme["code"] for theme in json.loads(analysed.stdout)["themes"]] == ["access"]


def test_evaluate_refuses_an_empty_file(runner, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    result = runner.invoke(args=["evaluate", str(empty)])
    assert result.exit_code != 0 and "no labelled text" in result.output


def test_evaluate_prints_a_readable_table(runner):
    result = runner.invoke(args=["evaluate", str(DATA / "phi-dev.jsonl")])
    assert "macro-F1" in result.output and "PHI recall" in result.output


@pytest.fixture
def establishment(app, make_establishment):
    return make_establishment()


def feedback_with(app, establishment, text) -> int:
    with app.app_context():
        feedback = record_feedback(
            establishment=db.session.get(Establishment, establishment.id), text=text,
            kind=FeedbackKind.SURVEY, role=WriterRole.NURSE, phase=1)
        db.session.commit()
        return feedback.id


def themes_of(app, feedback_id) -> dict[str, str]:
    with app.app_context():
        return {code: source for code, source in db.session.execute(
            select(Theme.code, FeedbackTheme.source).join(FeedbackTheme.theme)
            .where(FeedbackTheme.feedback_id == feedback_id))}


def test_retag_applies_new_keywords_and_keeps_manual_corrections(app, runner, establishment):
    automatic = feedback_with(app, establishment, "Le code bleu du 4e a été long à documenter.")
    corrected = feedback_with(app, establishment, "Le code bleu du 4e a été long à documenter.")
    with app.app_context():
        feedback = db.session.get(Feedback, corrected)
        safety = db.session.scalar(select(Theme).where(Theme.code == "safety"))
        feedback.themes = [FeedbackTheme(theme=safety, source=ThemeSource.MANUAL)]
        db.session.add(Theme(code="urgences", name_fr="Codes", name_en="Codes",
                             keywords="code bleu\ncode blue"))
        db.session.commit()
    assert "urgences" not in themes_of(app, automatic)

    result = runner.invoke(args=["retag", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "Retagged 2 feedback." in result.output
    assert themes_of(app, automatic)["urgences"] == ThemeSource.AUTO
    assert themes_of(app, corrected) == {"safety": ThemeSource.MANUAL}


def test_retrain_learns_from_manual_corrections(app, runner, establishment, retrained):
    texts = [f"Le module Wombat{n} affiche la mauvaise liste de patients à l'étage {n}."
             for n in range(12)]
    ids = [feedback_with(app, establishment, text) for text in texts]
    with app.app_context():
        engagement = db.session.scalar(select(Theme).where(Theme.code == "engagement"))
        for feedback_id in ids:
            db.session.get(Feedback, feedback_id).themes = [
                FeedbackTheme(theme=engagement, source=ThemeSource.MANUAL)]
        db.session.commit()
        before = current_analyser({t.code: t for t in db.session.scalars(select(Theme))})
        assert not theme_model.path.exists()

    result = runner.invoke(args=["retrain"])
    assert result.exit_code == 0, result.output
    assert "(12 manual corrections)" in result.output
    with app.app_context():
        assert theme_model.path.exists()
        after = current_analyser({t.code: t for t in db.session.scalars(select(Theme))})
    assert after is not before  # a new model is picked up without a restart


KIND_SENSITIVE = "Le lecteur de code-barres du 3e refuse les bracelets depuis lundi."


def test_the_kind_of_a_text_reaches_the_pipeline_everywhere(app, runner, establishment):
    """A super-user's calm report and a respondent's comment may read differently: the recorded
    row, a retag and the `analyze` command all analyse a text with its kind."""
    with app.app_context():
        analyser = current_analyser({t.code: t for t in db.session.scalars(select(Theme))})
        expected = {kind: analyser.analyse(KIND_SENSITIVE, kind.value)
                    for kind in (FeedbackKind.SURVEY, FeedbackKind.OBSERVATION)}
        # Without this difference the test could not tell whether the kind was passed.
        survey, observation = (r.sentiment.polarity for r in expected.values())
        assert abs(survey - observation) > 0.1
        for kind, result in expected.items():
            feedback = record_feedback(
                establishment=db.session.get(Establishment, establishment.id),
                text=KIND_SENSITIVE, kind=kind, role=WriterRole.NURSE, phase=1)
            db.session.flush()
            assert feedback.polarity == pytest.approx(result.sentiment.polarity)
            feedback.polarity = 9.0
            retag_batch(feedback.id - 1, 1, active_themes())
            assert feedback.polarity == pytest.approx(result.sentiment.polarity)
        db.session.rollback()

    lines = "".join(json.dumps({"id": kind.value, "text": KIND_SENSITIVE, "kind": kind.value})
                    + "\n" for kind in expected)
    result = runner.invoke(args=["analyze", "-"], input=lines)
    printed = {row["id"]: row for row in map(json.loads, result.output.splitlines())}
    for kind, analysis in expected.items():
        assert printed[kind.value]["sentiment"]["polarity"] == pytest.approx(
            analysis.sentiment.polarity, abs=1e-3)


def test_the_correction_page_says_why_each_theme_was_found(
        app, client, auth, establishment, make_user, add_feedback, ref_of):
    text = "Impossible de me connecter : mon mot de passe est refusé depuis ce matin."
    automatic = add_feedback(establishment, kind="observation", themes=("access",), text=text)
    with app.app_context():
        item = db.session.get(Feedback, automatic)
        reasons = theme_reasons(item)
    assert [reason.theme.code for reason in reasons] == ["access"]
    assert reasons[0].phrases and not reasons[0].manual
    assert all(phrase in text for phrase in reasons[0].phrases)

    auth.login(make_user(establishment=establishment).email)
    page = client.get(f"/dashboard/feedback/{ref_of(automatic)}/themes").text
    assert "Pourquoi ces thèmes" in page
    assert f"<q>{reasons[0].phrases[0]}</q>" in page

    corrected = add_feedback(establishment, kind="observation", themes=(), text=text)
    with app.app_context():
        item = db.session.get(Feedback, corrected)
        safety = db.session.scalar(select(Theme).where(Theme.code == "safety"))
        item.themes = [FeedbackTheme(theme=safety, source=ThemeSource.MANUAL)]
        db.session.commit()
    page = client.get(f"/dashboard/feedback/{ref_of(corrected)}/themes").text
    assert "choisi par un gestionnaire" in page
