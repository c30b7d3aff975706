"""response rollup indexed by cohort: survey scores join cohorts to their rows

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 05:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_response_rollup_cohort_id'), 'response_rollup', ['cohort_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_response_rollup_cohort_id'), table_name='response_rollup')
