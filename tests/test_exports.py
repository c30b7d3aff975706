"""CSV and XLSX exports: neutralised cells, empty selections, real workbooks, streaming."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from feedback import insights
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights import anonymity, exports
from feedback.models import AuditEntry, Establishment, Role, Theme

GO_LIVE = date(2026, 5, 9)
PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def test_csv_safe_neutralises_every_formula_prefix():
    for prefix in PREFIXES:
        assert exports.csv_safe(prefix + "1+1") == "'" + prefix + "1+1"
    assert exports.csv_safe("Le badge=OK") == "Le badge=OK"
    assert exports.csv_safe(None) == "" and exports.csv_safe(3) == "3"


def test_there_is_one_neutralising_function(app, client, auth, make_user, monkeypatch):
    """The administration's audit export is written by the same writer, so neutralised alike."""
    auth.login(make_user(Role.ADMIN).email)
    monkeypatch.setattr(exports, "csv_safe", lambda value: "neutralised")
    rows = list(csv.reader(io.StringIO(client.get("/admin/audit.csv").text.lstrip("\ufeff"))))
    assert len(rows) >= 2  # the header and the sign-in, at least
    assert {cell for row in rows for cell in row} == {"neutralised"}


def test_xlsx_cells_keep_numbers_and_neutralise_text():
    assert exports.xlsx_cell(12) == 12 and exports.xlsx_cell(-0.5) == -0.5
    assert exports.xlsx_cell(date(2026, 5, 9)) == date(2026, 5, 9)
    assert exports.xlsx_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert exports.xlsx_cell("bell\x07 here") == "bell here"  # XML cannot hold it


@pytest.fixture
def injected(make_establishment, add_feedback, cut):
    e = make_establishment("INJ", go_live=GO_LIVE)
    texts = ["=HYPERLINK(\"http://evil.example\",\"clic\")", "+1+1", "-2+3", "@SUM(A1)",
             "\tcmd", "\rcmd", "Texte ordinaire"]
    for text in texts:
        add_feedback(e, text=text, themes=("access",))
    cut()  # the queue's task cuts the finished weeks; pages never do
    return e, texts


def test_feedback_csv_neutralises_injected_formulas(app, client, auth, injected, make_user):
    e, texts = injected
    auth.login(make_user(Role.MANAGER, e).email)
    response = client.get("/dashboard/export/feedback.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"),
                                       newline="")))
    written = {row[-1] for row in rows[1:]}
    assert written == {("'" + t if t.startswith(PREFIXES) else t) for t in texts}
    for row in rows:
        assert not any(cell.startswith(PREFIXES) for cell in row)


def test_feedback_xlsx_opens_and_holds_no_formula(app, client, auth, injected, make_user):
    e, texts = injected
    auth.login(make_user(Role.MANAGER, e).email)
    response = client.get("/dashboard/export/feedback.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    rows = list(sheet.iter_rows())
    assert len(rows) == 1 + len(texts)
    for row in rows:
        for cell in row:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith(PREFIXES))
    # (XML reads a carriage return back as a line feed.)
    assert {row[-1].value.replace("\r", "\n") for row in rows[1:]} == {
        exports.xlsx_cell(t).replace("\r", "\n") for t in texts}


def test_summary_exports_hold_the_tables(app, client, auth, injected, make_user):
    e, _ = injected
    auth.login(make_user(Role.MANAGER, e).email)
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/dashboard/export/summary.xlsx").data))
    assert len(workbook.sheetnames) >= 8
    themes = next(s for s in workbook.worksheets if s["A1"].value in ("Theme", "Thème"))
    values = [row for row in themes.iter_rows(values_only=True)]
    assert values[1][1] == 7 and values[1][2] == 100.0  # 7 feedback, all on access
    text = client.get("/dashboard/export/summary.csv").get_data(as_text=True)
    assert text.startswith("\ufeff") and "\r\n\r\n" in text  # tables one after the other


def test_an_empty_selection_exports_headers_only(app, client, auth, make_establishment,
                                                 make_user):
    e = make_establishment("EMP", go_live=GO_LIVE)
    auth.login(make_user(Role.MANAGER, e).email)
    rows = list(csv.reader(io.StringIO(
        client.get("/dashboard/export/feedback.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 and len(rows[0]) == 15
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/dashboard/export/feedback.xlsx").data))
    assert workbook.active.max_row == 1
    assert client.get("/dashboard/export/summary.xlsx").status_code == 200


def test_exports_stream_and_are_audited(app, client, auth, injected, make_user):
    e, _ = injected
    manager = make_user(Role.MANAGER, e)
    auth.login(manager.email)
    response = client.get("/dashboard/export/feedback.csv?kind=survey&theme=access")
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) > 2  # a BOM, a header line, one line per feedback
    response.close()
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "export.download"))
        assert entry.actor_id == manager.id and entry.establishment_id == e.id
        assert entry.details["table"] == "feedback" and entry.details["format"] == "csv"
        assert entry.details["filter_theme"] == "access"
        assert entry.details["filter_kind"] == "survey"


def test_an_unknown_format_is_404(client, auth, make_establishment, make_user):
    e = make_establishment()
    auth.login(make_user(Role.MANAGER, e).email)
    assert client.get("/dashboard/export/feedback.pdf").status_code == 404


def test_feedback_is_read_a_batch_at_a_time(app, make_establishment, add_feedback):
    """Streamed batches: every row once, newest first, never more than a batch in hand."""
    e = make_establishment(go_live=GO_LIVE)
    ids = [add_feedback(e, day=date(2026, 5, 10 + n % 12), themes=("access",)) for n in range(23)]
    with app.app_context():
        anonymity.publish_due(db.session, 1, utcnow())  # every comment a cohort of its own
        f = insights.summary_filter(db.session.get(Establishment, e.id), GO_LIVE,
                                     date(2026, 5, 31), threshold=1)
        stmt = insights.listing(f)
        batches = list(exports.feedback_batches(stmt, batch=5))
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        seen = [item.id for batch in batches for item, _themes in batch]
        assert sorted(seen) == sorted(ids)
        expected = [item.id for item in db.session.scalars(stmt)]
        assert seen == expected
        access = db.session.scalar(select(Theme.id).where(Theme.code == "access"))
        assert all(themes == [access] for batch in batches for _, themes in batch)


def test_xlsx_splits_a_sheet_before_the_row_limit(monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    table = exports.Table("Rétroactions", ["n"], ([n] for n in range(7)))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(exports.xlsx_chunks([table]))))
    assert workbook.sheetnames == ["Rétroactions", "Rétroactions 2", "Rétroactions 3"]
    assert [workbook.worksheets[2].cell(2, 1).value] == [6]


def test_exports_write_numbers_as_numbers_the_singular_sentiment_and_one_charset(
        app, client, auth, make_establishment, make_user, add_feedback):
    e = make_establishment("NUM", go_live=GO_LIVE)
    add_feedback(e, kind="observation", role="super_user", polarity=-0.601,
                 sentiment="negative", themes=("access",))
    auth.login(make_user(Role.MANAGER, e).email)
    response = client.get("/dashboard/export/feedback.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"),
                                       newline="")))
    header, row = rows[0], rows[1]
    assert row[header.index("Polarité")] == "-0.601"  # a number, no quote in front
    assert row[header.index("Sentiment")] == "Négatif"  # one feedback's, not "Négatives"
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/dashboard/export/feedback.xlsx").data))
    sheet = workbook.active
    names = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, names.index("Polarité") + 1).value == -0.601
    assert sheet.cell(2, names.index("Sentiment") + 1).value == "Négatif"
    summary = client.get("/dashboard/export/summary.csv")
    assert summary.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_summary_sheets_have_their_whole_names(app, client, auth, injected, make_user):
    e, _ = injected
    auth.login(make_user(Role.MANAGER, e).email)
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/dashboard/export/summary.xlsx").data))
    assert workbook.sheetnames == [
        "Volumes par semaine", "Réponses par campagne", "Thèmes", "Thèmes par phase",
        "Thèmes par secteur", "Thèmes par semaine", "Médecins et autres",
        "Énoncés du sondage", "Indice de recommandation", "Indicateurs des enjeux"]
