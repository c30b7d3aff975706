"""lists read from a key (feedback, observations, audit trail), feedback rollup indexed by
cohort, the purge's index, and the maintenance runs of the job queue (re-analysis, retraining, summary check)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Enum('running', 'done', 'failed', 'expired', name='exportjobstatus', native_enum=False, length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_task_run_requested_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_run'))
    )
    op.create_index('ix_task_run_kind_created', 'task_run', ['kind', 'created_at'], unique=False)
    op.create_index('ix_feedback_establishment_created_ref', 'feedback',
                    ['establishment_id', 'created_at', 'ref', 'kind', 'cohort_id'], unique=False)
    op.create_index('ix_feedback_author_created', 'feedback', ['author_id', 'created_at'],
                    unique=False)
    op.create_index('ix_feedback_created', 'feedback', ['created_at'], unique=False)
    op.create_index('ix_audit_entry_at_id', 'audit_entry', ['at', 'id'], unique=False)
    op.create_index(op.f('ix_feedback_rollup_cohort_id'), 'feedback_rollup', ['cohort_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_feedback_rollup_cohort_id'), table_name='feedback_rollup')
    op.drop_index('ix_audit_entry_at_id', table_name='audit_entry')
    op.drop_index('ix_feedback_created', table_name='feedback')
    op.drop_index('ix_feedback_author_created', table_name='feedback')
    op.drop_index('ix_feedback_establishment_created_ref', table_name='feedback')
    op.drop_index('ix_task_run_kind_created', table_name='task_run')
    op.drop_table('task_run')
