"""The command centre's issues, and the learnings and report notes built on them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models.base import IssueStatus, LearningStatus, Priority, UTCDateTime, str_enum

if TYPE_CHECKING:
    from feedback.models.feedback import Feedback, Theme
    from feedback.models.people import Establishment, Sector, User

issue_theme = sa.Table(
    "issue_theme",
    db.metadata,
    sa.Column("issue_id", sa.ForeignKey("issue.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("theme.id"), primary_key=True),
)


class Issue(db.Model):
    """A problem the command centre tracks until it is resolved, with feedback as evidence."""

    __table_args__ = (sa.Index("ix_issue_establishment_status", "establishment_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    sector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sector.id"))
    priority: Mapped[Priority] = mapped_column(str_enum(Priority, 2))
    status: Mapped[IssueStatus] = mapped_column(str_enum(IssueStatus), default=IssueStatus.NEW)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issue.id"))
    resolution_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # First move out of "new": the KPI "priority issues not yet picked up" reads it.
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    establishment: Mapped[Establishment] = relationship()
    sector: Mapped[Sector | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    duplicate_of: Mapped[Issue | None] = relationship(remote_side=[id])
    themes: Mapped[list[Theme]] = relationship(secondary=issue_theme)
    evidence: Mapped[list[Feedback]] = relationship(back_populates="issue")
    history: Mapped[list[IssueStatusChange]] = relationship(
        back_populates="issue", order_by="IssueStatusChange.changed_at",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Issue {self.id} {self.priority} {self.status}>"


class IssueStatusChange(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(sa.ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[IssueStatus | None] = mapped_column(str_enum(IssueStatus))
    to_status: Mapped[IssueStatus] = mapped_column(str_enum(IssueStatus))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    issue: Mapped[Issue] = relationship(back_populates="history")
    author: Mapped[User | None] = relationship()


learning_theme = sa.Table(
    "learning_theme",
    db.metadata,
    sa.Column("learning_id", sa.ForeignKey("learning.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("theme.id"), primary_key=True),
)


learning_feedback = sa.Table(
    "learning_feedback",
    db.metadata,
    sa.Column("learning_id", sa.ForeignKey("learning.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("feedback_id", sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
)


learning_issue = sa.Table(
    "learning_issue",
    db.metadata,
    sa.Column("learning_id", sa.ForeignKey("learning.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("issue_id", sa.ForeignKey("issue.id", ondelete="CASCADE"), primary_key=True),
)


class Learning(db.Model):
    """What managers learned and changed, published back to staff ("you said, we did")."""

    __table_args__ = (sa.Index("ix_learning_establishment_status", "establishment_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    learned: Mapped[str] = mapped_column(sa.Text)
    action: Mapped[str] = mapped_column(sa.Text, default="")
    action_owner: Mapped[str] = mapped_column(sa.String(120), default="")
    action_on: Mapped[date | None]
    # The English version, optional: staff reading in English see the French where it is empty.
    title_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    learned_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    action_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    phase: Mapped[int | None]
    status: Mapped[LearningStatus] = mapped_column(
        str_enum(LearningStatus), default=LearningStatus.DRAFT
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    establishment: Mapped[Establishment] = relationship()
    author: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=learning_theme)
    feedback: Mapped[list[Feedback]] = relationship(secondary=learning_feedback)
    issues: Mapped[list[Issue]] = relationship(secondary=learning_issue)

    def has_english(self) -> bool:
        """Whether the English version is whole (a French action needs its English too)."""
        return bool(self.title_en.strip() and self.learned_en.strip()
                    and (self.action_en.strip() or not self.action.strip()))

    def in_language(self, locale: str) -> tuple[str, str, str, str]:
        """Title, what was heard, what was done, and the language they are in."""
        if locale == "en" and self.has_english():
            return self.title_en, self.learned_en, self.action_en, "en"
        return self.title, self.learned, self.action, "fr"

    def __repr__(self) -> str:
        return f"<Learning {self.id} {self.status}>"


class ReportNote(db.Model):
    """The narrative a manager saves with a one-month update, per establishment and period."""

    __table_args__ = (sa.UniqueConstraint("establishment_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    highlights: Mapped[str] = mapped_column(sa.Text, default="")
    success_factors: Mapped[str] = mapped_column(sa.Text, default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    establishment: Mapped[Establishment] = relationship()
