"""Importing CSV and XLSX files: reading, checking, dry runs, real runs, idempotence, rollback."""

import csv
import html
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from openpyxl import Workbook
from sqlalchemy import func, select

from feedback.clock import QUEBEC, local_day_start, local_week_start, utcnow
from feedback.extensions import db
from feedback.imports import checking as import_checks
from feedback.imports import jobs as import_jobs
from feedback.imports import mapping as import_mapping
from feedback.imports import reading as import_reading
from feedback.imports import running as import_runs
from feedback.insights.exports import csv_safe
from feedback.insights.rollups import WHOLE_FEEDBACK
from feedback.models import (
    AuditEntry,
    Feedback,
    FeedbackKind,
    FeedbackRollup,
    FeedbackTheme,
    ImportJob,
    ImportJobStatus,
    ImportMapping,
    Role,
    Sector,
    Site,
    WriterRole,
)
from feedback.tagging import active_themes, analysed_themes, current_analyser

HEADER = ["Texte", "Date", "Secteur", "Rôle", "Phase"]
ROWS = [
    ["Le tap-in fonctionne enfin à l'urgence, merci à l'équipe.", "2026-05-12", "urgence",
     "infirmière", "1"],
    ["Impossible d'imprimer les étiquettes; on perd 20 minutes par quart.", "13/05/2026 14h30",
     "Oncologie", "médecin", ""],
    ["The sepsis order set is still missing, we work around it.", "2026-05-14 08:15",
     "Emergency", "nurse", "2"],
]


def write_csv(path: Path, rows, *, encoding="utf-8-sig", delimiter=";",
              header=HEADER) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows, header=HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def settings_for(path: Path, establishment, **options) -> import_runs.ImportSettings:
    table = import_reading.read_headers(path)
    return import_runs.ImportSettings(import_mapping.suggest_mapping(table.headers),
                                      establishment.id, **options,
                                      rules=import_runs.ImportRules.from_config(current_app.config))


def run(app, path: Path, establishment, **options) -> import_checks.Report:
    """A real run, committed, as the CLI does it."""
    with app.app_context():
        _job, report = import_runs.import_file(path, settings_for(path, establishment, **options),
                                           source="test", filename=path.name)
        db.session.commit()
    return report


def dry(app, path: Path, establishment, **options) -> import_checks.Report:
    with app.app_context():
        return import_runs.dry_run(path, settings_for(path, establishment, **options))


def stored(app) -> list[Feedback]:
    with app.app_context():
        rows = db.session.scalars(select(Feedback).order_by(Feedback.id)).all()
        for row in rows:
            _ = row.sector, row.site, row.themes
            db.session.expunge(row)
        return rows


# --- Reading --------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_each_encoding_and_separator_dry_runs_then_imports(
        app, make_establishment, tmp_path, encoding, delimiter):
    establishment = make_establishment("MCQ")
    path = write_csv(tmp_path / "file.csv", ROWS, encoding=encoding, delimiter=delimiter)

    table = import_reading.read_headers(path)
    assert table.headers == HEADER and table.delimiter == delimiter
    assert table.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig",
                              "cp1252": "cp1252"}[encoding]

    report = dry(app, path, establishment)
    assert (report.total, report.valid, report.duplicates, report.rejected) == (3, 3, 0, 0)
    assert count(app, Feedback) == 0  # a dry run writes nothing

    report = run(app, path, establishment)
    assert (report.imported, report.rejected) == (3, 0)
    rows = stored(app)
    assert [row.text for row in rows] == [text for text, *_ in ROWS]  # accents intact
    assert [row.kind for row in rows] == [FeedbackKind.IMPORT] * 3
    assert [row.role for row in rows] == [WriterRole.NURSE, WriterRole.PHYSICIAN,
                                          WriterRole.NURSE]
    assert [row.sector.code for row in rows] == ["urgence", "oncologie", "urgence"]
    assert rows[0].site is not None and rows[0].site_id == rows[0].sector.site_id
    assert [row.language for row in rows] == ["fr", "fr", "en"]
    # Imported comments are anonymous: whatever the file gives (a day, a time read as Québec
    # time), each keeps only the start of its Québec week.
    assert [row.created_at for row in rows] == [local_week_start(date(2026, 5, 12))] * 3
    # Phases: as given, or from the date (go-live 2026-05-09: day 4 is phase 1).
    assert [row.phase for row in rows] == [1, 1, 2]


def test_xlsx_dry_run_and_real_run(app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    rows = [
        ["Le lecteur de bracelets ne répond plus à la pharmacie.",
         datetime(2026, 5, 12, 9, 30), "urgence", "Professionnel", 2],
        ["Formation utile, mais trop courte pour les nuits.", date(2026, 5, 13), "oncologie",
         None, 3.0],
        [None, None, None, None, None],  # a blank row, as sheets often end: ignored
    ]
    path = write_xlsx(tmp_path / "sheet.xlsx", rows)
    assert import_reading.read_headers(path).format == "xlsx"

    report = dry(app, path, establishment)
    assert (report.total, report.valid, report.rejected) == (2, 2, 0)
    assert count(app, Feedback) == 0

    assert run(app, path, establishment).imported == 2
    first, second = stored(app)
    assert first.created_at == second.created_at == local_week_start(date(2026, 5, 12))
    assert (first.role, first.phase) == (WriterRole.PROFESSIONAL, 2)
    assert (second.role, second.phase) == (WriterRole.OTHER, 3)


def test_semicolons_are_recognised_even_with_commas_in_the_texts():
    sample = ('texte;secteur\n"Lent, très lent, et ça plante";urgence\n'
              '"Oui, non, peut-être";oncologie\n')
    assert import_reading.detect_delimiter(sample) == ";"
    assert import_reading.detect_delimiter("text,sector\n\"a; b\",urgence\n") == ","
    # One column whose texts hold commas stays one column.
    assert import_reading.detect_delimiter("texte\nLent, très lent\nOui, non\n") != ","


@pytest.mark.parametrize(("content", "message"), [
    (b"", "vide"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", ".xls"),
    (b"PK\x03\x04 not really a workbook", "Excel"),
    (b"texte\n\x81\x8d\x8f\x90\x9d\n", "caract"),
])
def test_unreadable_files_are_refused_with_a_reason(app, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with app.test_request_context():
        with pytest.raises(import_reading.ImportFileError) as error:
            import_reading.read_headers(path)
        assert message in str(error.value)  # in French, the default language


def test_a_workbook_too_large_once_unpacked_is_refused(app, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "big.xlsx", ROWS)
    monkeypatch.setattr(import_reading, "MAX_XLSX_UNPACKED", 1000)
    with app.test_request_context():
        with pytest.raises(import_reading.ImportFileError) as error:
            import_reading.read_headers(path)
        assert "trop volumineux une fois décompressé" in str(error.value)


def test_column_names_in_french_or_english_are_recognised_and_memory_wins():
    headers = ["Horodatage", "Commentaire", "Unité", "Titre d'emploi", "Type", "Autre chose"]
    assert import_mapping.suggest_mapping(headers) == {
        "text": "Commentaire", "date": "Horodatage", "sector": "Unité",
        "role": "Titre d'emploi", "kind": "Type"}
    remembered = {"text": "Autre chose", "kind": "Absente"}
    assert import_mapping.suggest_mapping(headers, remembered)["text"] == "Autre chose"
    assert "kind" in import_mapping.suggest_mapping(headers, remembered)  # absent column: by name
    assert import_mapping.parse_mapping_options(["Col A=text", "x=y=sector"]) == {
        "text": "Col A", "sector": "x=y"}
    with pytest.raises(ValueError):
        import_mapping.parse_mapping_options(["Col A=colour"])


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-05-12", (local_day_start(date(2026, 5, 12)), False)),
    ("12/05/2026", (local_day_start(date(2026, 5, 12)), False)),
    ("12-05-2026 7h05", (datetime(2026, 5, 12, 7, 5, tzinfo=QUEBEC).astimezone(UTC), True)),
    ("2026/05/12 23:59:30", (datetime(2026, 5, 12, 23, 59, 30, tzinfo=QUEBEC).astimezone(UTC),
                             True)),
    ("2026-05-12T10:00:00Z", (datetime(2026, 5, 12, 10, tzinfo=UTC), True)),
    ("2026-05-12T10:00:00-04:00", (datetime(2026, 5, 12, 14, tzinfo=UTC), True)),
    ("", None),
])
def test_dates_are_read_as_quebec_times(value, expected):
    assert import_checks.parse_moment(value) == expected


@pytest.mark.parametrize("value", ["31/02/2026", "2026-13-01", "hier", "12/05/26", "1999-12-31",
                                   "05/12"])
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError):
        import_checks.parse_moment(value)


# --- Checking -------------------------------------------------------------------------------------

def test_every_rejection_reason_with_its_line(app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    other = make_establishment("AUTRE")
    with app.app_context():
        # A second site with its own "urgence": naming the sector alone becomes ambiguous.
        site = Site(name="CLSC Nord", kind="clsc", establishment_id=establishment.id)
        site.sectors = [Sector(code="urgence", name_fr="Urgence", name_en="Emergency"),
                        Sector(code="pediatrie", name_fr="Pédiatrie", name_en="Pediatrics")]
        db.session.add(site)
        db.session.commit()
    future = (utcnow() + timedelta(days=3)).astimezone(QUEBEC).date().isoformat()
    expired = (utcnow() - timedelta(days=800)).astimezone(QUEBEC).date().isoformat()
    header = ["Texte", "Date", "Établissement", "Site", "Secteur", "Rôle", "Phase", "Type"]
    rows = [
        ["Bon texte", "2026-05-12", "MCQ", "Hôpital 1", "urgence", "inf", "1", "sondage"],  # 2
        ["", "2026-05-12", "", "", "", "", "", ""],                                  # 3 text
        ["x" * (import_checks.MAX_IMPORT_TEXT_LENGTH + 1), "", "", "", "", "", "", ""],    # 4 long
        ["Autre", "", other.code, "", "", "", "", ""],                               # 5 estab.
        ["Autre", "", "", "Hôpital inconnu", "", "", "", ""],                        # 6 site
        ["Autre", "", "", "", "cardiologie", "", "", ""],                            # 7 sector
        ["Autre", "", "", "", "urgence", "", "", ""],                                # 8 ambig.
        ["Autre", "le 12 mai", "", "", "", "", "", ""],                              # 9 date
        ["Autre", future, "", "", "", "", "", ""],                                   # 10 future
        ["Autre", "", "", "", "", "chirurgien-dentiste", "", ""],                    # 11 role
        ["Autre", "", "", "", "", "", "4", ""],                                      # 12 phase
        ["Autre", "", "", "", "", "", "", "courriel"],                               # 13 kind
        ["", "hier", "", "", "", "", "", ""],                                        # 14 two
        ["Bon aussi", "", "", "CLSC Nord", "urgence", "", "", ""],                   # 15 ok
        ["Autre", expired, "", "", "", "", "", ""],                                  # 16 purged
    ]
    path = write_csv(tmp_path / "bad.csv", rows, header=header)
    report = dry(app, path, establishment)
    assert (report.total, report.valid, report.rejected) == (15, 2, 13)
    by_line = {row["line"]: row["reasons"] for row in report.rejections}
    assert by_line == {
        3: ["missing_text"], 4: ["too_long"], 5: ["unknown_establishment"],
        6: ["unknown_site"], 7: ["unknown_sector"], 8: ["ambiguous_sector"], 9: ["bad_date"],
        10: ["future_date"], 11: ["bad_role"], 12: ["bad_phase"], 13: ["bad_kind"],
        14: ["missing_text", "bad_date"], 16: ["expired_date"],
    }
    assert set(report.reasons) == {reason.value for reason in import_checks.Reason}
    assert report.reasons["missing_text"] == 2 and report.reasons["bad_date"] == 2
    # The report keeps rejected texts short and without patient identifiers.
    assert len(by_line) == 13
    long_row = next(row for row in report.rejections if row["line"] == 4)
    assert len(long_row["values"]["text"]) == import_checks.REPORTED_TEXT_LENGTH

    # All or nothing refuses the whole file; valid rows only imports lines 2 and 15.
    with app.app_context(), pytest.raises(import_checks.RowsRejected):
        import_runs.import_file(path, settings_for(path, establishment), source="",
                            filename="bad.csv")
    assert count(app, Feedback) == 0
    assert run(app, path, establishment, valid_only=True).imported == 2
    first, second = stored(app)
    assert first.sector.code == "urgence" and first.site.name == "Hôpital 1"
    assert second.site.name == "CLSC Nord"


def test_rejected_texts_in_the_report_are_redacted(app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    path = write_csv(tmp_path / "f.csv", [
        ["Rappeler la famille au 514-555-1234 pour M. Tremblay", "", "cardiologie", "", ""]])
    report = dry(app, path, establishment)
    text = report.rejections[0]["values"]["text"]
    assert "514-555-1234" not in text and "Tremblay" not in text


ROW_WITH_IDENTIFIERS = ("Le bracelet de M. Tremblay (514-555-1234) ne scanne pas et la "
                        "formation sur les ordonnances était trop courte.")


def test_each_row_goes_through_the_pipeline_redaction_first(app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    path = write_csv(tmp_path / "f.csv", [[ROW_WITH_IDENTIFIERS, "", "urgence", "", ""]])
    run(app, path, establishment)
    (row,) = stored(app)
    assert "514-555-1234" not in row.text and "Tremblay" not in row.text
    assert "[TÉLÉPHONE]" in row.text
    with app.app_context():  # analysed like any feedback: the same result as the pipeline's
        themes = active_themes()
        result = current_analyser(themes).analyse(ROW_WITH_IDENTIFIERS)
        assert row.text == result.redacted and row.language == result.language
        assert row.sentiment.value == result.sentiment.label
        assert sorted(link.theme_id for link in row.themes) == sorted(
            theme.id for theme, _ in analysed_themes(result, themes))


def test_imported_rows_keep_only_their_week(app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    path = write_csv(tmp_path / "f.csv", [["Commentaire du sondage", "2026-05-12 16:45"]],
                     header=["Texte", "Date"])
    path_kind = write_csv(tmp_path / "g.csv", [["Commentaire du sondage", "2026-05-12 16:45",
                                                "Sondage"]], header=["Texte", "Date", "Type"])
    run(app, path, establishment)
    run(app, path_kind, establishment)
    timed, survey = stored(app)
    assert timed.created_at == survey.created_at == local_week_start(date(2026, 5, 12))
    assert survey.kind is FeedbackKind.IMPORT  # never a survey response: it has no answers


def test_formula_looking_cells_are_stored_as_text_and_exported_neutralised(
        app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    texts = ['=HYPERLINK("http://example.org","clic")', "+1 infirmière manquante la nuit",
             "-2 h d'attente pour un accès", "@équipe TI : le lecteur plante", "=1+1"]
    csv_path = write_csv(tmp_path / "f.csv", [[text, "", "", "", ""] for text in texts[:3]])
    xlsx_path = write_xlsx(tmp_path / "f.xlsx", [[text, None, None, None, None]
                                                  for text in texts[3:]])
    run(app, csv_path, establishment)
    run(app, xlsx_path, establishment)
    rows = stored(app)
    assert [row.text for row in rows] == texts  # the characters as written, never a result
    assert [csv_safe(row.text)[0] for row in rows] == ["'"] * len(texts)


def test_a_formula_cell_of_a_workbook_is_read_as_its_formula(app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Texte"])
    sheet["A2"] = '=CONCAT("Bonjour ", "le monde")'  # a real formula cell
    workbook.save(tmp_path / "formula.xlsx")
    run(app, tmp_path / "formula.xlsx", establishment)
    assert stored(app)[0].text == '=CONCAT("Bonjour ", "le monde")'


# --- Idempotence, rollback ------------------------------------------------------------------------

def test_reimporting_the_same_file_or_the_same_rows_creates_no_duplicate(
        app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    first = write_csv(tmp_path / "a.csv", ROWS)
    assert run(app, first, establishment).imported == 3
    again = run(app, first, establishment)
    assert (again.imported, again.duplicates) == (0, 3)
    assert dry(app, first, establishment).valid == 0

    # The same rows in another file, another encoding and separator, plus a new one and a
    # repeat within the file: only the new one is added.
    new = ["Nouveau commentaire sur les ordonnances", "2026-05-15", "urgence", "autre", ""]
    other = write_csv(tmp_path / "b.csv", [*ROWS, new, new], encoding="cp1252", delimiter=",")
    report = run(app, other, establishment)
    assert (report.total, report.imported, report.duplicates) == (5, 1, 4)
    assert count(app, Feedback) == 4

    # The same text in another establishment is another row.
    elsewhere = make_establishment("AUTRE")
    assert run(app, first, elsewhere).imported == 3
    assert count(app, Feedback) == 7
    with app.app_context():
        hashes = db.session.scalars(select(Feedback.content_hash)).all()
    assert len(set(hashes)) == 7 and all(len(h) == 64 for h in hashes)


def test_rows_stored_by_a_concurrent_import_are_skipped_at_insert_time(
        app, make_establishment, tmp_path, monkeypatch):
    establishment = make_establishment("MCQ")
    run(app, write_csv(tmp_path / "a.csv", ROWS[:2]), establishment)
    with app.app_context():
        links_before = db.session.scalar(select(func.count()).select_from(FeedbackTheme))
    # As if another import stored the first two rows after this one checked for duplicates.
    monkeypatch.setattr(import_runs, "stored_hashes", lambda hashes: set())
    report = run(app, write_csv(tmp_path / "b.csv", ROWS), establishment)
    assert (report.imported, report.duplicates, report.valid) == (1, 2, 1)
    assert count(app, Feedback) == 3
    with app.app_context():  # the rows already there got no second set of themes
        first_two = db.session.scalars(select(Feedback.id).order_by(Feedback.id).limit(2)).all()
        assert db.session.scalar(select(func.count()).select_from(FeedbackTheme).where(
            FeedbackTheme.feedback_id.in_(first_two))) == links_before


def test_a_failure_midway_rolls_everything_back(app, make_establishment, tmp_path,
                                                monkeypatch):
    establishment = make_establishment("MCQ")
    rows = [[f"Commentaire numéro {n} sur le tap-in", "", "urgence", "", ""] for n in range(7)]
    path = write_csv(tmp_path / "f.csv", rows)
    monkeypatch.setattr(import_runs, "CHUNK_SIZE", 2)
    real_insert = import_runs._insert_chunk
    calls = []

    def failing_insert(staged, report, *args):
        calls.append(len(staged))
        if len(calls) == 3:  # two chunks (4 rows) already inserted in the transaction
            raise RuntimeError("disk full")
        real_insert(staged, report, *args)

    monkeypatch.setattr(import_runs, "_insert_chunk", failing_insert)
    with app.app_context():
        with pytest.raises(RuntimeError):
            import_runs.import_file(path, settings_for(path, establishment), source="s",
                                filename="f.csv")
        db.session.rollback()
    assert calls == [2, 2, 2]
    assert count(app, Feedback) == 0
    assert count(app, FeedbackTheme) == 0
    assert count(app, FeedbackRollup) == 0
    assert count(app, ImportJob) == 0 and count(app, ImportMapping) == 0


@pytest.mark.committed
def test_summary_tables_follow_an_import(app, make_establishment, tmp_path):
    establishment = make_establishment("MCQ")
    run(app, write_csv(tmp_path / "a.csv", ROWS), establishment)
    with app.app_context():
        counted = db.session.scalar(select(func.sum(FeedbackRollup.n)).where(
            FeedbackRollup.theme_id == WHOLE_FEEDBACK))
        themed = db.session.scalar(select(func.sum(FeedbackRollup.n)).where(
            FeedbackRollup.theme_id != WHOLE_FEEDBACK))
    assert counted == 3
    assert themed == count(app, FeedbackTheme)


# --- Web pages ------------------------------------------------------------------------------------

def upload(client, path: Path, source="Formulaires", **extra):
    with open(path, "rb") as handle:
        return client.post("/imports/", data={"file": (io.BytesIO(handle.read()), path.name),
                                              "source": source, **extra},
                           content_type="multipart/form-data")


def wait_for(app, job_id: int) -> ImportJob:
    """The job as its task left it (tests run tasks at once, where they are queued)."""
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        db.session.expunge(job)
    return job


def job_id_of(response) -> int:
    return int(response.headers["Location"].split("/")[2])


@pytest.mark.committed
def test_the_web_flow_valid_rows_only_with_the_rejected_csv(
        app, client, auth, make_establishment, make_user, tmp_path):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    rows = [*ROWS, ["", "2026-05-12", "urgence", "", ""],
            ['=HYPERLINK("x")', "pas une date", "urgence", "", ""]]
    path = write_csv(tmp_path / "Sondage mai.csv", rows)
    response = upload(client, path)
    assert response.status_code == 302
    job_id = job_id_of(response)

    page = client.get(f"/imports/{job_id}/mapping")
    assert page.status_code == 200
    assert '<option selected value="Texte">' in page.text  # suggested from the header
    response = client.post(f"/imports/{job_id}/mapping", data={
        "text": "Texte", "date": "Date", "sector": "Secteur", "role": "Rôle", "phase": "Phase"})
    assert response.headers["Location"].endswith(f"/imports/{job_id}/check")
    assert count(app, Feedback) == 0  # the dry run wrote nothing

    page = html.unescape(client.get(f"/imports/{job_id}/check").text)
    assert "Le texte est vide." in page and "La date n'est pas valide" in page
    rejected = client.get(f"/imports/{job_id}/rejected.csv")
    lines = list(csv.reader(io.StringIO(rejected.text.lstrip("\ufeff")), delimiter=";"))
    assert [line[0] for line in lines[1:]] == ["5", "6"]
    assert lines[2][2] == "'=HYPERLINK(\"x\")"  # neutralised for spreadsheets

    response = client.post(f"/imports/{job_id}/run", data={"mode": "valid_only"})
    assert response.headers["Location"].endswith(f"/imports/{job_id}")
    job = wait_for(app, job_id)
    assert (job.status, job.imported, job.rejected, job.duplicates) == (
        ImportJobStatus.DONE, 3, 2, 0)
    assert count(app, Feedback) == 3
    assert client.get(f"/imports/{job_id}/status").json["finished"] is True
    page = html.unescape(client.get(f"/imports/{job_id}").text)
    assert "Importation terminée." in page and "rejected.csv" in page
    assert "stored_as" not in job.report
    assert list((Path(app.instance_path) / "imports").iterdir()) == []  # upload deleted
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import.run"))
        assert entry.details["imported"] == 3 and entry.establishment_id == establishment.id

    # The next file of the same source gets the same columns, even with other names around.
    path = write_csv(tmp_path / "juin.csv", [["x", "y", "Un texte"]],
                     header=["Colonne A", "Colonne B", "Texte"])
    job_id = job_id_of(upload(client, path))
    with app.app_context():
        mapping = db.session.scalar(select(ImportMapping.mapping).where(
            ImportMapping.source == "Formulaires"))
    assert mapping["text"] == "Texte" and mapping["date"] == "Date"
    assert '<option selected value="Texte">' in client.get(f"/imports/{job_id}/mapping").text


@pytest.mark.committed
def test_all_or_nothing_on_the_web_imports_nothing_when_a_row_is_rejected(
        app, client, auth, make_establishment, make_user, tmp_path):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    rows = [*ROWS, ["", "2026-05-12", "", "", ""]]
    job_id = job_id_of(upload(client, write_csv(tmp_path / "f.csv", rows)))
    client.post(f"/imports/{job_id}/mapping", data={"text": "Texte", "sector": "Secteur"})
    client.post(f"/imports/{job_id}/run", data={"mode": "all"})
    job = wait_for(app, job_id)
    assert (job.status, job.imported, job.rejected) == (ImportJobStatus.FAILED, 0, 1)
    assert count(app, Feedback) == 0
    assert "rien n'a été importé" in html.unescape(client.get(f"/imports/{job_id}").text)


@pytest.mark.committed
def test_a_failing_background_run_leaves_the_database_unchanged(
        app, client, auth, make_establishment, make_user, tmp_path, monkeypatch):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    job_id = job_id_of(upload(client, write_csv(tmp_path / "f.csv", ROWS)))
    client.post(f"/imports/{job_id}/mapping", data={"text": "Texte", "sector": "Secteur"})
    monkeypatch.setattr(import_runs.rollups, "add_feedback", lambda *a, **k: 1 / 0)  # after inserts
    client.post(f"/imports/{job_id}/run", data={"mode": "all"})
    job = wait_for(app, job_id)
    assert job.status is ImportJobStatus.FAILED and job.imported == 0
    assert count(app, Feedback) == 0 and count(app, FeedbackTheme) == 0
    assert list((Path(app.instance_path) / "imports").iterdir()) == []


@pytest.mark.committed
def test_network_wide_users_choose_the_establishment_or_each_row_names_it(
        app, client, auth, make_establishment, make_user, tmp_path):
    a, b = make_establishment("AAA"), make_establishment("BBB")
    auth.login(make_user(Role.ADMIN, None).email)
    path = write_csv(tmp_path / "f.csv", [["Un", "AAA"], ["Deux", "bbb"], ["Trois", "CCC"]],
                     header=["Texte", "Établissement"])
    response = upload(client, path, establishment=str(b.id))
    job_id = job_id_of(response)
    client.post(f"/imports/{job_id}/mapping", data={"text": "Texte",
                                                    "establishment": "Établissement"})
    with app.app_context():
        check = db.session.get(ImportJob, job_id).report["check"]
    assert (check["valid"], check["rejected"]) == (1, 2)  # only BBB's row belongs here

    job_id = job_id_of(upload(client, path, establishment="0"))
    page = client.post(f"/imports/{job_id}/mapping", data={"text": "Texte"})
    assert page.status_code == 422  # each row must then name its establishment
    client.post(f"/imports/{job_id}/mapping", data={"text": "Texte",
                                                    "establishment": "Établissement"})
    client.post(f"/imports/{job_id}/run", data={"mode": "valid_only"})
    assert wait_for(app, job_id).imported == 2
    with app.app_context():
        owners = db.session.scalars(select(Feedback.establishment_id).order_by(Feedback.id))
        assert list(owners) == [a.id, b.id]


def test_imports_are_for_managers_and_stay_in_their_establishment(
        app, client, auth, make_establishment, make_user, tmp_path):
    a, b = make_establishment("AAA"), make_establishment("BBB")
    auth.login(make_user(Role.SUPER_USER, a).email)
    assert client.get("/imports/").status_code == 403
    auth.logout()
    auth.login(make_user(Role.MANAGER, a).email)
    job_id = job_id_of(upload(client, write_csv(tmp_path / "f.csv", ROWS)))
    auth.logout()
    auth.login(make_user(Role.MANAGER, b).email)
    for url in (f"/imports/{job_id}/mapping", f"/imports/{job_id}/check", f"/imports/{job_id}",
                f"/imports/{job_id}/status", f"/imports/{job_id}/rejected.csv"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/imports/{job_id}/run", data={"mode": "all"}).status_code == 404


def test_uploads_are_limited_in_size_with_a_clear_error(app, client, auth, make_establishment,
                                                       make_user, tmp_path):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    app.config["IMPORT_MAX_BYTES"] = 200
    path = write_csv(tmp_path / "f.csv", ROWS)
    response = upload(client, path)
    assert response.status_code == 422
    assert "Le fichier dépasse" in html.unescape(response.text)
    app.config["MAX_CONTENT_LENGTH"] = 300  # the hard cap: refused before it is read
    response = upload(client, path)
    assert response.status_code == 413
    assert 'id="file-error"' in response.text
    assert count(app, ImportJob) == 0
    assert not list((Path(app.instance_path) / "imports").glob("*"))


def test_the_progress_page_polls_with_javascript_and_refreshes_without(
        app, client, auth, make_establishment, make_user, tmp_path):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    job_id = job_id_of(upload(client, write_csv(tmp_path / "f.csv", ROWS)))
    client.post(f"/imports/{job_id}/mapping", data={"text": "Texte"})
    with app.app_context():  # as its task leaves it midway
        job = db.session.get(ImportJob, job_id)
        import_jobs.start_job(job, valid_only=False, total_rows=3, now=utcnow())
        job.processed_rows = 2
        job.report = {**job.report, "stage": "checking"}
        db.session.commit()
    page = client.get(f"/imports/{job_id}").text
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert 'src="/static/js/import-progress.js"' in page
    assert 'max="3" value="2">' in page and 'id="import-bar"' in page
    assert f'data-status-url="/imports/{job_id}/status"' in page
    status = client.get(f"/imports/{job_id}/status")
    assert status.json == {"status": "running", "stage": "checking", "total": 3, "processed": 2,
                           "imported": 0, "duplicates": 0, "rejected": 0, "finished": False}
    assert status.headers["Cache-Control"] == "no-store"


def test_abandoned_jobs_are_failed_and_their_files_deleted(
        app, client, auth, make_establishment, make_user, tmp_path):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    stale = job_id_of(upload(client, write_csv(tmp_path / "f.csv", ROWS)))
    with app.app_context():
        job = db.session.get(ImportJob, stale)
        job.created_at = utcnow() - import_jobs.STALE_PENDING - timedelta(minutes=1)
        db.session.commit()
    fresh = job_id_of(upload(client, write_csv(tmp_path / "g.csv", ROWS)))  # expires the other
    with app.app_context():
        assert db.session.get(ImportJob, stale).status is ImportJobStatus.FAILED
        assert db.session.get(ImportJob, fresh).status is ImportJobStatus.PENDING
        assert len(list((Path(app.instance_path) / "imports").iterdir())) == 1


def test_any_page_refuses_a_body_over_the_cap_with_a_page_not_a_crash(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/login", data={"email": "x" * 500, "password": "y"})
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "Ce que vous avez envoyé" in html.unescape(response.text)


def test_cancelling_deletes_the_upload(app, client, auth, make_establishment, make_user,
                                       tmp_path):
    establishment = make_establishment("MCQ")
    auth.login(make_user(Role.MANAGER, establishment).email)
    job_id = job_id_of(upload(client, write_csv(tmp_path / "f.csv", ROWS)))
    assert len(list((Path(app.instance_path) / "imports").iterdir())) == 1
    client.post(f"/imports/{job_id}/cancel")
    assert list((Path(app.instance_path) / "imports").iterdir()) == []
    with app.app_context():
        assert db.session.get(ImportJob, job_id).status is ImportJobStatus.FAILED


# --- Command line ---------------------------------------------------------------------------------

def test_cli_dry_run_then_import(app, runner, make_establishment, tmp_path):
    make_establishment("MCQ")
    path = write_csv(tmp_path / "f.csv", [*ROWS, ["", "2026-05-12", "", "", ""]],
                     header=["Commentaires", "Quand", "Secteur", "Rôle", "Phase"])
    result = runner.invoke(args=["import", str(path), "--establishment", "mcq", "--dry-run",
                                 "--map", "Quand=date"])
    assert result.exit_code == 0, result.output
    assert "To import:   3" in result.output and "Rejected:    1" in result.output
    assert "line 5" in result.output and "Dry run" in result.output
    assert count(app, Feedback) == 0

    result = runner.invoke(args=["import", str(path), "--establishment", "MCQ",
                                 "--map", "Quand=date", "--source", "Tableur"])
    assert result.exit_code == 1
    assert "nothing imported" in result.output and count(app, Feedback) == 0

    result = runner.invoke(args=["import", str(path), "--establishment", "MCQ",
                                 "--map", "Quand=date", "--source", "Tableur", "--valid-only"])
    assert result.exit_code == 0, result.output
    assert "Imported:    3" in result.output and count(app, Feedback) == 3
    # The source remembers its columns: the next run needs no --map.
    result = runner.invoke(args=["import", str(path), "--establishment", "MCQ",
                                 "--source", "Tableur", "--valid-only"])
    assert "date           ← Quand" in result.output
    assert "Duplicates:  3" in result.output and count(app, Feedback) == 3


@pytest.mark.parametrize(("args", "message"), [
    (["--establishment", "ZZZ"], "Unknown establishment 'ZZZ'"),
    (["--establishment", "MCQ", "--map", "Absente=text"], "No column 'Absente'"),
    (["--establishment", "MCQ", "--map", "Texte=couleur"], "--map takes column=field"),
    ([], "nomme l'établissement"),
])
def test_cli_explains_bad_options_and_writes_nothing(app, runner, make_establishment, tmp_path,
                                                     args, message):
    make_establishment("MCQ")
    path = write_csv(tmp_path / "f.csv", ROWS)
    result = runner.invoke(args=["import", str(path), *args])
    assert result.exit_code != 0
    assert message in html.unescape(result.output)
    assert count(app, Feedback) == 0
