"""One set of figures: the summary page, the one-month update, the summary export and the API
tell the same story about the same weeks, on the demo's two establishments."""

import csv
import io
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from feedback.accounts import tokens
from feedback.clock import utcnow
from feedback.demo import DEMO_PASSWORD
from feedback.extensions import db
from feedback.insights import SummaryFigures
from feedback.insights.report import first_month
from feedback.models import Establishment, User
from feedback.web import summary_selection

# Under pytest-xdist the tests reading the demo share one worker, so it is seeded once.
pytestmark = pytest.mark.xdist_group("demo")


class _Table(HTMLParser):
    """The rows of the table with a given id, each a list of its cells' text."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(page: str, table_id: str) -> list[list[str]]:
    parser = _Table(table_id)
    parser.feed(page)
    assert parser.rows, f"no table {table_id!r} on the page"
    return parser.rows


def number(text: str) -> int | None:
    """A count as shown; None for a figure hidden by the anonymity guard (a dash)."""
    digits = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


def csv_tables(body: str) -> dict[str, list[list[str]]]:
    """The summary export's tables by title (each follows the blank line after the last)."""
    tables: dict[str, list[list[str]]] = {}
    for block in body.lstrip("\ufeff").split("\r\n\r\n"):
        rows = list(csv.reader(io.StringIO(block)))
        tables[rows[0][0]] = rows[1:]
    return tables


def test_page_report_export_and_api_show_the_same_figures(demo):
    app, client = demo, demo.test_client()
    for code in ("MCQ", "NIM"):
        _compare_surfaces(app, client, code)
        client.post("/logout")


def _compare_surfaces(app, client, code: str) -> None:
    with app.app_context():
        establishment = db.session.scalar(select(Establishment).where(Establishment.code == code))
        first, last = first_month(establishment)
        last += timedelta(days=6)
        figures = SummaryFigures(summary_selection(establishment, first, last), establishment)
        names = {theme.id: theme.name("fr") for theme in figures.overall.themes}
        by_code = {theme.code: names[theme.id] for theme in figures.overall.themes}
        expected_themes = {
            names[theme.id]: figures.overall.overall.theme(theme.id).count
            for theme in figures.overall.themes}
        expected_weeks = [None if g.suppressed else g.total for g in figures.weekly.groups]
        expected_responses = figures.scores.responses
        expected_received = figures.kpis.received
        manager = db.session.scalar(select(User).where(
            User.email == f"gestion.{code.lower()}@echo.example"))
        _token, secret = tokens.issue_token(manager, "figures", now=utcnow())
        db.session.commit()
    # The comparison is only worth making on a month with several themes and some weeks shown.
    assert len(expected_themes) >= 4 and sum(1 for n in expected_weeks if n) >= 3

    client.post("/login", data={"email": f"gestion.{code.lower()}@echo.example",
                                "password": DEMO_PASSWORD})
    period = {"start": first.isoformat(), "end": last.isoformat()}

    page = client.get("/dashboard/summary", query_string=period).text
    page_themes = {row[0]: number(row[1]) for row in table(page, "themes-table")[1:]}
    page_weeks = [number(row[-1]) for row in table(page, "volumes-table")[1:]]
    assert page_themes == expected_themes
    assert page_weeks == expected_weeks

    report = client.get("/dashboard/report", query_string=period).text
    report_themes = {row[0]: number(row[1]) for row in table(report, "report-themes")[1:]}
    report_weeks = [number(cell) for cell in table(report, "report-volumes")[1][1:]]
    assert report_themes == expected_themes
    assert report_weeks == expected_weeks

    export = csv_tables(client.get("/dashboard/export/summary.csv", query_string=period).text)
    export_themes = {row[0]: int(row[1]) for row in export["Thèmes"][1:]}
    export_weeks = [int(row[5]) if row[2] else None for row in export["Volumes par semaine"][1:]]
    assert export_themes == expected_themes
    assert export_weeks == expected_weeks
    export_kpis = dict(export["Indicateurs des enjeux"][1:])
    assert int(export_kpis["Enjeux reçus"]) == expected_received

    headers = {"Authorization": f"Bearer {secret}"}
    query = {"since": first.isoformat(), "until": last.isoformat()}
    api = client.get(f"/api/v1/establishments/{code}/summary", query_string=query,
                     headers=headers).get_json()
    api_themes = {by_code[t["code"]]: t["count"] for t in api["themes"]["groups"][0]["themes"]}
    assert api_themes == expected_themes
    assert api["survey"][0]["responses"] == expected_responses
    weekly = client.get(f"/api/v1/establishments/{code}/summary",
                        query_string={**query, "by": "week"}, headers=headers).get_json()
    assert [None if g["suppressed"] else g["total"]
            for g in weekly["themes"]["groups"]] == expected_weeks
    kpis = client.get(f"/api/v1/establishments/{code}/issue-kpis",
                      query_string={"from": first.isoformat(), "to": last.isoformat()},
                      headers=headers).get_json()
    assert kpis["received"] == expected_received
