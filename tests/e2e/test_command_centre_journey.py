"""Journey: a command-centre lead's morning on the demo — the stabilisation board, the forgotten
P1 past its service level, giving it an owner (who is e-mailed), then the service levels."""

import re
import sqlite3
from contextlib import closing

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from playwright.sync_api import expect
from sqlalchemy import select

from feedback import tasks
from feedback.demo import DEMO_PASSWORD
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Issue,
    NotificationPreference,
    Priority,
    SlaSetting,
    User,
)
from tests.test_account import Inbox, free_port

pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def served_database(request, postgres_url, migrated_database, app, runner, tmp_path) -> str:
    """The demo: a copy of the run's seeded SQLite demo, or on PostgreSQL the test database
    seeded afresh (emptied by `app` afterwards)."""
    if postgres_url:
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        return migrated_database[0]
    demo_app, _output = request.getfixturevalue("demo_database")
    copy = tmp_path / "demo.sqlite3"
    with closing(sqlite3.connect(sa.make_url(demo_app.config["SQLALCHEMY_DATABASE_URI"]).database)
                 ) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    return f"sqlite:///{copy}"


@pytest.fixture
def inbox(live_app, live_server):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    # Messages go out in the request here (no consumer runs beside the live server).
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                           MAIL_SENDER="Écho <echo@example.org>", QUEUE_IMMEDIATE=True,
                           QUEUE_RETRY_SECONDS=0, PUBLIC_BASE_URL=live_server)
    yield handler
    controller.stop()


def test_a_command_centre_lead_finds_the_forgotten_p1_and_gives_it_an_owner(
        live_app, live_server, inbox, page, journey):
    app = live_app
    with app.app_context():
        colleague = db.session.scalar(select(User).where(User.email == "admin.nim@echo.example"))
        db.session.add(NotificationPreference(user_id=colleague.id, assigned_alerts=True,
                                              p1_alerts=False, daily_digest=False,
                                              weekly_digest=False))
        db.session.commit()
        colleague_name = colleague.name

    page.goto(f"{live_server}/login")
    page.get_by_label("Courriel").fill("gestion.nim@echo.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # The menu's command centre opens on the board.
    page.get_by_role("navigation").get_by_role("link", name="Centre de commandement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de stabilisation")
    journey.shot("board")
    journey.check_accessibility("board")

    # At the top: a P1 in progress for months, past its 24 h, and nobody's.
    first = page.locator("table.board-attention tbody tr").first
    expect(first).to_contain_text("P1")
    expect(first).to_contain_text("Personne")
    expect(first).to_contain_text("non résolu à temps")
    expect(first).to_contain_text(re.compile(r"\d+ jours"))
    expect(first).not_to_contain_text(re.compile(r"\d,\d"))
    first.get_by_role("link").click()
    issue_id = int(re.search(r"/issues/(\d+)", page.url).group(1))
    journey.shot("breached-p1")
    journey.check_accessibility("breached-p1")
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        assert issue.priority is Priority.P1 and issue.owner_id is None

    # Given an owner, who is told by e-mail.
    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Responsable").select_option(label=colleague_name)
    journey.shot("assign")
    journey.check_accessibility("assign")
    page.get_by_role("button", name="Enregistrer l'enjeu").click()
    expect(page.get_by_role("status").or_(page.locator(".flash")).first).to_be_visible()
    [message] = inbox.messages(1)
    assert message["To"] == "admin.nim@echo.example"
    assert f"{live_server}/issues/{issue_id}" in message.get_body(("plain",)).get_content()
    with app.app_context():
        assert db.session.get(Issue, issue_id).owner_id is not None

    # Back on the board, it is still late, but no longer nobody's.
    page.get_by_role("navigation").get_by_role("link", name="Centre de commandement").click()
    row = page.locator("table.board-attention tbody tr", has_text=f"#{issue_id} ")
    expect(row).to_contain_text(colleague_name)

    # The service levels: a wrong entry is explained next to its field, then saved.
    page.get_by_role("link", name="Délais de service et alertes").click()
    page.get_by_label("P1 : pris en charge en (heures)").fill("30")
    page.get_by_role("button", name="Enregistrer les délais de service").click()
    expect(page.locator("#sla-p1_resolve-error")).to_contain_text(
        "Résoudre ne peut pas prendre moins de temps")
    journey.shot("settings-error")
    journey.check_accessibility("settings-error")
    page.get_by_label("P1 : pris en charge en (heures)").fill("2")
    page.get_by_role("button", name="Enregistrer les délais de service").click()
    expect(page.get_by_text("Délais de service enregistrés.")).to_be_visible()
    journey.shot("settings")
    journey.check_accessibility("settings")
    with app.app_context():
        row = db.session.scalars(select(SlaSetting)).one()
        assert (row.priority, row.ack_hours, row.resolve_hours) == (Priority.P1, 2, 24)
        assert db.session.scalar(select(AuditEntry.details).where(
            AuditEntry.action == "sla.updated")) == {"P1": "1 h/24 h → 2 h/24 h"}

    # The forgotten P1, resolved.
    page.goto(f"{live_server}/issues/{issue_id}")
    page.get_by_label("Nouveau statut").select_option("resolved")
    page.get_by_label("Note").fill("Formation de rappel donnée aux trois équipes de nuit.")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.get_by_text("Résolu").first).to_be_visible()

    # Her own notifications, then the next morning's digest.
    page.goto(f"{live_server}/account/notifications")
    page.get_by_label("Un enjeu P1 est ouvert").check()
    page.get_by_label("Chaque matin à 7 h").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_text("Vos choix de notifications sont enregistrés.")).to_be_visible()
    journey.shot("notifications")
    journey.check_accessibility("notifications")
    with app.app_context():
        tasks.daily_digest()  # what the consumer runs at 7:00
    digest = inbox.messages(2)[-1]
    assert digest["To"] == "gestion.nim@echo.example"
    body = digest.get_body(("plain",)).get_content()
    assert "- enjeux résolus : 1" in body and f"{live_server}/issues/board" in body
