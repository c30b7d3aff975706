"""participation and pulses: staff headcount per sector, each establishment's schedule of
measurement pulses and the pulse a campaign measures, learnings in English as well as French

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sector') as batch:
        batch.add_column(sa.Column('headcount', sa.Integer(), nullable=True))
    with op.batch_alter_table('establishment') as batch:
        batch.add_column(sa.Column('pulse_days', sa.String(length=100), server_default='7,30,90',
                                   nullable=False))
        batch.add_column(sa.Column('pulse_every_months', sa.Integer(), server_default='6',
                                   nullable=False))
    with op.batch_alter_table('campaign') as batch:
        batch.add_column(sa.Column('pulse_day', sa.Integer(), nullable=True))
    with op.batch_alter_table('learning') as batch:
        batch.add_column(sa.Column('title_en', sa.String(length=200), server_default='',
                                   nullable=False))
        batch.add_column(sa.Column('learned_en', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('action_en', sa.Text(), server_default='', nullable=False))


def downgrade():
    # SQLite drops these columns in place: recreating a table that others reference would
    # trip their foreign keys.
    with op.batch_alter_table('learning', recreate='never') as batch:
        batch.drop_column('action_en')
        batch.drop_column('learned_en')
        batch.drop_column('title_en')
    with op.batch_alter_table('campaign', recreate='never') as batch:
        batch.drop_column('pulse_day')
    with op.batch_alter_table('establishment', recreate='never') as batch:
        batch.drop_column('pulse_every_months')
        batch.drop_column('pulse_days')
    with op.batch_alter_table('sector', recreate='never') as batch:
        batch.drop_column('headcount')
