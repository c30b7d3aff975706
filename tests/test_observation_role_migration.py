"""Who was affected moved from observation_detail to the observation's role: the migration moves
it, recounts the summaries, and its downgrade puts everything back (SQLite and PostgreSQL)."""

import uuid
from datetime import UTC, date, datetime

import flask_migrate
import sqlalchemy as sa

from feedback import create_app
from feedback.extensions import db
from feedback.insights import rollups
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackRollup,
    ObservationDetail,
    Role,
    Sector,
    Site,
    SiteKind,
    User,
    WriterRole,
)
from feedback.observations import record_observation
from feedback.tagging import record_feedback
from tests.test_database import empty_database_url  # noqa: F401  (a fixture)


def _rollup(connection) -> list[tuple]:
    return sorted(tuple(row) for row in connection.execute(sa.text(
        "SELECT establishment_id, week, phase, role, sector_id, kind, cohort_id, theme_id, n, "
        "negative, neutral, positive FROM feedback_rollup")))


def _roles(connection) -> dict[str, str]:
    return dict(connection.execute(sa.text("SELECT text, role FROM feedback")).all())


def _affected(connection) -> dict[str, str | None]:
    return dict(connection.execute(sa.text(
        "SELECT f.text, o.affected_role FROM observation_detail o "
        "JOIN feedback f ON f.id = o.feedback_id")).all())


def _fill() -> None:
    """Two observations (about a physician, about nurses) by a super-user and a manager, and a
    survey comment by a nurse, recorded by the app at the head revision."""
    establishment = Establishment(code="MIG", name="Migration", go_live=date(2026, 5, 9))
    site = Site(name="Hôpital", kind=SiteKind.HOSPITAL, establishment=establishment)
    sector = Sector(code="urgence", name_fr="Urgence", name_en="Emergency", site=site)
    observer = User(email="su@example.org", name="SU", role=Role.SUPER_USER,
                    establishment=establishment, password_hash="x")
    manager = User(email="gm@example.org", name="GM", role=Role.MANAGER,
                   establishment=establishment, password_hash="x")
    db.session.add_all([establishment, observer, manager])
    moment = datetime(2026, 5, 20, 15, tzinfo=UTC)
    for author, role, text in ((observer, WriterRole.PHYSICIAN, "Le médecin attend."),
                               (manager, WriterRole.NURSE, "Les infirmières attendent.")):
        record_observation(establishment=establishment, author=author, text=text,
                           client_uuid=str(uuid.uuid4()), affected_role=role, sector=sector,
                           created_at=moment)
    record_feedback(establishment=establishment, text="Le système est lent.",
                    kind=FeedbackKind.SURVEY, role=WriterRole.NURSE, phase=1, sector=sector,
                    created_at=datetime(2026, 5, 18, 4, tzinfo=UTC))
    db.session.commit()


def test_the_affected_group_moves_both_ways_with_the_summaries(empty_database_url, tmp_path):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"},
                     instance_path=str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        _fill()
        with db.engine.connect() as connection:
            head_rollup = _rollup(connection)
            # The app keeps the summaries in step: they match a rebuild from the rows.
            rollups.rebuild(connection)
            assert _rollup(connection) == head_rollup
            connection.rollback()
        assert {row[3] for row in head_rollup if row[5] == "observation"} == {"physician", "nurse"}

        flask_migrate.downgrade(revision="0008")
        with db.engine.connect() as connection:
            # As the app stored them before: filed under who logged them, the group on the side.
            assert _roles(connection) == {"Le médecin attend.": "super_user",
                                          "Les infirmières attendent.": "manager",
                                          "Le système est lent.": "nurse"}
            assert _affected(connection) == {"Le médecin attend.": "physician",
                                             "Les infirmières attendent.": "nurse"}
            old_rollup = _rollup(connection)
        observed = [row for row in old_rollup if row[5] == "observation"]
        assert {row[3] for row in observed} == {"super_user", "manager"}
        assert sum(row[8] for row in observed if row[7] == 0) == 2
        # The survey comment's rows are untouched.
        assert ([row for row in old_rollup if row[5] == "survey"]
                == [row for row in head_rollup if row[5] == "survey"])

        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert _roles(connection) == {"Le médecin attend.": "physician",
                                          "Les infirmières attendent.": "nurse",
                                          "Le système est lent.": "nurse"}
            assert "affected_role" not in {
                column["name"] for column in sa.inspect(connection).get_columns(
                    "observation_detail")}
            assert _rollup(connection) == head_rollup

            # The summaries now compare physicians with others on the observations too.
            physicians = connection.scalar(
                sa.select(sa.func.sum(FeedbackRollup.n)).where(
                    FeedbackRollup.role == "physician", FeedbackRollup.theme_id == 0))
            assert physicians == 1
        db.engine.dispose()


def test_an_observation_without_a_group_keeps_its_role(empty_database_url, tmp_path):  # noqa: F811
    """Rows stored before the group was asked for: nothing to move, the role stays."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"},
                     instance_path=str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        _fill()
        flask_migrate.downgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE observation_detail SET affected_role = NULL"))
        flask_migrate.upgrade()
        roles = set(db.session.scalars(
            sa.select(Feedback.role).where(Feedback.kind == FeedbackKind.OBSERVATION)))
        assert roles == {WriterRole.SUPER_USER, WriterRole.MANAGER}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ObservationDetail)) == 2
        db.session.remove()
        db.engine.dispose()
