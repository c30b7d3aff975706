"""Records of what was done: imports, exports, the audit trail, the confidentiality-incident
register."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models.base import ExportJobStatus, ImportJobStatus, UTCDateTime, str_enum

if TYPE_CHECKING:
    from feedback.models.people import Establishment, User


class ImportMapping(db.Model):
    """The column mapping remembered for a source of imported files."""

    __table_args__ = (sa.UniqueConstraint("establishment_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishment.id"))
    source: Mapped[str] = mapped_column(sa.String(120))
    mapping: Mapped[dict] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ImportJob(db.Model):
    """One run of an import, so a large file shows its progress and its outcome."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishment.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[ImportJobStatus] = mapped_column(
        str_enum(ImportJobStatus), default=ImportJobStatus.PENDING
    )
    valid_only: Mapped[bool] = mapped_column(default=False)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    imported: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    # The rejected rows with their reasons (line, reason), for the downloadable CSV.
    report: Mapped[dict | None] = mapped_column(sa.JSON)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The queue's attempts at running it: the latest one alone may record its outcome, so an
    # attempt taken for dead that finishes after all is rolled back instead of counted twice.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Last news from the running attempt (or when it was queued): silent for a lease, it is
    # taken as stopped and tried again.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExportJob(db.Model):
    """A file prepared by the job queue (a large export), kept for its requester for a while."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"),
                                         index=True)
    table: Mapped[str] = mapped_column(sa.String(20))  # what is exported: "feedback"
    format: Mapped[str] = mapped_column(sa.String(10))
    # The selection as the request made it (ids and codes, never text), so the file holds what
    # a direct download would have held at that moment.
    selection: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[ExportJobStatus] = mapped_column(
        str_enum(ExportJobStatus), default=ExportJobStatus.RUNNING)
    filename: Mapped[str] = mapped_column(sa.String(255))  # what the browser saves it as
    stored_as: Mapped[str] = mapped_column(sa.String(64), default="")  # in the instance folder
    rows: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # As for imports: the latest attempt alone may record its outcome.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<ExportJob {self.id} {self.table}.{self.format} {self.status.value}>"


class TaskRun(db.Model):
    """Maintenance work run by the job queue (re-analysis, retraining): its
    progress and outcome, for the admins who start or watch it. Counts and codes, never text."""

    __table_args__ = (sa.Index("ix_task_run_kind_created", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # retag, retrain
    # Running while queued or under way, then done or failed (a run has no file to expire).
    status: Mapped[ExportJobStatus] = mapped_column(
        str_enum(ExportJobStatus), default=ExportJobStatus.RUNNING)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    done: Mapped[int] = mapped_column(default=0)  # rows handled so far
    total: Mapped[int] = mapped_column(default=0)  # rows to handle, when known
    outcome: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<TaskRun {self.id} {self.kind} {self.status.value}>"


class AuditEntry(db.Model):
    """Append-only: who did what and when. Never holds feedback text or survey answers."""

    # at, id: the trail is read a page at a time from a key (feedback.paging).
    __table_args__ = (sa.Index("ix_audit_entry_at", "at"),
                      sa.Index("ix_audit_entry_at_id", "at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # Kept as written at the time, so the trail still reads after an account is renamed.
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    establishment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("establishment.id"), index=True
    )
    target_type: Mapped[str] = mapped_column(sa.String(40), default="")
    target_id: Mapped[str] = mapped_column(sa.String(40), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()


class Incident(db.Model):
    """The confidentiality-incident register that Québec's Law 25 requires."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishment.id"))
    occurred_on: Mapped[date | None]
    discovered_on: Mapped[date]
    description: Mapped[str] = mapped_column(sa.Text)
    information_kinds: Mapped[str] = mapped_column(sa.Text, default="")
    people_affected: Mapped[int | None]
    risk_assessment: Mapped[str] = mapped_column(sa.Text, default="")
    serious_risk: Mapped[bool] = mapped_column(default=False)
    cai_notified_on: Mapped[date | None]  # Commission d'accès à l'information
    people_notified_on: Mapped[date | None]
    measures: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    establishment: Mapped[Establishment | None] = relationship()
