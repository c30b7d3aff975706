"""identity providers and external identities: single sign-on through the network's or an
establishment's OpenID provider, each person tied to the provider's subject at first sign-in

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret_encrypted', sa.Text(), nullable=False),
    sa.Column('email_claim', sa.String(length=64), nullable=False),
    sa.Column('verified_claim', sa.String(length=64), nullable=False),
    sa.Column('enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_identity_provider_establishment_id_establishment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_provider')),
    sa.UniqueConstraint('establishment_id', name=op.f('uq_identity_provider_establishment_id'))
    )
    op.create_table('external_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_external_identity_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_identity')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_external_identity_issuer_subject')),
    sa.UniqueConstraint('user_id', 'issuer', name=op.f('uq_external_identity_user_id_issuer'))
    )


def downgrade():
    op.drop_table('external_identity')
    op.drop_table('identity_provider')
