"""Large exports as tasks of the job queue (run where they are queued: Huey's immediate mode).

The file must hold exactly what the direct download gives, and reach only the person who asked.
"""

import csv
import html
import io
import logging
import os
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from feedback import tasks
from feedback.clock import utcnow
from feedback.extensions import db, task_queue
from feedback.insights import export_jobs, exports
from feedback.models import AuditEntry, ExportJob, ExportJobStatus, Role
from feedback.queue import RetryPolicy

PATIENT = "Mme Gisèle Tremblay, RAMQ TREG 5203 1512"
PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXTS = ["=HYPERLINK(\"http://evil.example\",\"clic\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd",
         "\rcmd", "Texte ordinaire", "Un autre commentaire"]
# Half are observations (listed); the other half, four survey comments of one week, stay out of
# every export, direct or prepared, since no cohort of fewer than five is cut.
SHOWN = len(TEXTS) // 2


@pytest.fixture
def world(app, make_establishment, make_user, add_feedback):
    """An establishment whose feedback list is 'large' (more than 3 rows), its manager, and a
    manager of another establishment."""
    e = make_establishment("INJ")
    for n, text in enumerate(TEXTS):
        add_feedback(e, text=text, themes=("access",), kind="observation" if n % 2 else "survey")
    app.config["EXPORT_DIRECT_ROWS"] = 3
    other = make_establishment("OTH")
    return e, make_user(Role.MANAGER, e), make_user(Role.MANAGER, other)


def direct(app, client, fmt: str, query: str = "") -> bytes:
    """What the direct download gives for the same selection."""
    app.config["EXPORT_DIRECT_ROWS"] = 1_000_000
    response = client.get(f"/dashboard/export/feedback.{fmt}{query}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    app.config["EXPORT_DIRECT_ROWS"] = 3
    return body


def prepare(client, fmt: str, query: str = "") -> str:
    """Ask for the export as the page does; returns the address of the job's page."""
    page = client.get(f"/dashboard/export/feedback.{fmt}{query}")
    assert page.status_code == 200 and "Préparer le fichier" in page.text
    response = client.post(f"/dashboard/export/feedback.{fmt}{query}")
    assert response.status_code == 302
    return response.headers["Location"]


def only_job(app) -> ExportJob:
    with app.app_context():
        job = db.session.scalars(select(ExportJob)).one()
        db.session.expunge(job)
    return job


def folder_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "exports").iterdir())


def test_a_large_csv_export_is_prepared_then_its_file_equals_the_direct_download(
        app, client, auth, world):
    e, manager, _ = world
    auth.login(manager.email)
    query = "?theme=access"
    expected = direct(app, client, "csv", query)
    address = prepare(client, "csv", query)
    page = client.get(address)
    lines = expected.decode().count("\r\n") - 1  # the header aside
    assert lines == SHOWN
    assert f"Le fichier est prêt : {lines} lignes." in html.unescape(page.text)
    assert 'http-equiv="refresh"' not in page.text  # done: no more refreshing
    job = only_job(app)
    assert (job.status, job.attempts, job.rows) == (ExportJobStatus.DONE, 1, lines)
    assert job.selection["theme_id"] is not None and "text" not in job.selection
    response = client.get(f"{address}/file")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename=echo-INJ-feedback-' in response.headers["Content-Disposition"]
    assert response.get_data() == expected
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"),
                                       newline="")))
    assert len(rows) == 1 + SHOWN
    for row in rows:
        assert not any(cell.startswith(PREFIXES) for cell in row)
    response.close()
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "export.download", AuditEntry.target_type == "exportjob"))
        assert entry.actor_id == manager.id and entry.establishment_id == e.id
        assert entry.details["filter_theme"] == "access" and entry.details["format"] == "csv"


def test_a_large_xlsx_export_holds_the_direct_downloads_cells_and_no_formula(
        app, client, auth, world):
    _, manager, _ = world
    auth.login(manager.email)
    expected = openpyxl.load_workbook(io.BytesIO(direct(app, client, "xlsx")))
    address = prepare(client, "xlsx")
    response = client.get(f"{address}/file")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    response.close()
    values = list(workbook.active.iter_rows(values_only=True))
    assert values == list(expected.active.iter_rows(values_only=True))
    assert len(values) == 1 + SHOWN
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith(PREFIXES))


def test_an_export_is_offered_to_its_requester_alone(app, client, auth, world, make_user):
    e, manager, elsewhere = world
    auth.login(manager.email)
    address = prepare(client, "csv")
    colleague = make_user(Role.MANAGER, e)  # same establishment, same rights: not theirs
    admin = make_user(Role.ADMIN)
    for user in (elsewhere, colleague, admin):
        auth.logout()
        auth.login(user.email)
        assert client.get(address).status_code == 404
        assert client.get(f"{address}/file").status_code == 404
    auth.logout()
    auth.login(make_user(Role.SUPER_USER, e).email)
    assert client.get(f"{address}/file").status_code == 403


def test_a_small_export_still_streams(app, client, auth, world):
    _, manager, _ = world
    auth.login(manager.email)
    app.config["EXPORT_DIRECT_ROWS"] = len(TEXTS)  # not more than the limit: direct
    response = client.get("/dashboard/export/feedback.csv")
    assert response.is_streamed and "attachment" in response.headers["Content-Disposition"]
    response.close()
    assert not (Path(app.instance_path) / "exports").exists()


def queue(app, job_id: int, attempt: int = 1) -> None:
    with app.app_context():
        task_queue.enqueue(tasks.run_export, job_id, attempt)


def test_an_export_runs_once_even_when_queued_twice(app, client, auth, world):
    _, manager, _ = world
    auth.login(manager.email)
    prepare(client, "csv")
    job = only_job(app)
    queue(app, job.id)  # a second copy of the first attempt loses the claim
    assert only_job(app).attempts == 1 and len(folder_files(app)) == 1


def test_a_failing_attempt_is_retried(app, client, auth, world, monkeypatch):
    _, manager, _ = world
    auth.login(manager.email)
    real, calls = export_jobs.WRITERS["csv"], []

    def fails_once(tables, path):
        calls.append(1)
        if len(calls) == 1:
            Path(path).write_text("half a file")
            raise OSError(f"No space left on device, while writing {PATIENT}")
        real(tables, path)

    monkeypatch.setitem(export_jobs.WRITERS, "csv", fails_once)
    prepare(client, "csv")
    job = only_job(app)
    assert (job.status, job.attempts, job.rows, job.error) == (
        ExportJobStatus.DONE, 2, SHOWN, "")
    assert [path.suffix for path in folder_files(app)] == [".csv"]  # no half file left


def test_retries_then_the_export_fails_with_its_reason_and_no_patient_text_in_the_logs(
        app, client, auth, world, monkeypatch, caplog):
    _, manager, _ = world
    auth.login(manager.email)

    def full_disk(tables, path):
        for table in tables:
            next(iter(table.rows))  # the texts were read: none of them may reach the logs
        raise OSError(f"No space left on device, while writing {PATIENT}")

    monkeypatch.setitem(export_jobs.WRITERS, "csv", full_disk)
    caplog.set_level(logging.INFO)
    address = prepare(client, "csv")
    job = only_job(app)
    assert (job.status, job.attempts, job.stored_as) == (ExportJobStatus.FAILED, 3, "")
    assert job.error == "L'exportation a échoué 3 fois (OSError) : réessayez plus tard."
    assert job.error in html.unescape(client.get(address).text)
    assert client.get(f"{address}/file").status_code == 302  # back to its page
    assert "failed: OSError" in caplog.text and "full_disk" in caplog.text  # where, not what
    assert "Tremblay" not in caplog.text and "5203" not in caplog.text
    assert not any(text in caplog.text for text in TEXTS[-2:])
    assert folder_files(app) == []


def test_while_it_runs_the_page_says_so_and_refreshes_itself(app, client, auth, world):
    _, manager, _ = world
    auth.login(manager.email)
    app.config.update(QUEUE_IMMEDIATE=False, QUEUE_URL=f"sqlite:///{app.instance_path}/q.db")
    address = prepare(client, "csv")
    page = client.get(address)
    assert '<meta http-equiv="refresh" content="5">' in page.text
    assert "En préparation : 0 lignes écrites jusqu'ici." in html.unescape(page.text)
    assert "<script>" not in page.text
    assert client.get(f"{address}/file").headers["Location"].endswith(address)


def test_when_the_queue_is_out_of_reach_the_export_page_says_so(app, client, auth, world):
    _, manager, _ = world
    auth.login(manager.email)
    app.config.update(QUEUE_IMMEDIATE=False, QUEUE_URL="redis://127.0.0.1:1/0")
    address = prepare(client, "csv")
    assert only_job(app).status is ExportJobStatus.FAILED
    assert "La file des tâches est injoignable" in html.unescape(client.get(address).text)


def test_stalled_exports_are_started_again_or_failed_once_out_of_attempts(
        app, client, auth, world):
    _, manager, _ = world
    auth.login(manager.email)
    app.config.update(QUEUE_IMMEDIATE=False, QUEUE_URL=f"sqlite:///{app.instance_path}/q.db")
    for _ in range(3):
        prepare(client, "csv")
    now = utcnow()
    policy = RetryPolicy(attempts=3, first_delay=0, lease=600)
    with app.app_context():
        stalled, fresh, spent = db.session.scalars(select(ExportJob).order_by(ExportJob.id))
        for job, attempts, silent in ((stalled, 1, 601), (fresh, 1, 30), (spent, 3, 601)):
            job.attempts, job.heartbeat_at = attempts, now - timedelta(seconds=silent)
        db.session.commit()
        due = export_jobs.resume_stalled_exports(policy, now)
        db.session.commit()
        assert due == [(stalled.id, 2)]
        assert export_jobs.resume_stalled_exports(policy, now) == []  # not twice in a lease
        assert db.session.get(ExportJob, fresh.id).status is ExportJobStatus.RUNNING
        failed = db.session.get(ExportJob, spent.id)
        assert failed.status is ExportJobStatus.FAILED and "3 fois" in failed.error
    app.config.update(QUEUE_IMMEDIATE=True)
    queue(app, stalled.id, 2)
    with app.app_context():
        assert db.session.get(ExportJob, stalled.id).status is ExportJobStatus.DONE


def test_files_are_deleted_once_expired_and_forgotten_jobs_with_them(app, client, auth, world):
    _, manager, _ = world
    auth.login(manager.email)
    address = prepare(client, "csv")
    orphan = Path(app.instance_path) / "exports" / "0123abcd.part"  # of a killed attempt
    orphan.write_text("half")
    a_day_ago = (utcnow() - timedelta(days=1, minutes=1)).timestamp()
    os.utime(orphan, (a_day_ago, a_day_ago))
    with app.app_context():
        assert export_jobs.expire_exports(app.instance_path, utcnow()) == 0  # not yet
        assert len(folder_files(app)) == 1
        job = db.session.scalars(select(ExportJob)).one()
        assert export_jobs.expire_exports(app.instance_path, job.expires_at + timedelta(1)) == 1
        db.session.commit()
    assert folder_files(app) == []
    job = only_job(app)
    assert (job.status, job.stored_as) == (ExportJobStatus.EXPIRED, "")
    assert "Ce fichier a été supprimé" in html.unescape(client.get(address).text)
    assert client.get(f"{address}/file").status_code == 302
    with app.app_context():
        export_jobs.expire_exports(app.instance_path, utcnow() + timedelta(days=31))
        assert db.session.scalars(select(ExportJob)).all() == []


def test_the_csv_writer_writes_what_the_stream_sends(tmp_path):
    table = exports.Table("T", ["a", "b"], iter([["=1", "é"], [None, 2]]))
    exports.write_csv([table], tmp_path / "t.csv")
    again = exports.Table("T", ["a", "b"], iter([["=1", "é"], [None, 2]]))
    assert (tmp_path / "t.csv").read_bytes() == "".join(exports.csv_lines([again])).encode()
