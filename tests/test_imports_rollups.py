"""An import adds what its own rows contribute to the summary tables: the same as recomputing."""

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from rollup_helpers import snapshot
from sqlalchemy import select

from feedback.clock import local_today
from feedback.extensions import db
from feedback.imports import mapping as import_mapping
from feedback.imports import reading as import_reading
from feedback.imports import running as import_runs
from feedback.insights import rollups
from feedback.insights.rollups import WHOLE_FEEDBACK
from feedback.models import Cohort, FeedbackRollup, Sector, Site

HEADER = ["Texte", "Date", "Secteur", "Rôle", "Phase"]


def recomputed() -> dict:
    """What a rebuild from the source tables gives (undone afterwards)."""
    rollups.rebuild(db.session.connection())
    tables = snapshot()
    db.session.rollback()
    return tables


def import_rows(app, path: Path, rows: list[list[str]], establishment) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    with app.app_context():
        settings = import_runs.ImportSettings(
            import_mapping.suggest_mapping(import_reading.read_headers(path).headers),
            establishment.id, rules=import_runs.ImportRules.from_config(current_app.config))
        import_runs.import_file(path, settings, source="test", filename=path.name)
        db.session.commit()


def rows_of(day, count: int, sector: str, role: str, label: str) -> list[list[str]]:
    return [[f"{label} {n} : le tap-in ne répond plus, on attend au poste.", day.isoformat(),
             sector, role, "1"] for n in range(count)]


@pytest.fixture
def weeks():
    today = local_today()
    return today - timedelta(weeks=3), today  # a week cut already, the week still open


@pytest.fixture
def busy(app, make_establishment, add_feedback, cut, weeks, tmp_path):
    """An establishment whose weeks already hold every kind of summary row an import can meet:
    live answers cut into a cohort, observations, live and imported rows withheld (too few),
    and live rows of the open week, not cut yet."""
    cut_week, open_week = weeks
    e = make_establishment("MCQ")
    for n in range(6):
        add_feedback(e, day=cut_week, themes=("access",), text=f"Sondage {n}")
    add_feedback(e, kind="observation", role="super_user", day=cut_week, themes=("training",))
    add_feedback(e, kind="import", role="clerk", sector="oncologie", day=cut_week)
    for n in range(2):
        add_feedback(e, kind="import", day=open_week, themes=("access",), text=f"Ouvert {n}")
    cut()
    # An earlier import: two rows of a cut week, withheld (a cohort needs 5).
    import_rows(app, tmp_path / "earlier.csv",
                rows_of(cut_week, 2, "oncologie", "agente administrative", "Avant"), e)
    return e


def whole_row(week, role: str, sector_id: int, cohort_id: int = 0) -> int | None:
    return db.session.scalar(select(FeedbackRollup.n).where(
        FeedbackRollup.week == week, FeedbackRollup.kind == "import",
        FeedbackRollup.role == role, FeedbackRollup.sector_id == sector_id,
        FeedbackRollup.cohort_id == cohort_id, FeedbackRollup.theme_id == WHOLE_FEEDBACK))


def test_an_import_into_busy_weeks_leaves_the_summary_tables_as_a_rebuild_would(
        app, busy, weeks, tmp_path, monkeypatch):
    cut_week, open_week = weeks
    rows = (rows_of(cut_week, 7, "urgence", "infirmière", "Cohorte")  # a cohort of its own
            + rows_of(cut_week, 2, "oncologie", "agente administrative", "Retenu")  # withheld
            + rows_of(open_week, 3, "urgence", "infirmière", "Semaine ouverte"))  # not cut yet
    with app.app_context():
        sectors = dict(db.session.execute(select(Sector.code, Sector.id).join(Site).where(
            Site.establishment_id == busy.id)).all())
        cohorts_before = set(db.session.scalars(select(Cohort.id)))

    def whole_week(*_args, **_kwargs):
        raise AssertionError("an import recomputes no week")

    monkeypatch.setattr(rollups, "rebuild_week", whole_week)
    import_rows(app, tmp_path / "f.csv", rows, busy)
    monkeypatch.undo()

    with app.app_context():
        assert snapshot() == recomputed()
        cut_monday, open_monday = (rollups.monday(cut_week), rollups.monday(open_week))
        # Rows sharing their keys with stored rows were added to them, not written over them:
        # the open week's 2 live rows and 3 imported ones, not cut yet...
        assert whole_row(open_monday, "nurse", sectors["urgence"]) == 5
        # ... and the withheld clerks of the cut week: 1 live, 2 from each import.
        assert whole_row(cut_monday, "clerk", sectors["oncologie"]) == 5
        [new] = set(db.session.scalars(select(Cohort.id))) - cohorts_before
        assert whole_row(cut_monday, "nurse", sectors["urgence"], new) == 7


def test_the_open_week_imported_rows_count_again_once_it_is_cut(app, busy, weeks, tmp_path,
                                                                    cut, monkeypatch):
    """The live cut recounts the week the import's pending rows joined: still in step."""
    _cut_week, open_week = weeks
    import_rows(app, tmp_path / "f.csv",
                rows_of(open_week, 4, "urgence", "infirmière", "Ouverte"), busy)
    with app.app_context():
        assert snapshot() == recomputed()
    # Once the week is over, the queue's task cuts it with the live answers.
    monkeypatch.setattr("feedback.insights.anonymity.last_closed_week",
                        lambda _now: rollups.monday(open_week))
    assert cut() >= 1
    with app.app_context():
        assert snapshot() == recomputed()
        [cohort] = db.session.scalars(select(Cohort).where(
            Cohort.week == rollups.monday(open_week), Cohort.kind == "import"))
        assert cohort.n == 6  # the 2 live rows and the 4 imported ones, cut together
