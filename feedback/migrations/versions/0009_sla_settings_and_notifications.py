"""service levels per establishment and notifications: SLA settings, breaches alerted once,
each person's notification choices, establishments' webhooks, and the outbox the queue sends from

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:14:30.409141

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('establishment_webhook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_establishment_webhook_establishment_id_establishment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_establishment_webhook_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_establishment_webhook')),
    sa.UniqueConstraint('establishment_id', name=op.f('uq_establishment_webhook_establishment_id'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('email', 'webhook', name='notificationchannel', native_enum=False, length=10), nullable=False),
    sa.Column('kind', sa.Enum('p1_created', 'sla_breach', 'assigned', 'daily_digest', 'weekly_digest', name='notificationkind', native_enum=False, length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='notificationstatus', native_enum=False, length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_notification_establishment_id_establishment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_status_created', ['status', 'created_at'], unique=False)

    op.create_table('notification_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('p1_alerts', sa.Boolean(), nullable=False),
    sa.Column('assigned_alerts', sa.Boolean(), nullable=False),
    sa.Column('daily_digest', sa.Boolean(), nullable=False),
    sa.Column('weekly_digest', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preference')),
    sa.UniqueConstraint('user_id', name=op.f('uq_notification_preference_user_id'))
    )
    op.create_table('sla_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Enum('P1', 'P2', 'P3', name='priority', native_enum=False), nullable=False),
    sa.Column('ack_hours', sa.Integer(), nullable=False),
    sa.Column('resolve_hours', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'], name=op.f('fk_sla_setting_establishment_id_establishment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_sla_setting_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_setting')),
    sa.UniqueConstraint('establishment_id', 'priority', name=op.f('uq_sla_setting_establishment_id_priority'))
    )
    op.create_table('issue_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'ack', 'resolve', name='issuealertkind', native_enum=False, length=10), nullable=False),
    sa.Column('alerted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['issue.id'], name=op.f('fk_issue_alert_issue_id_issue'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issue_alert')),
    sa.UniqueConstraint('issue_id', 'kind', name=op.f('uq_issue_alert_issue_id_kind'))
    )


def downgrade():
    op.drop_table('issue_alert')
    op.drop_table('sla_setting')
    op.drop_table('notification_preference')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_status_created')

    op.drop_table('notification')
    op.drop_table('establishment_webhook')
