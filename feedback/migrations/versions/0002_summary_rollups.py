"""summary rollups: feedback and survey responses counted per Québec week and dimension

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The Monday of the Québec week, frozen here as the first release computes it (see rollups.py).
SQLITE_FEEDBACK_WEEK = (
    "date(f.created_at, CASE WHEN f.created_at >= datetime(strftime('%Y', f.created_at) || "
    "'-03-01', 'weekday 0', '+7 days', '+7 hours') AND f.created_at < datetime(strftime('%Y', "
    "f.created_at) || '-11-01', 'weekday 0', '+6 hours') THEN '-4 hours' ELSE '-5 hours' END, "
    "'-6 days', 'weekday 1')"
)
POSTGRESQL_FEEDBACK_WEEK = (
    "CAST(date_trunc('week', f.created_at AT TIME ZONE 'UTC' AT TIME ZONE 'America/Toronto') "
    "AS DATE)"
)
SQLITE_RESPONSE_WEEK = "date(r.submitted_on, '-6 days', 'weekday 1')"
POSTGRESQL_RESPONSE_WEEK = "CAST(date_trunc('week', r.submitted_on) AS DATE)"

FEEDBACK_MEASURES = (
    "count(*), count(*) FILTER (WHERE f.sentiment = 'negative'), "
    "count(*) FILTER (WHERE f.sentiment = 'neutral'), "
    "count(*) FILTER (WHERE f.sentiment = 'positive'), coalesce(sum(f.polarity), 0.0)"
)


def _fill(bind):
    postgresql = bind.dialect.name == "postgresql"
    feedback_week = POSTGRESQL_FEEDBACK_WEEK if postgresql else SQLITE_FEEDBACK_WEEK
    response_week = POSTGRESQL_RESPONSE_WEEK if postgresql else SQLITE_RESPONSE_WEEK
    keys = f"f.establishment_id, {feedback_week}, f.phase, f.role, coalesce(f.sector_id, 0), f.kind"
    columns = ("establishment_id, week, phase, role, sector_id, kind, theme_id, n, negative, "
               "neutral, positive, polarity_sum")
    op.execute(
        f"INSERT INTO feedback_rollup ({columns}) "
        f"SELECT {keys}, 0, {FEEDBACK_MEASURES} FROM feedback f GROUP BY {keys} "
        f"UNION ALL SELECT {keys}, t.theme_id, {FEEDBACK_MEASURES} FROM feedback f "
        f"JOIN feedback_theme t ON t.feedback_id = f.id GROUP BY {keys}, t.theme_id"
    )
    keys = (f"r.establishment_id, {response_week}, r.phase, r.role, coalesce(r.sector_id, 0), "
            "r.campaign_id")
    columns = ("establishment_id, week, phase, role, sector_id, campaign_id, item, n, scored, "
               "total, v1, v2, v3, v4, v5, promoters, passives, detractors")
    values = ", ".join(f"count(*) FILTER (WHERE a.value = {v})" for v in range(1, 6))
    op.execute(
        f"INSERT INTO response_rollup ({columns}) "
        f"SELECT {keys}, '', count(*), count(r.recommend), coalesce(sum(r.recommend), 0), "
        f"0, 0, 0, 0, 0, count(*) FILTER (WHERE r.recommend >= 9), "
        f"count(*) FILTER (WHERE r.recommend BETWEEN 7 AND 8), "
        f"count(*) FILTER (WHERE r.recommend <= 6) FROM survey_response r GROUP BY {keys} "
        f"UNION ALL SELECT {keys}, a.item, count(*), count(a.value), coalesce(sum(a.value), 0), "
        f"{values}, 0, 0, 0 FROM survey_response r JOIN survey_answer a ON a.response_id = r.id "
        f"GROUP BY {keys}, a.item"
    )


def upgrade():
    op.create_table('feedback_rollup',
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('negative', sa.Integer(), nullable=False),
    sa.Column('neutral', sa.Integer(), nullable=False),
    sa.Column('positive', sa.Integer(), nullable=False),
    sa.Column('polarity_sum', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_feedback_rollup_establishment_id_establishment')),
    sa.PrimaryKeyConstraint('establishment_id', 'week', 'phase', 'role', 'sector_id', 'kind', 'theme_id', name=op.f('pk_feedback_rollup')),
    sqlite_with_rowid=False
    )
    op.create_table('response_rollup',
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('v1', sa.Integer(), nullable=False),
    sa.Column('v2', sa.Integer(), nullable=False),
    sa.Column('v3', sa.Integer(), nullable=False),
    sa.Column('v4', sa.Integer(), nullable=False),
    sa.Column('v5', sa.Integer(), nullable=False),
    sa.Column('promoters', sa.Integer(), nullable=False),
    sa.Column('passives', sa.Integer(), nullable=False),
    sa.Column('detractors', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_response_rollup_establishment_id_establishment')),
    sa.PrimaryKeyConstraint('establishment_id', 'week', 'phase', 'role', 'sector_id', 'campaign_id', 'item', name=op.f('pk_response_rollup')),
    sqlite_with_rowid=False
    )
    # Databases upgraded with data already in them start with their summaries complete.
    _fill(op.get_bind())


def downgrade():
    op.drop_table('response_rollup')
    op.drop_table('feedback_rollup')
