"""The stabilisation board against issues of known ages and service levels, worked out by hand;
its service-level settings; and the human durations issue ages are shown in."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from feedback import issues
from feedback.clock import QUEBEC
from feedback.extensions import db
from feedback.issues import board as stabilisation
from feedback.models import (
    AuditEntry,
    Establishment,
    IssueStatus,
    Priority,
    Role,
    SlaSetting,
    User,
)
from feedback.templating import duration_text

H = timedelta(hours=1)
D = timedelta(days=1)
NOW = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # 12:00 in Québec


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=QUEBEC)


# --- Human durations ------------------------------------------------------------------------

@pytest.mark.parametrize(("hours", "french", "english"), [
    (200.2 * 24, "200 jours", "200 days"),
    (3 + 20 / 60, "3 h 20", "3 h 20"),
    (0.75, "45 min", "45 min"),
    (5, "5 h", "5 h"),
    (47.99, "47 h 59", "47 h 59"),
    (48, "2 jours", "2 days"),
    (None, "—", "—"),
])
def test_durations_read_the_way_people_say_them(app, hours, french, english):
    with app.test_request_context():
        with force_locale("fr"):
            assert duration_text(hours) == french
        with force_locale("en"):
            assert duration_text(hours) == english


# --- The board's figures ----------------------------------------------------------------------

@pytest.fixture
def ward(app, make_establishment, make_user):
    """Issues of known ages at NOW, establishment A with P2 levels of its own (2 h / 10 h)."""
    a = make_establishment("A", go_live=date(2026, 5, 9))
    b = make_establishment("B")
    owner = make_user(Role.MANAGER, a)
    with app.app_context():
        est = db.session.get(Establishment, a.id)
        other = db.session.get(Establishment, b.id)
        db.session.add(SlaSetting(establishment=est, priority=Priority.P2, ack_hours=2,
                                  resolve_hours=10))
        manager = db.session.get(User, owner.id)

        def issue(priority, age, *, status=IssueStatus.NEW, owner=None, establishment=est):
            made = issues.create_issue(establishment, title=f"{priority} {age}",
                                       priority=priority, actor=None, at=NOW - age, owner=owner)
            if status is not IssueStatus.NEW:
                issues.change_status(made, status, actor=None, note="Fait.",
                                     at=NOW - age + H / 2)
            return made.id

        ids = {
            # In progress for 200 days, nobody owns it: past its 24 h, at the top.
            "forgotten": issue(Priority.P1, 200 * D, status=IssueStatus.IN_PROGRESS),
            # Older, but owned: after the forgotten one.
            "owned": issue(Priority.P1, 210 * D, status=IssueStatus.IN_PROGRESS, owner=manager),
            "fresh_p1": issue(Priority.P1, 2 * H),  # past its 1 h pick-up, not its 24 h
            "p2_waiting": issue(Priority.P2, 3 * H),  # past A's own 2 h pick-up
            "p2_slow": issue(Priority.P2, 30 * H, status=IssueStatus.IN_PROGRESS,
                             owner=manager),  # past A's own 10 h resolution
            "p3": issue(Priority.P3, 5 * H),  # within 24 h / 336 h
            "p3_done": issue(Priority.P3, 10 * D, status=IssueStatus.RESOLVED),
            "elsewhere": issue(Priority.P1, 300 * D, establishment=other),
        }
        db.session.commit()
    return a, b, ids


def test_the_board_counts_open_issues_by_priority_age_and_breach(app, ward):
    a, _b, ids = ward
    with app.app_context():
        est = db.session.get(Establishment, a.id)
        board = stabilisation.board([est], NOW)
    rows = {row.priority: row for row in board.rows}
    assert rows[Priority.P1].ages == {"lt4h": 1, "4to24h": 0, "1to3d": 0, "gt3d": 2}
    assert rows[Priority.P2].ages == {"lt4h": 1, "4to24h": 0, "1to3d": 1, "gt3d": 0}
    assert rows[Priority.P3].ages == {"lt4h": 0, "4to24h": 1, "1to3d": 0, "gt3d": 0}
    assert (rows[Priority.P1].open, rows[Priority.P1].unowned) == (3, 2)
    assert (rows[Priority.P1].ack_breached, rows[Priority.P1].resolve_breached) == (1, 2)
    # A's own P2 levels apply: 3 h waiting is past 2 h, 30 h in progress is past 10 h.
    assert (rows[Priority.P2].ack_breached, rows[Priority.P2].resolve_breached) == (1, 1)
    assert (rows[Priority.P2].ack_hours, rows[Priority.P2].resolve_hours) == (2, 10)
    assert (rows[Priority.P3].ack_breached, rows[Priority.P3].resolve_breached) == (0, 0)
    assert (rows[Priority.P1].ack_hours, rows[Priority.P1].resolve_hours) == (1, 24)
    # The forgotten P1 comes first: breached, and nobody's.
    first = board.attention[0]
    assert first.issue.id == ids["forgotten"] and first.issue.owner_id is None
    assert first.resolve_breached and round(first.age_hours) == 200 * 24
    assert [row.issue.id for row in board.attention] == [
        ids["forgotten"], ids["fresh_p1"], ids["owned"], ids["p2_waiting"], ids["p2_slow"]]
    assert board.unowned_total == 4  # forgotten, fresh P1, waiting P2, P3
    assert ids["elsewhere"] not in [row.issue.id for row in board.attention + board.unowned]


@pytest.fixture
def stabilising(app, make_establishment):
    """Twenty days after go-live G, five issues whose exit-criteria dates are worked out below."""
    g = date(2026, 11, 17)
    est_id = make_establishment("X", go_live=g).id
    with app.app_context():
        est = db.session.get(Establishment, est_id)

        def issue(priority, created, resolved=None):
            made = issues.create_issue(est, title="Enjeu", priority=priority, actor=None,
                                       at=created)
            if resolved:
                issues.change_status(made, IssueStatus.RESOLVED, actor=None, note="Fait.",
                                     at=resolved)

        # P1 open past 24 h from G+2 10:00 to G+3 12:00: days G+2 and G+3 are not clean.
        issue(Priority.P1, local(g + D, 10), local(g + 3 * D, 12))
        issue(Priority.P2, local(g + 5 * D, 9), local(g + 5 * D, 11))  # 2 h
        issue(Priority.P2, local(g + 6 * D, 9))  # still open
        issue(Priority.P1, local(g + 7 * D, 9), local(g + 7 * D, 10))  # 1 h
        issue(Priority.P1, local(g + 7 * D, 13), local(g + 7 * D, 14))  # 1 h
        db.session.commit()
    return est_id, g


def test_exit_criteria_say_whether_they_are_met_and_since_when(app, stabilising):
    est_id, g = stabilising
    now = local(g + 19 * D, 17)
    with app.app_context():
        board = stabilisation.board([db.session.get(Establishment, est_id)], now)
    p1, resolved, within = board.exit
    # Clean from G+4 on: the 7th clean day in a row is G+10; today (G+19) is the 16th.
    assert (p1.met, p1.value, p1.first_met) == (True, 16, g + 10 * D)
    # 1 of 1 priority issue resolved at the end of G+3; 4 of 5 now.
    assert (resolved.met, resolved.first_met) == (False, g + 3 * D)
    assert resolved.value == pytest.approx(0.8)
    # 3 of 5 within 24 h from G+7 on (1 of 2 on G+5, 1 of 3 on G+6).
    assert (within.met, within.first_met) == (True, g + 7 * D)
    assert within.value == pytest.approx(0.6)
    # The trend: one issue closed on G+3 after 50 h; two on G+7, median 1 h.
    trend = {day.day: day for day in board.trend}
    assert len(board.trend) == 20
    assert (trend[g + 3 * D].closed, round(trend[g + 3 * D].median_hours)) == (1, 50)
    assert (trend[g + 7 * D].closed, trend[g + 7 * D].median_hours) == (2, pytest.approx(1))
    assert trend[g + 4 * D].closed == 0 and trend[g + 4 * D].median_hours is None


def test_a_p1_open_past_24_hours_today_breaks_the_run(app, stabilising):
    est_id, g = stabilising
    with app.app_context():
        est = db.session.get(Establishment, est_id)
        issues.create_issue(est, title="Panne", priority=Priority.P1, actor=None,
                            at=local(g + 17 * D, 8))
        db.session.commit()
        board = stabilisation.board([est], local(g + 19 * D, 17))
    p1 = board.exit[0]
    assert (p1.met, p1.value, p1.first_met) == (False, 0, g + 10 * D)


def test_top_issues_by_linked_feedback(app, ward, add_feedback):
    a, _b, ids = ward
    with app.app_context():
        est = db.session.get(Establishment, a.id)
    from feedback.models import Feedback, Issue
    for key, count in (("p3", 3), ("fresh_p1", 1), ("p3_done", 5)):
        for _ in range(count):
            feedback_id = add_feedback(a, kind="observation")
            with app.app_context():
                issues.attach_feedback(db.session.get(Issue, ids[key]),
                                       db.session.get(Feedback, feedback_id), actor=None)
                db.session.commit()
    with app.app_context():
        board = stabilisation.board([db.session.get(Establishment, est.id)], NOW)
        top = [(issue.id, n) for issue, n in board.top_evidence]
    assert top == [(ids["p3"], 3), (ids["fresh_p1"], 1)]  # open issues only


# --- The page and its settings ----------------------------------------------------------------

def test_the_board_shows_the_forgotten_p1_at_the_top(app, client, auth, ward, make_user):
    a, _b, ids = ward
    manager = make_user(Role.MANAGER, a)
    auth.login(manager.email)
    page = client.get("/issues/board").text
    attention = page.split('id="attention-title"')[1].split("</section>")[0]
    first_row = attention.split("<tbody>")[1].split("</tr>")[0]
    assert f"#{ids['forgotten']} " in first_row
    assert "Personne" in first_row and "non résolu à temps" in first_row
    assert "jours" in first_row and "," not in first_row.split("<td>")[3]  # no "200,2 jours"
    assert "Critères de sortie" in page
    # The menu's command-centre entry lands here.
    assert 'href="/issues/board"' in client.get("/").text


def test_service_levels_are_validated_stored_and_audited(app, client, auth, make_establishment,
                                                         make_user):
    a = make_establishment("A")
    manager = make_user(Role.MANAGER, a)
    auth.login(manager.email)
    levels = {"sla-p1_ack": "1", "sla-p1_resolve": "24", "sla-p2_ack": "4",
              "sla-p2_resolve": "72", "sla-p3_ack": "24", "sla-p3_resolve": "336",
              "sla-save_sla": "1"}
    refused = client.post("/issues/settings", data={**levels, "sla-p1_ack": "48"})
    assert refused.status_code == 422
    assert "Résoudre ne peut pas prendre moins de temps" in refused.text
    assert 'id="sla-p1_resolve-error"' in refused.text
    assert client.post("/issues/settings", data={**levels, "sla-p2_ack": "abc"}).status_code == 422
    with app.app_context():
        assert db.session.scalars(select(SlaSetting)).all() == []
    saved = client.post("/issues/settings", data={**levels, "sla-p1_ack": "2"})
    assert saved.status_code == 302
    with app.app_context():
        row = db.session.scalars(select(SlaSetting)).one()
        assert (row.establishment_id, row.priority, row.ack_hours, row.resolve_hours) == (
            a.id, Priority.P1, 2, 24)
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "sla.updated")).one()
        assert entry.details == {"P1": "1 h/24 h → 2 h/24 h"}
        assert entry.actor_id == manager.id
    # The audit trail says it in words.
    auth.logout()
    auth.login(make_user(Role.ADMIN).email)
    trail = client.get("/admin/audit").text
    assert "Délais de service du centre de commandement modifiés" in trail
    assert "1 h/24 h → 2 h/24 h" in trail


def test_webhook_must_be_https_and_is_never_shown_again(app, client, auth, make_establishment,
                                                        make_user):
    a = make_establishment("A")
    auth.login(make_user(Role.MANAGER, a).email)
    refused = client.post("/issues/settings", data={
        "hook-url": "http://hooks.example.org/services/T000/B000/secret",
        "hook-save_webhook": "1"})
    assert refused.status_code == 422
    assert "doit commencer par https://" in refused.text
    saved = client.post("/issues/settings", data={
        "hook-url": "https://hooks.example.org/services/T000/B000/secret",
        "hook-save_webhook": "1"})
    assert saved.status_code == 302
    page = client.get("/issues/settings").text
    assert "https://hooks.example.org/…" in page and "secret" not in page
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "webhook.updated")).one()
        assert entry.details == {"host": "hooks.example.org", "host_before": None,
                                 "host_after": "hooks.example.org"}


def test_managers_see_their_establishment_and_network_admins_choose(app, client, auth, ward,
                                                                    make_user):
    a, b, ids = ward
    auth.login(make_user(Role.MANAGER, b).email)
    mine = client.get(f"/issues/board?establishment={a.id}").text  # the choice is ignored
    assert f"#{ids['elsewhere']} " in mine and f"#{ids['forgotten']} " not in mine
    auth.logout()
    auth.login(make_user(Role.ADMIN).email)
    everything = client.get("/issues/board").text
    assert f"#{ids['elsewhere']} " in everything and f"#{ids['forgotten']} " in everything
    only_a = client.get(f"/issues/board?establishment={a.id}").text
    assert f"#{ids['elsewhere']} " not in only_a and f"#{ids['forgotten']} " in only_a
