"""Issue KPIs against a fixed dataset whose answers are worked out by hand below."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from feedback import issues
from feedback.extensions import db
from feedback.issues import kpis as kpi
from feedback.models import Establishment, IssueStatus, Priority, Role, Theme

H = timedelta(hours=1)
D = timedelta(days=1)
# The period: Québec days 9 May to 7 June 2026 (EDT, UTC−4), i.e. [S, E) in UTC.
S = datetime(2026, 5, 9, 4, 0, tzinfo=UTC)
E = datetime(2026, 6, 8, 4, 0, tzinfo=UTC)


def test_local_period_covers_whole_quebec_days():
    assert kpi.local_period(date(2026, 5, 9), date(2026, 6, 7)) == (S, E)
    # In winter Québec is UTC−5.
    assert kpi.local_period(date(2026, 1, 5), date(2026, 1, 5)) == (
        datetime(2026, 1, 5, 5, tzinfo=UTC), datetime(2026, 1, 6, 5, tzinfo=UTC))


@pytest.fixture
def dataset(app, make_establishment):
    """Fifteen issues, each one there to test one rule (numbers as in the comments)."""
    a, b = make_establishment("A"), make_establishment("B")
    with app.app_context():
        est_a = db.session.get(Establishment, a.id)
        est_b = db.session.get(Establishment, b.id)
        theme = {t.code: t for t in db.session.scalars(select(Theme))}

        def issue(priority, created, *moves, themes=(), establishment=est_a):
            made = issues.create_issue(establishment, title="Enjeu", priority=priority,
                                       actor=None, at=created,
                                       themes=[theme[code] for code in themes])
            for status, at, *original in moves:
                if status is IssueStatus.DUPLICATE:
                    issues.mark_duplicate(made, original[0], actor=None, at=at)
                else:
                    issues.change_status(made, status, actor=None, note="Fait.", at=at)
            return made

        P1, P2, P3 = Priority.P1, Priority.P2, Priority.P3
        WORK, DONE, WONT = IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED, IssueStatus.WONT_FIX
        c1 = S + D + 10 * H
        i1 = issue(P1, c1, (WORK, c1 + H / 2), (DONE, c1 + 6 * H), themes=["access"])  # 6 h
        c2 = S + 2 * D
        issue(P1, c2, (WORK, c2 + H), (DONE, c2 + 30 * H))  # 30 h: resolved, not in 24 h
        c3 = S + 3 * D
        issue(P2, c3, (WORK, c3 + 2 * H), (DONE, c3 + 23 * H))  # 23 h
        c4 = S + 4 * D
        issue(P2, c4, (WORK, c4 + H), themes=["access"])  # still in progress
        issue(P2, S + 5 * D + 3 * H, themes=["access", "safety"])  # 5: never picked up
        c6 = S + 6 * D
        issue(P3, c6, (DONE, c6 + 72 * H))  # 72 h, straight from "new"
        c7 = S + 7 * D
        issue(P3, c7, (WONT, c7 + 10 * H))  # closed, not resolved
        issue(P3, S + 8 * D, (IssueStatus.DUPLICATE, S + 8 * D + H, i1))  # 8: a duplicate
        issue(P1, S - 2 * D, (DONE, S + D))  # 9: created before the period
        issue(P2, S - D)  # 10: before the period, still waiting, no theme
        c11 = S + 10 * D
        issue(P2, c11, (WORK, c11 + H), (DONE, E + D), themes=["access"])  # resolved after E
        issue(P1, E + H)  # 12: after the period
        c13 = S + 12 * D
        issue(P1, c13, (WORK, E + 2 * H), themes=["safety"])  # 13: picked up after E
        issue(P1, S + D, establishment=est_b)  # 14: another establishment
        c15 = S + 13 * D
        issue(P3, c15, (DONE, c15 + H / 2), (WORK, S + 20 * D), themes=["access"])  # reopened
        db.session.commit()
    return a, b


def test_kpis_of_the_month(app, dataset):
    a, _b = dataset
    with app.app_context():
        kpis = kpi.issue_kpis([a.id], S, E)
        # Received: created in [S, E), not duplicates: 1–7, 11, 13, 15.
        assert kpis.received == 10
        assert kpis.duplicates == 1  # 8
        # Resolved before E: 1, 2, 3, 6 (11 only after E; 15 was reopened).
        assert kpis.resolved == 4
        assert kpis.resolved_share == pytest.approx(4 / 10)
        # Priority (P1/P2) received: 1, 2, 3, 4, 5, 11, 13; resolved: 1, 2, 3; in 24 h: 1, 3.
        assert kpis.priority_received == 7
        assert kpis.priority_resolved == 3
        assert kpis.priority_resolved_share == pytest.approx(3 / 7)
        assert kpis.priority_resolved_within_24h == 2
        assert kpis.priority_within_24h_share == pytest.approx(2 / 7)
        # Waiting at E: 5 and 10 (never picked up), 13 (picked up only after E).
        assert kpis.priority_waiting == 3
        # Resolution times 6, 23, 30, 72 h: the median of an even count is (23 + 30) / 2.
        assert kpis.median_hours_to_resolution == pytest.approx(26.5, abs=1e-6)
        # Open at E: 4, 5, 10, 11 (resolved after E), 13, 15 (reopened).
        assert kpis.backlog == 6
        # access: 4, 5, 11, 15 (of which P1/P2: 4, 5, 11); safety: 5, 13; no theme: 10.
        assert [(row.theme.code, row.open, row.priority) for row in kpis.backlog_by_theme] == [
            ("access", 4, 3), ("safety", 2, 2)]
        assert kpis.backlog_without_theme == 1
        assert (kpis.start, kpis.end) == (S, E)


def test_kpis_of_the_first_five_days_read_the_past_as_it_was(app, dataset):
    a, _b = dataset
    with app.app_context():
        kpis = kpi.issue_kpis([a.id], S, S + 5 * D)
    # Received: 1, 2, 3, 4 (5 came three hours after the end), all of them P1 or P2.
    assert (kpis.received, kpis.priority_received) == (4, 4)
    # Resolved by then: 1 (6 h), 2 (30 h), 3 (23 h): an odd count, the median is 23 h.
    assert (kpis.resolved, kpis.priority_resolved, kpis.priority_resolved_within_24h) == (3, 3, 2)
    assert kpis.median_hours_to_resolution == pytest.approx(23, abs=1e-6)
    # Waiting then: 10 only (9 was picked up on day 1, 4 within the hour).
    assert kpis.priority_waiting == 1
    # Open then: 4 (in progress) and 10 (new); 9 was already resolved.
    assert kpis.backlog == 2
    assert [(r.theme.code, r.open, r.priority) for r in kpis.backlog_by_theme] == [
        ("access", 1, 1)]
    assert kpis.backlog_without_theme == 1


def test_kpis_of_the_whole_network_add_the_establishments(app, dataset):
    with app.app_context():
        kpis = kpi.issue_kpis(None, S, E)
    # The fourteenth issue of B joins: one more received, priority, and waiting.
    assert (kpis.received, kpis.priority_received, kpis.priority_waiting) == (11, 8, 4)
    assert kpis.backlog == 7


def test_kpis_without_any_issue(app, make_establishment):
    empty = make_establishment()
    with app.app_context():
        kpis = kpi.issue_kpis([empty.id], S, E)
    assert (kpis.received, kpis.resolved, kpis.backlog, kpis.priority_waiting) == (0, 0, 0, 0)
    assert kpis.resolved_share is None and kpis.priority_within_24h_share is None
    assert kpis.median_hours_to_resolution is None
    assert kpis.backlog_by_theme == []


def test_the_command_centre_page_shows_the_kpis(app, client, auth, make_user, dataset):
    a, _b = dataset
    auth.login(make_user(Role.MANAGER, a).email)
    with app.app_context():
        go_live = db.session.get(Establishment, a.id).go_live
    page = client.get("/issues/?period=month1").text
    # The fixture's go-live is 9 May 2026: the first month is the period computed above.
    assert go_live == date(2026, 5, 9)
    assert "enjeux reçus" in page
    assert "résolus (4 sur 10)" in page
    assert "enjeux prioritaires résolus en moins de 24 heures (2 sur 7)" in page
    assert "26 h 30" in page  # the median, as people say it
    assert 'class="tile tile-alert"' in page
