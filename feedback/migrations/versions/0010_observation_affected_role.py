"""who was affected is an observation's role: feedback.role holds it, observation_detail no longer

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

ROLES = ('physician', 'nurse', 'professional', 'clerk', 'manager', 'super_user', 'other')

# The Monday of the Québec week, frozen here as rollups.py computes it today.
SQLITE_WEEK = (
    "date(f.created_at, CASE WHEN f.created_at >= datetime(strftime('%Y', f.created_at) || "
    "'-03-01', 'weekday 0', '+7 days', '+7 hours') AND f.created_at < datetime(strftime('%Y', "
    "f.created_at) || '-11-01', 'weekday 0', '+6 hours') THEN '-4 hours' ELSE '-5 hours' END, "
    "'-6 days', 'weekday 1')"
)
POSTGRESQL_WEEK = (
    "CAST(date_trunc('week', f.created_at AT TIME ZONE 'UTC' AT TIME ZONE 'America/Toronto') "
    "AS DATE)"
)
MEASURES = (
    "count(*), count(*) FILTER (WHERE f.sentiment = 'negative'), "
    "count(*) FILTER (WHERE f.sentiment = 'neutral'), "
    "count(*) FILTER (WHERE f.sentiment = 'positive'), coalesce(sum(f.polarity), 0.0)"
)


def _recount_observations():
    """The rollup rows of observations, counted again under their new role.

    Observations are never cut into anonymity cohorts (cohort 0), so no cohort changes.
    """
    week = POSTGRESQL_WEEK if op.get_bind().dialect.name == "postgresql" else SQLITE_WEEK
    keys = (f"f.establishment_id, {week}, f.phase, f.role, coalesce(f.sector_id, 0), f.kind, "
            "coalesce(f.cohort_id, 0)")
    columns = ("establishment_id, week, phase, role, sector_id, kind, cohort_id, theme_id, n, "
               "negative, neutral, positive, polarity_sum")
    op.execute("DELETE FROM feedback_rollup WHERE kind = 'observation'")
    op.execute(
        f"INSERT INTO feedback_rollup ({columns}) "
        f"SELECT {keys}, 0, {MEASURES} FROM feedback f WHERE f.kind = 'observation' "
        f"GROUP BY {keys} "
        f"UNION ALL SELECT {keys}, t.theme_id, {MEASURES} FROM feedback f "
        f"JOIN feedback_theme t ON t.feedback_id = f.id WHERE f.kind = 'observation' "
        f"GROUP BY {keys}, t.theme_id"
    )


def upgrade():
    op.execute(
        "UPDATE feedback SET role = (SELECT o.affected_role FROM observation_detail o "
        "WHERE o.feedback_id = feedback.id) "
        "WHERE kind = 'observation' AND EXISTS (SELECT 1 FROM observation_detail o "
        "WHERE o.feedback_id = feedback.id AND o.affected_role IS NOT NULL)"
    )
    with op.batch_alter_table('observation_detail') as batch:
        batch.drop_column('affected_role')
    _recount_observations()


def downgrade():
    with op.batch_alter_table('observation_detail') as batch:
        batch.add_column(sa.Column('affected_role', sa.Enum(*ROLES, name='writerrole',
                                                             native_enum=False, length=20),
                                   nullable=True))
    op.execute(
        "UPDATE observation_detail SET affected_role = (SELECT f.role FROM feedback f "
        "WHERE f.id = observation_detail.feedback_id)"
    )
    # Back to the role of who logged it, as before: a super-user, or anyone above as a manager.
    op.execute(
        "UPDATE feedback SET role = CASE WHEN (SELECT u.role FROM \"user\" u "
        "WHERE u.id = feedback.author_id) IN ('manager', 'admin') THEN 'manager' "
        "ELSE 'super_user' END WHERE kind = 'observation'"
    )
    _recount_observations()
