"""Journey 3: a manager reads the summary, corrects a theme, runs an issue to resolution,
publishes a learning and prints the one-month update, on the showcase establishment's demo data."""

import re
import sqlite3
from contextlib import closing

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from sqlalchemy import select

from feedback.clock import local_today
from feedback.demo import DEMO_PASSWORD
from feedback.extensions import db
from feedback.models import (
    Feedback,
    FeedbackTheme,
    Issue,
    IssueStatus,
    Learning,
    LearningStatus,
    Theme,
    ThemeSource,
)

# Under pytest-xdist the journey shares the worker of the tests reading the demo, whose seeded
# database it copies.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def served_database(request, postgres_url, migrated_database, app, runner, tmp_path) -> str:
    """The demo, for the live server to serve and the journey to change.

    On SQLite, a copy of the run's seeded demo (seeding again costs half a minute); on
    PostgreSQL, the test database seeded afresh, which `app` empties afterwards.
    """
    if postgres_url:
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        return migrated_database[0]
    demo_app, _output = request.getfixturevalue("demo_database")
    copy = tmp_path / "demo.sqlite3"
    with closing(sqlite3.connect(sa.make_url(demo_app.config["SQLALCHEMY_DATABASE_URI"]).database)
                 ) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)  # consistent, write-ahead log included
    return f"sqlite:///{copy}"


def test_journey_3_a_manager_turns_feedback_into_decisions(live_app, live_server, page, journey,
                                                           tmp_path):
    app = live_app  # the served database is where the journey's decisions must land
    page.goto(f"{live_server}/login")
    page.get_by_label("Courriel").fill("gestion.mcq@echo.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    journey.shot("home")
    journey.check_accessibility("home")

    # The summary, then filtered by phase and role.
    page.get_by_role("navigation").get_by_role("link", name="Sommaire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mauricie")
    journey.shot("summary")
    journey.check_accessibility("summary")
    page.get_by_label("Phase", exact=True).select_option("2")
    page.get_by_label("Rôle", exact=True).select_option("nurse")
    page.get_by_role("button", name="Appliquer").click()
    expect(page).to_have_url(re.compile(r"phase=2"))
    expect(page).to_have_url(re.compile(r"role=nurse"))
    journey.shot("summary-filtered")
    journey.check_accessibility("summary-filtered")

    # A comment's themes, corrected by hand.
    page.get_by_role("link", name="Corriger les thèmes").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Corriger les thèmes")
    ref = re.search(r"/feedback/([0-9a-z]{12})/themes", page.url).group(1)
    checked = page.locator("form input[type=checkbox]:checked")
    while checked.count():
        checked.first.uncheck()
    page.get_by_label("Soutien", exact=True).check()
    journey.shot("retheme")
    journey.check_accessibility("retheme")
    page.get_by_role("button", name="Enregistrer les thèmes").click()
    with app.app_context():
        tags = db.session.execute(
            select(Theme.code, FeedbackTheme.source).join(FeedbackTheme.theme)
            .join(Feedback, Feedback.id == FeedbackTheme.feedback_id)
            .where(Feedback.ref == ref)).all()
    assert tags == [("support", ThemeSource.MANUAL)]

    # An issue opened from a field observation, then resolved.
    page.goto(f"{live_server}/observations/")
    page.get_by_role("link", name="Ouvrir un enjeu ou l'ajouter à un enjeu").first.click()
    page.get_by_label("Titre", exact=True).fill("Lecteurs de bracelets muets à l'urgence")
    page.get_by_text(re.compile("^P2")).first.click()
    journey.shot("new-issue")
    journey.check_accessibility("new-issue")
    page.get_by_role("button", name="Ouvrir l'enjeu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lecteurs de bracelets")
    issue_id = int(re.search(r"/issues/(\d+)", page.url).group(1))
    page.get_by_label("Nouveau statut").select_option("resolved")
    page.get_by_label("Note").fill("Pilotes des lecteurs réinstallés sur les 12 postes.")
    page.get_by_role("button", name="Changer le statut").click()
    journey.shot("issue-resolved")
    journey.check_accessibility("issue-resolved")
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        assert issue.status == IssueStatus.RESOLVED and issue.resolved_at is not None
        assert len(issue.evidence) == 1 and [h.to_status for h in issue.history][-1] == "resolved"

    # A learning, written as a draft, then published to staff.
    page.goto(f"{live_server}/learnings/new")
    page.get_by_label("Titre", exact=True).fill("Des lecteurs de bracelets fiables à l'urgence")
    page.get_by_label("Ce que nous avons entendu et appris", exact=True).fill(
        "Vous nous avez dit que les lecteurs de bracelets ne répondaient plus la nuit.")
    page.get_by_label("Ce que nous avons changé", exact=True).fill(
        "Les pilotes ont été réinstallés et un lecteur de rechange attend au poste central.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    journey.shot("learning-draft")
    journey.check_accessibility("learning-draft")
    page.get_by_role("button", name="Publier pour le personnel").click()
    with app.app_context():
        learning = db.session.scalar(
            select(Learning).where(Learning.title.like("Des lecteurs de bracelets%")))
        assert learning.status == LearningStatus.PUBLISHED

    # The one-month update, printed to PDF.
    page.goto(f"{live_server}/dashboard/summary")
    page.get_by_role("link", name="Bilan après un mois").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    journey.shot("report-first-month")
    # The period up to today, so that today's learning is part of it.
    page.goto(f"{page.url.split('?')[0]}?start=2026-05-09&end={local_today().isoformat()}")
    expect(page.get_by_text("Des lecteurs de bracelets fiables à l'urgence")).to_be_visible()
    journey.shot("report")
    journey.check_accessibility("report")
    pdf = journey.folder / "one-month-update.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="Letter", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
