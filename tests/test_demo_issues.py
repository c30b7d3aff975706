"""The demo's issues look like a command centre's first month, and are seeded once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.issues import kpis as kpi
from feedback.models import (
    AuditEntry,
    Establishment,
    Feedback,
    FeedbackKind,
    Issue,
    IssueStatus,
    IssueStatusChange,
)

# Under pytest-xdist the tests reading the demo share one worker, so it is seeded once.
pytestmark = pytest.mark.xdist_group("demo")


def test_the_demo_command_centres_had_a_believable_first_month(demo):
    app = demo
    with app.app_context():
        totals = {model: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Issue, IssueStatusChange, AuditEntry)}
        duplicates = 0
        for establishment in db.session.scalars(select(Establishment)):
            first_month = kpi.local_period(establishment.go_live,
                                                 establishment.go_live + timedelta(days=29))
            kpis = kpi.issue_kpis([establishment.id], *first_month)
            assert kpis.received >= 30
            assert kpis.priority_received >= 0.5 * kpis.received
            assert kpis.priority_resolved_share >= 0.75  # most P1/P2 resolved…
            assert 0.45 <= kpis.priority_within_24h_share <= 0.75  # …about 60 % within 24 h
            assert 0 < kpis.backlog <= 0.3 * kpis.received  # a few still open
            assert 1 <= kpis.median_hours_to_resolution <= 72
            duplicates += kpis.duplicates + kpi.issue_kpis(
                [establishment.id], first_month[1], utcnow()).duplicates

            issues = db.session.scalars(
                select(Issue).where(Issue.establishment_id == establishment.id)).all()
            for issue in issues:
                # Raised from the establishment's own observations, with a consistent story.
                assert issue.evidence and all(
                    f.kind is FeedbackKind.OBSERVATION and f.establishment_id == establishment.id
                    for f in issue.evidence)
                assert min(f.created_at for f in issue.evidence) < issue.created_at
                assert issue.history[0].to_status is IssueStatus.NEW
                assert issue.history[0].changed_at == issue.created_at
                assert issue.history[-1].to_status is issue.status
                times = [change.changed_at for change in issue.history]
                assert times == sorted(times)
                assert (issue.resolved_at is not None) == (issue.status is IssueStatus.RESOLVED)
                if issue.picked_up_at is not None:
                    assert issue.picked_up_at == issue.history[1].changed_at
        assert duplicates >= 2
        # The audit trail of the demo's issue actions is dated like the actions themselves.
        last_action = max(db.session.scalar(select(func.max(IssueStatusChange.changed_at))),
                          db.session.scalar(select(func.max(Feedback.created_at))))
        assert db.session.scalar(select(func.max(AuditEntry.at)).where(
            AuditEntry.action.like("issue.%"))) <= last_action + timedelta(hours=2)
        assert db.session.scalar(select(func.count()).select_from(Feedback).where(
            Feedback.issue_id.is_not(None))) > totals[Issue]  # some issues have more evidence

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert {model: db.session.scalar(select(func.count()).select_from(model))
                for model in totals} == totals
