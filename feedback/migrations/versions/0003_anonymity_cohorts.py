"""anonymity cohorts: figures as sums of fixed groups; random public references for feedback

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 01:00:00.000000

"""
import secrets
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

QUEBEC = ZoneInfo("America/Toronto")
REF_LETTERS = "0123456789abcdefghjkmnpqrstvwxyz"


def _ref() -> str:
    return "".join(secrets.choice(REF_LETTERS) for _ in range(12))


def _week_start(stored: datetime) -> datetime:
    """Monday 0:00 (Québec) of a naive-UTC moment's week, as naive UTC (frozen here)."""
    day = stored.replace(tzinfo=UTC).astimezone(QUEBEC).date()
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday, time.min, tzinfo=QUEBEC).astimezone(UTC).replace(tzinfo=None)


def upgrade():
    op.create_table('cohort_publication',
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('batch', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_cohort_publication_establishment_id_establishment')),
    sa.PrimaryKeyConstraint('establishment_id', 'week', 'unit', 'kind', 'batch', name=op.f('pk_cohort_publication'))
    )
    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('batch', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=True),
    sa.Column('role_group', sa.String(length=20), nullable=True),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_cohort_establishment_id_establishment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort'))
    )
    op.create_index('ix_cohort_establishment_week', 'cohort', ['establishment_id', 'unit', 'week'], unique=False)
    op.create_table('cohort_item',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_cohort_item_cohort_id_cohort'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'item', name=op.f('pk_cohort_item'))
    )

    op.add_column('feedback', sa.Column('ref', sa.String(length=16), nullable=True))
    op.add_column('feedback', sa.Column('batch', sa.Integer(), server_default='0', nullable=False))
    op.add_column('feedback', sa.Column('cohort_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_feedback_cohort_id'), 'feedback', ['cohort_id'], unique=False)
    op.add_column('survey_response', sa.Column('cohort_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_survey_response_cohort_id'), 'survey_response', ['cohort_id'], unique=False)

    # Existing rows: a random reference each, and anonymous comments moved to their week's start.
    bind = op.get_bind()
    feedback = sa.table('feedback', sa.column('id', sa.Integer), sa.column('ref', sa.String),
                        sa.column('kind', sa.String), sa.column('created_at', sa.DateTime))
    rows = bind.execute(sa.select(feedback.c.id, feedback.c.kind, feedback.c.created_at)).all()
    updates = [{"row_id": ident, "new_ref": _ref(),
                "moment": _week_start(created) if kind in ("survey", "import") else created}
               for ident, kind, created in rows]
    if updates:
        bind.execute(feedback.update().where(feedback.c.id == sa.bindparam("row_id"))
                     .values(ref=sa.bindparam("new_ref"), created_at=sa.bindparam("moment")),
                     updates)
    with op.batch_alter_table('feedback') as batch:
        batch.alter_column('ref', existing_type=sa.String(length=16), nullable=False)
    op.create_index(op.f('ix_feedback_ref'), 'feedback', ['ref'], unique=True)

    # The summary tables gain the cohort among their keys; refilled by `flask rebuild-summaries`
    # (or the app, at the next write); nothing is cut yet, so every row is cohort 0.
    for table, keys in (
        ('feedback_rollup', ['establishment_id', 'week', 'phase', 'role', 'sector_id', 'kind',
                             'cohort_id', 'theme_id']),
        ('response_rollup', ['establishment_id', 'week', 'phase', 'role', 'sector_id',
                             'campaign_id', 'cohort_id', 'item']),
    ):
        with op.batch_alter_table(table, recreate='always',
                                  table_kwargs={'sqlite_with_rowid': False}) as batch:
            batch.add_column(sa.Column('cohort_id', sa.Integer(), server_default='0',
                                       nullable=False))
            batch.drop_constraint(f'pk_{table}', type_='primary')
            batch.create_primary_key(f'pk_{table}', keys)


def downgrade():
    for table, keys in (
        ('feedback_rollup', ['establishment_id', 'week', 'phase', 'role', 'sector_id', 'kind',
                             'theme_id']),
        ('response_rollup', ['establishment_id', 'week', 'phase', 'role', 'sector_id',
                             'campaign_id', 'item']),
    ):
        op.execute(f"DELETE FROM {table}")
        with op.batch_alter_table(table, recreate='always',
                                  table_kwargs={'sqlite_with_rowid': False}) as batch:
            batch.drop_constraint(f'pk_{table}', type_='primary')
            batch.drop_column('cohort_id')
            batch.create_primary_key(f'pk_{table}', keys)
    op.drop_index(op.f('ix_feedback_ref'), table_name='feedback')
    op.drop_index(op.f('ix_survey_response_cohort_id'), table_name='survey_response')
    op.drop_column('survey_response', 'cohort_id')
    op.drop_index(op.f('ix_feedback_cohort_id'), table_name='feedback')
    with op.batch_alter_table('feedback') as batch:
        batch.drop_column('cohort_id')
        batch.drop_column('batch')
        batch.drop_column('ref')
    op.drop_table('cohort_item')
    op.drop_index('ix_cohort_establishment_week', table_name='cohort')
    op.drop_table('cohort')
    op.drop_table('cohort_publication')
