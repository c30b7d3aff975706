"""imported rows found by their import: a partial index on feedback.batch

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_feedback_import_batch', 'feedback', ['batch', 'created_at'], unique=False,
                    sqlite_where=sa.text('batch <> 0'), postgresql_where=sa.text('batch <> 0'))


def downgrade():
    op.drop_index('ix_feedback_import_batch', table_name='feedback')
