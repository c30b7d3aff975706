"""The demo data: the two showcase establishments in their first hundred days, loaded once."""

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    ObservationDetail,
    Role,
    User,
)

# Under pytest-xdist the tests reading the demo share one worker, so it is seeded once.
pytestmark = pytest.mark.xdist_group("demo")


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_creates_the_showcase_establishments_once(demo_database, demo):
    app, first_output = demo_database
    assert "gestion.mcq@echo.example" in first_output
    with app.app_context():
        codes = set(db.session.scalars(select(Establishment.code)))
        roles = db.session.execute(
            select(User.role, func.count()).group_by(User.role)
        ).all()
        kinds = dict(db.session.execute(
            select(Feedback.kind, func.count()).group_by(Feedback.kind)
        ).all())
        phases = dict(db.session.execute(
            select(Feedback.phase, func.count()).group_by(Feedback.phase)
        ).all())
        themed = db.session.scalar(select(func.count(func.distinct(FeedbackTheme.feedback_id))))
        observations = db.session.scalar(select(func.count()).select_from(ObservationDetail))
    assert codes == {"MCQ", "NIM"}
    assert dict(roles) == {Role.ADMIN: 3, Role.MANAGER: 2, Role.SUPER_USER: 2}
    total = sum(kinds.values())
    assert 2500 <= total <= 5000
    assert kinds[FeedbackKind.OBSERVATION] == observations > 0
    assert set(phases) == {1, 2, 3} and min(phases.values()) > 200
    assert themed > 0.8 * total

    counts = {model: count(app, model) for model in (Establishment, User, Feedback)}
    second = app.test_cli_runner().invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "already present" in second.output
    assert {model: count(app, model) for model in counts} == counts


def test_demo_observations_say_who_was_affected_nurses_first(demo):
    """The demo's observations are filed under the group they affected, as on the floor: nurses
    most, then physicians; none under the super-user who logged them."""
    from feedback.models import WriterRole

    with demo.app_context():
        counts = dict(db.session.execute(
            select(Feedback.role, func.count()).where(Feedback.kind == FeedbackKind.OBSERVATION)
            .group_by(Feedback.role)).all())
    assert WriterRole.SUPER_USER not in counts
    ranked = sorted(counts, key=counts.get, reverse=True)
    assert ranked[:2] == [WriterRole.NURSE, WriterRole.PHYSICIAN]
    assert {WriterRole.PROFESSIONAL, WriterRole.CLERK} <= set(counts)
    assert counts[WriterRole.PHYSICIAN] >= 0.1 * sum(counts.values())
