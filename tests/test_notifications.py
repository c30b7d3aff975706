"""Notifications for real: e-mail through a local SMTP server, webhooks to a local HTTP
receiver (up, refusing, or down), each person's choices and scope, and no comment text."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from feedback import issues, notifications, tasks
from feedback.clock import local_today, utcnow
from feedback.extensions import db, task_queue
from feedback.models import (
    AuditEntry,
    Establishment,
    EstablishmentWebhook,
    Issue,
    Notification,
    NotificationPreference,
    NotificationStatus,
    Priority,
    Role,
    User,
)
from tests.test_account import Inbox, free_port

# What a clinician might have written, patient identifiers included: it must never travel.
TITLE = "Mme Tremblay RAMQ TREM 5412 0918 tombée, pompe PCA bloquée"
SECRET_WORDS = ("Tremblay", "TREM", "5412", "pompe")
LINKS = notifications.Links("https://echo.example.org")


@pytest.fixture
def inbox(app):
    """A real SMTP server on 127.0.0.1, and the app sending through it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                      MAIL_SENDER="Écho <echo@example.org>",
                      PUBLIC_BASE_URL="https://echo.example.org")
    yield handler
    controller.stop()


class Receiver:
    """A real HTTP server on 127.0.0.1 standing for Teams or Slack: it keeps each POST and
    answers `status`."""

    def __init__(self, status: int = 200) -> None:
        self.status, self.bodies = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers["Content-Length"])
                receiver.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook/secret"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    up = Receiver()
    yield up
    up.stop()


def subscribe(app, user, **choices) -> None:
    with app.app_context():
        db.session.add(NotificationPreference(user_id=user.id, **{
            name: choices.get(name, False) for name in notifications.PREFERENCES}))
        db.session.commit()


def hook(app, establishment, url: str) -> None:
    # Stored as is: the settings form (tested in test_board.py) only takes https, and the
    # local receiver speaks plain HTTP.
    with app.app_context():
        db.session.add(EstablishmentWebhook(establishment_id=establishment.id, url=url))
        db.session.commit()


def bodies(messages) -> list[str]:
    return [m.get_body(("plain",)).get_content() for m in messages]


@pytest.fixture
def people(make_establishment, make_user):
    a, b = make_establishment("A"), make_establishment("B")
    return {
        "a": a, "b": b,
        "lead_a": make_user(Role.MANAGER, a, email="lead.a@example.org"),
        "quiet_a": make_user(Role.MANAGER, a, email="quiet.a@example.org"),
        "super_a": make_user(Role.SUPER_USER, a, email="super.a@example.org"),
        "manager_b": make_user(Role.MANAGER, b, email="manager.b@example.org"),
        "network": make_user(Role.ADMIN, None, email="network@example.org", locale="en"),
        "poster": make_user(Role.MANAGER, a, email="poster.a@example.org"),
    }


def test_a_new_p1_alerts_those_who_asked_in_their_language_and_the_channel(
        app, client, auth, inbox, receiver, people):
    for name in ("lead_a", "super_a", "manager_b", "network"):
        subscribe(app, people[name], p1_alerts=True)
    hook(app, people["a"], receiver.url)
    auth.login(people["poster"].email)
    response = client.post(f"/issues/new?establishment={people['a'].id}", data={
        "title": TITLE, "priority": "P1", "sector": "", "owner": "",
        "description": "La patiente Tremblay (dossier 443322) a chuté."})
    assert response.status_code == 302
    issue_id = int(response.headers["Location"].rsplit("/", 1)[1])

    messages = inbox.messages(2)
    assert sorted(m["To"] for m in messages) == ["lead.a@example.org", "network@example.org"]
    by_to = {m["To"]: m for m in messages}
    assert by_to["lead.a@example.org"]["Subject"] == f"Écho : nouvel enjeu P1 nº {issue_id} (A)"
    assert by_to["network@example.org"]["Subject"] == f"Écho: new P1 issue #{issue_id} (A)"
    for body in bodies(messages):
        assert f"https://echo.example.org/issues/{issue_id}" in body
        assert not any(word in body for word in (*SECRET_WORDS, "443322"))
    # The establishment's channel, once, with the link and nothing anyone wrote.
    assert len(receiver.bodies) == 1
    text = receiver.bodies[0]["text"]
    assert f"Nouvel enjeu P1 nº {issue_id} à A" in text
    assert f"/issues/{issue_id}" in text and not any(word in text for word in SECRET_WORDS)
    with app.app_context():
        statuses = db.session.scalars(select(Notification.status)).all()
        assert statuses == [NotificationStatus.SENT] * 3


def test_assigning_an_issue_tells_the_new_owner_only(app, client, auth, inbox, people):
    subscribe(app, people["lead_a"], assigned_alerts=True)
    subscribe(app, people["poster"], assigned_alerts=True)
    with app.app_context():
        issue = issues.create_issue(db.session.get(Establishment, people["a"].id), title=TITLE,
                                    priority=Priority.P3, actor=None)
        db.session.commit()
        issue_id = issue.id
    auth.login(people["poster"].email)
    edit = {"title": TITLE, "priority": "P3", "sector": "", "description": ""}
    # Taking it oneself tells nobody.
    assert client.post(f"/issues/{issue_id}/edit",
                       data={**edit, "owner": people["poster"].id}).status_code == 302
    assert client.post(f"/issues/{issue_id}/edit",
                       data={**edit, "owner": people["lead_a"].id}).status_code == 302
    [message] = inbox.messages(1)
    assert message["To"] == "lead.a@example.org"
    assert message["Subject"] == f"Écho : l’enjeu nº {issue_id} vous est confié"
    body = bodies([message])[0]
    assert "vous a confié un enjeu" in body and f"/issues/{issue_id}" in body
    assert not any(word in body for word in SECRET_WORDS)
    # Saving again without changing the owner sends nothing more.
    client.post(f"/issues/{issue_id}/edit", data={**edit, "owner": people["lead_a"].id})
    assert len(inbox.messages(2, timeout=0.5)) == 1


@pytest.mark.parametrize("down", ["refusing", "unreachable"])
def test_a_channel_that_is_down_is_retried_then_failed_and_audited(app, inbox, people, down):
    subscribe(app, people["lead_a"], p1_alerts=True)
    refusing = Receiver(status=500)
    url = refusing.url if down == "refusing" else f"http://127.0.0.1:{free_port()}/hook"
    hook(app, people["a"], url)
    try:
        with app.app_context():
            issue = issues.create_issue(db.session.get(Establishment, people["a"].id),
                                        title=TITLE, priority=Priority.P1, actor=None)
            outbox = notifications.issue_created(issue, links=LINKS)
            db.session.commit()
            tasks.send_notifications(outbox)  # the queue runs in place: retries at once
            sent, failed = (db.session.scalars(select(Notification).where(
                Notification.channel == channel)).one() for channel in ("email", "webhook"))
            assert (sent.status, sent.attempts) == (NotificationStatus.SENT, 1)
            assert (failed.status, failed.attempts) == (NotificationStatus.FAILED, 3)
            assert failed.error == ("HTTP 500 from 127.0.0.1" if down == "refusing"
                                    else "URLError reaching 127.0.0.1")
            entry = db.session.scalars(select(AuditEntry).where(
                AuditEntry.action == "notification.failed")).one()
            assert entry.establishment_id == people["a"].id
            assert entry.details["channel"] == "webhook" and entry.details["attempts"] == 3
            assert "secret" not in json.dumps(entry.details)
    finally:
        refusing.stop()
    if down == "refusing":
        assert len(refusing.bodies) == 3  # the first attempt and two retries
    assert len(inbox.messages(1)) == 1  # the e-mail went, whatever the channel did


def test_retries_wait_30_then_60_seconds_then_the_message_fails(app, people):
    app.config["QUEUE_RETRY_SECONDS"] = 30  # the default
    down = f"http://127.0.0.1:{free_port()}/hook"
    hook(app, people["a"], down)
    with app.app_context():
        issue = issues.create_issue(db.session.get(Establishment, people["a"].id),
                                    title=TITLE, priority=Priority.P1, actor=None)
        outbox = notifications.issue_created(issue, links=LINKS)
        db.session.commit()
        tasks.send_notifications(outbox)
        huey = task_queue.huey
        waits = []
        for attempt in (2, 3):
            [retry] = huey.scheduled()  # kept by Huey until its time comes
            assert retry.args == (outbox[0].id, attempt)
            waits.append(retry.eta.replace(tzinfo=UTC) - utcnow())
            row = db.session.get(Notification, outbox[0].id)
            db.session.refresh(row)
            assert (row.status, row.attempts) == (NotificationStatus.PENDING, attempt - 1)
            huey.storage.flush_schedule()
            huey.execute(retry, timestamp=retry.eta)
        assert huey.scheduled() == []
        db.session.refresh(row)
        assert (row.status, row.attempts) == (NotificationStatus.FAILED, 3)
    assert timedelta(seconds=25) < waits[0] <= timedelta(seconds=30)
    assert timedelta(seconds=55) < waits[1] <= timedelta(seconds=60)


def test_the_consumer_checks_service_levels_every_5_minutes_and_sends_digests_at_7(app):
    with app.app_context():
        huey = task_queue.huey

        def due(*moment):  # Huey hands naive UTC times; Québec is UTC−5 in December
            return {task.name for task in huey.read_periodic(datetime(*moment))} - {
                "resume_imports", "resume_exports", "resume_runs"}

        assert due(2026, 12, 7, 12, 0) == {"check_service_levels", "daily_digest"}  # Mon 7:00
        assert due(2026, 12, 7, 12, 30) == {"check_service_levels", "weekly_digest"}  # 7:30
        assert due(2026, 12, 8, 12, 30) == {"check_service_levels"}  # Tuesday
        assert due(2026, 12, 8, 12, 3) == set()
        assert due(2026, 7, 14, 11, 0) == {"check_service_levels", "daily_digest"}  # summer


def test_the_periodic_check_alerts_a_breach_through_the_queue(app, inbox, people):
    subscribe(app, people["lead_a"], p1_alerts=True)
    with app.app_context():
        issues.create_issue(db.session.get(Establishment, people["a"].id), title=TITLE,
                            priority=Priority.P1, actor=None, at=utcnow() - timedelta(hours=30))
        db.session.commit()
        tasks.check_service_levels()
        tasks.check_service_levels()  # five minutes later: nothing new
    [message] = inbox.messages(1)
    assert message["To"] == "lead.a@example.org"
    assert "https://echo.example.org/issues/" in bodies([message])[0]
    assert len(inbox.messages(2, timeout=0.5)) == 1


def test_without_a_mail_server_the_message_fails_audited(app, people):
    subscribe(app, people["lead_a"], p1_alerts=True)
    with app.app_context():
        issue = issues.create_issue(db.session.get(Establishment, people["a"].id),
                                    title=TITLE, priority=Priority.P1, actor=None)
        outbox = notifications.issue_created(issue, links=LINKS)
        db.session.commit()
        tasks.send_notifications(outbox)
        row = db.session.scalars(select(Notification)).one()
        assert (row.status, row.attempts) == (NotificationStatus.FAILED, 3)
        assert db.session.scalar(select(AuditEntry.details).where(
            AuditEntry.action == "notification.failed"))["reason"].startswith("no SMTP server")


def test_each_breach_rings_once(app, inbox, receiver, people):
    subscribe(app, people["lead_a"], p1_alerts=True)
    subscribe(app, people["manager_b"], p1_alerts=True)
    hook(app, people["a"], receiver.url)
    now = utcnow()
    with app.app_context():
        est = db.session.get(Establishment, people["a"].id)
        late = issues.create_issue(est, title=TITLE, priority=Priority.P1, actor=None,
                                   at=now - timedelta(days=2))
        issues.change_status(late, issues.IssueStatus.IN_PROGRESS, actor=None,
                             at=now - timedelta(days=2))
        waiting = issues.create_issue(est, title=TITLE, priority=Priority.P3, actor=None,
                                      at=now - timedelta(hours=30))
        issues.create_issue(est, title=TITLE, priority=Priority.P2, actor=None,
                            at=now - timedelta(hours=1))  # within its 4 h
        db.session.commit()
        outbox = notifications.check_sla(now, links=LINKS)
        db.session.commit()
        tasks.send_notifications(outbox)
        kinds = sorted((n.channel.value, n.kind.value, n.user_id) for n in outbox)
        assert notifications.check_sla(now + timedelta(minutes=5), links=LINKS) == []
        late_id, waiting_id = late.id, waiting.id
    lead = people["lead_a"].id
    # E-mail: the P1 only (P3 breaches reach the channel, not people's inboxes).
    assert kinds == [("email", "sla_breach", lead), ("webhook", "sla_breach", None),
                     ("webhook", "sla_breach", None)]
    [message] = inbox.messages(1)
    assert message["To"] == "lead.a@example.org" and f"nº {late_id}" in message["Subject"]
    assert "Il n’est pas résolu dans les 24 h." in bodies([message])[0]
    texts = sorted(body["text"] for body in receiver.bodies)
    assert len(texts) == 2 and any(f"nº {waiting_id} (P3)" in text for text in texts)


def test_digests_count_within_each_persons_scope(app, inbox, people, add_feedback):
    subscribe(app, people["lead_a"], daily_digest=True, weekly_digest=True)
    subscribe(app, people["manager_b"], daily_digest=True)
    subscribe(app, people["network"], weekly_digest=True)
    now = utcnow()
    with app.app_context():
        a = db.session.get(Establishment, people["a"].id)
        b = db.session.get(Establishment, people["b"].id)
        for _ in range(2):
            issues.create_issue(a, title=TITLE, priority=Priority.P2, actor=None,
                                at=now - timedelta(hours=3))
        issues.create_issue(b, title=TITLE, priority=Priority.P3, actor=None,
                            at=now - timedelta(hours=3))
        issues.create_issue(b, title=TITLE, priority=Priority.P3, actor=None,
                            at=now - timedelta(days=3))  # not new since yesterday
        db.session.commit()
    add_feedback(people["a"], kind="observation", day=local_today() - timedelta(days=3),
                 text="Mme Tremblay RAMQ TREM 5412 0918 attend sa pompe.", themes=("training",))
    with app.app_context():
        outbox = notifications.daily_digests(now, links=LINKS)
        outbox += notifications.weekly_digests(now, links=LINKS)
        db.session.commit()
        tasks.send_notifications(outbox)
    messages = inbox.messages(4)
    by_key = {(m["To"], "semaine" in m["Subject"] or "week" in m["Subject"]):
              bodies([m])[0] for m in messages}
    assert len(by_key) == 4
    assert "- nouveaux enjeux : 2" in by_key[("lead.a@example.org", False)]
    assert "- nouveaux enjeux : 1" in by_key[("manager.b@example.org", False)]
    assert "- observations : 1" in by_key[("lead.a@example.org", True)]
    assert "- observations: 1" in by_key[("network@example.org", True)]  # English
    # An emerging theme: one observation this week, none the week before.
    assert "- Training and learning: 1 (0)" in by_key[("network@example.org", True)]
    for body in by_key.values():
        assert not any(word in body for word in SECRET_WORDS)
        assert "https://echo.example.org/issues/board" in body


def test_people_choose_their_own_notifications(app, client, auth, people):
    auth.login(people["lead_a"].email)
    page = client.get("/account/notifications")
    assert page.status_code == 200 and "Mes notifications" in page.text
    response = client.post("/account/notifications",
                           data={"p1_alerts": "y", "weekly_digest": "y"})
    assert response.status_code == 302
    with app.app_context():
        choice = db.session.scalars(select(NotificationPreference)).one()
        assert (choice.user_id, choice.p1_alerts, choice.assigned_alerts, choice.daily_digest,
                choice.weekly_digest) == (people["lead_a"].id, True, False, False, True)
    client.post("/account/notifications", data={"save": "1"})  # every box unticked
    with app.app_context():
        assert not db.session.scalars(select(NotificationPreference)).one().p1_alerts
    assert "/account/notifications" in client.get("/account").text


def test_inactive_people_and_super_users_get_nothing(app, inbox, people):
    subscribe(app, people["lead_a"], p1_alerts=True)
    subscribe(app, people["super_a"], p1_alerts=True)
    with app.app_context():
        db.session.get(User, people["lead_a"].id).active = False
        issue = issues.create_issue(db.session.get(Establishment, people["a"].id),
                                    title=TITLE, priority=Priority.P1, actor=None)
        assert notifications.issue_created(issue, links=LINKS) == []
        assert db.session.scalars(select(Notification)).all() == []
        assert db.session.get(Issue, issue.id).priority is Priority.P1

