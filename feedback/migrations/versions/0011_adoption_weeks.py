"""adoption weeks: the EHR's own adoption indicators (users connected, physicians' share of
orders, secure chats, tickets) per establishment and week, imported by an admin from a CSV

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('adoption_week',
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('users_connected', sa.Integer(), nullable=True),
    sa.Column('users_total', sa.Integer(), nullable=True),
    sa.Column('physician_order_share', sa.Double(), nullable=True),
    sa.Column('secure_chats_per_day', sa.Double(), nullable=True),
    sa.Column('tickets_received', sa.Integer(), nullable=True),
    sa.Column('tickets_resolved', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_adoption_week_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], name=op.f('fk_adoption_week_imported_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('establishment_id', 'week', name=op.f('pk_adoption_week'))
    )


def downgrade():
    op.drop_table('adoption_week')
