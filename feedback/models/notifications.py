"""The command centre's service levels, and the notifications it sends: who wants which, where
each establishment's channel is, and the outbox the job queue sends from."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models.base import Priority, UTCDateTime, str_enum

if TYPE_CHECKING:
    from feedback.models.issues import Issue
    from feedback.models.people import Establishment, User


class SlaSetting(db.Model):
    """How fast an establishment's command centre picks up and resolves issues of a priority."""

    __table_args__ = (sa.UniqueConstraint("establishment_id", "priority"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id", ondelete="CASCADE"))
    priority: Mapped[Priority] = mapped_column(str_enum(Priority, 2))
    ack_hours: Mapped[int]
    resolve_hours: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    establishment: Mapped[Establishment] = relationship()

    def __repr__(self) -> str:
        return (f"<SlaSetting {self.establishment_id} {self.priority} "
                f"{self.ack_hours}/{self.resolve_hours}>")


class IssueAlertKind(enum.StrEnum):
    CREATED = "created"  # a P1 was opened
    ACK = "ack"  # not picked up in time
    RESOLVE = "resolve"  # not resolved in time


class IssueAlert(db.Model):
    """An alert already rung: each issue's alert of each kind rings once, whoever raised it."""

    __table_args__ = (sa.UniqueConstraint("issue_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(sa.ForeignKey("issue.id", ondelete="CASCADE"))
    kind: Mapped[IssueAlertKind] = mapped_column(str_enum(IssueAlertKind, 10))
    alerted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    issue: Mapped[Issue] = relationship()

    def __repr__(self) -> str:
        return f"<IssueAlert {self.issue_id} {self.kind}>"


class NotificationPreference(db.Model):
    """What one person asked to be told, by e-mail (everything is off until they opt in)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         unique=True)
    p1_alerts: Mapped[bool] = mapped_column(default=False)
    assigned_alerts: Mapped[bool] = mapped_column(default=False)
    daily_digest: Mapped[bool] = mapped_column(default=False)
    weekly_digest: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.user_id}>"


class EstablishmentWebhook(db.Model):
    """An establishment's Teams or Slack incoming webhook; the URL is a secret, kept here only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    establishment: Mapped[Establishment] = relationship()

    def __repr__(self) -> str:
        return f"<EstablishmentWebhook {self.establishment_id}>"


class NotificationChannel(enum.StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class NotificationKind(enum.StrEnum):
    P1_CREATED = "p1_created"
    SLA_BREACH = "sla_breach"
    ASSIGNED = "assigned"
    DAILY_DIGEST = "daily_digest"
    WEEKLY_DIGEST = "weekly_digest"


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Notification(db.Model):
    """One message in the outbox: written with the change that causes it, sent by the queue."""

    __table_args__ = (sa.Index("ix_notification_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("establishment.id", ondelete="CASCADE"))
    # The person it is for; None for an establishment's webhook.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    channel: Mapped[NotificationChannel] = mapped_column(str_enum(NotificationChannel, 10))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[NotificationStatus] = mapped_column(
        str_enum(NotificationStatus, 10), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
    establishment: Mapped[Establishment | None] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.channel} {self.kind} {self.status}>"
