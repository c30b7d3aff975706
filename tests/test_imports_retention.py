"""An import never brings back feedback that the retention purge has destroyed (Law 25)."""

import csv
import html
import io
from datetime import UTC, datetime, timedelta

import pytest

from feedback import privacy
from feedback.clock import QUEBEC, utcnow
from feedback.imports import checking as import_checks
from feedback.imports import running as import_runs
from feedback.models import Feedback, ImportJobStatus, Role
from feedback.privacy import retention_days
from tests.test_imports import (
    count,
    dry,
    job_id_of,
    run,
    settings_for,
    stored,
    upload,
    wait_for,
    write_csv,
)

HEADER = ["Texte", "Date", "Secteur"]
PERIOD = privacy.DEFAULT_RETENTION_DAYS["import"]
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 10:00 in Québec


def day(days_ago: int) -> str:
    """A Québec day, as a spreadsheet writes it."""
    return (utcnow() - timedelta(days=days_ago)).astimezone(QUEBEC).date().isoformat()


def old_and_recent(tmp_path):
    return write_csv(tmp_path / "f.csv", [
        ["Le lecteur de bracelets bloquait déjà à l'époque.", day(PERIOD + 30), "urgence"],
        ["L'impression des étiquettes fonctionne enfin.", day(3), "urgence"],
        ["Sans date : importée avec la date du jour.", "", "urgence"],
    ], header=HEADER)


def test_a_row_older_than_the_retention_period_is_rejected_the_others_imported(
        app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    path = old_and_recent(tmp_path)

    report = dry(app, path, establishment)
    assert (report.total, report.valid, report.rejected) == (3, 2, 1)
    assert report.rejections[0]["line"] == 2
    assert report.rejections[0]["reasons"] == [import_checks.Reason.EXPIRED_DATE.value]
    assert report.reasons == {"expired_date": 1}

    # All or nothing refuses the file; valid rows only leaves the old row out.
    with app.app_context(), pytest.raises(import_checks.RowsRejected):
        import_runs.import_file(path, settings_for(path, establishment), source="",
                            filename="f.csv")
    assert count(app, Feedback) == 0
    report = run(app, path, establishment, valid_only=True)
    assert (report.imported, report.rejected) == (2, 1)
    assert report.rejections[0]["reasons"] == ["expired_date"]
    assert [row.text for row in stored(app)] == [
        "L'impression des étiquettes fonctionne enfin.",
        "Sans date : importée avec la date du jour."]


def test_the_period_is_the_configured_one_and_the_message_states_it(
        app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    app.config["RETENTION_DAYS"] = {"import": 30}
    path = write_csv(tmp_path / "f.csv", [["Il y a 40 jours", day(40), ""],
                                      ["Il y a 20 jours", day(20), ""]], header=HEADER)
    report = dry(app, path, establishment)
    assert [row["line"] for row in report.rejections] == [2] and report.valid == 1
    with app.test_request_context():
        assert import_checks.reason_message("expired_date", retention_days(app.config)) == (
            "La date remonte au-delà de la durée de conservation (30 jours) : cette rétroaction "
            "aurait déjà été détruite.")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert import_checks.reason_message("expired_date", retention_days(app.config)) == (
            "The date is older than the retention period (30 days): this feedback would already "
            "have been destroyed.")


def test_the_boundary_is_the_purge_s_own(app, make_establishment, tmp_path, monkeypatch):
    """A row is refused exactly when a purge at the same moment would destroy it.

    Anonymous comments go by whole Québec weeks: the purge's cutoff for them is the first week
    start after the retention period, and a row keeps only its week's start.
    """
    establishment = make_establishment("MCQ")
    monkeypatch.setattr(import_runs, "utcnow", lambda: NOW)
    with app.app_context():
        periods = privacy.retention_days(app.config)
    boundary = privacy.cutoffs(NOW, periods).moments["import"]
    assert boundary.astimezone(QUEBEC).weekday() == 0 and boundary >= NOW - timedelta(
        days=PERIOD)
    path = write_csv(tmp_path / "f.csv", [
        ["Le lundi de la limite", boundary.isoformat(), ""],                              # 2
        ["Le dimanche d'avant", (boundary - timedelta(seconds=1)).isoformat(), ""],       # 3
        # Within the period by the day, but its week began before the cutoff: it goes whole.
        ["Dans la semaine entamée", (NOW - timedelta(days=PERIOD)).isoformat(), ""],      # 4
        ["Une semaine plus tard", (boundary + timedelta(days=7)).isoformat(), ""],        # 5
    ], header=["Texte", "Date", "Type"])

    report = run(app, path, establishment, valid_only=True)
    assert {row["line"]: row["reasons"] for row in report.rejections} == {
        3: ["expired_date"], 4: ["expired_date"]}
    assert report.imported == 2
    with app.app_context():
        # A purge now keeps both imported rows; a week later, the one of the limit's week goes.
        assert privacy.purge(NOW, periods=periods, dry_run=True).count("import") == 0
        later = privacy.purge(NOW + timedelta(days=7), periods=periods, dry_run=True)
        assert later.count("import") == 1


@pytest.mark.committed
def test_the_web_check_and_the_rejected_rows_say_why_in_french(
        app, client, auth, make_establishment, make_user, tmp_path):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    job_id = job_id_of(upload(client, old_and_recent(tmp_path)))
    client.post(f"/imports/{job_id}/mapping", data={"text": "Texte", "date": "Date",
                                                    "sector": "Secteur"})
    message = (f"La date remonte au-delà de la durée de conservation ({PERIOD} jours) : cette "
               "rétroaction aurait déjà été détruite.")
    assert message in html.unescape(client.get(f"/imports/{job_id}/check").text)
    rejected = client.get(f"/imports/{job_id}/rejected.csv")
    lines = list(csv.reader(io.StringIO(rejected.text.lstrip("\ufeff")), delimiter=";"))
    assert [line[:2] for line in lines[1:]] == [["2", message]]

    client.post(f"/imports/{job_id}/run", data={"mode": "valid_only"})
    job = wait_for(app, job_id)
    assert (job.status, job.imported, job.rejected) == (ImportJobStatus.DONE, 2, 1)
    assert job.report["reasons"] == {"expired_date": 1}
    assert count(app, Feedback) == 2


def test_the_cli_reports_the_expired_rows(app, runner, make_establishment, tmp_path):
    make_establishment("MCQ")
    path = old_and_recent(tmp_path)
    result = runner.invoke(args=["import", str(path), "--establishment", "MCQ", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "To import:   2" in result.output and "Rejected:    1" in result.output
    assert f"expired_date: La date remonte au-delà de la durée de conservation ({PERIOD} jours)" \
        in html.unescape(result.output)
    assert "line 2: La date remonte" in html.unescape(result.output)

    result = runner.invoke(args=["import", str(path), "--establishment", "MCQ"])
    assert result.exit_code == 1 and count(app, Feedback) == 0
    result = runner.invoke(args=["import", str(path), "--establishment", "MCQ", "--valid-only"])
    assert result.exit_code == 0, result.output
    assert "Imported:    2" in result.output and count(app, Feedback) == 2
