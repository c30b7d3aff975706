"""Every text Écho receives, its themes, and what a super-user adds to an observation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models.base import (
    FeedbackKind,
    Priority,
    SentimentLabel,
    ThemeSource,
    UTCDateTime,
    WriterRole,
    new_ref,
    str_enum,
)

if TYPE_CHECKING:
    from feedback.models.issues import Issue
    from feedback.models.people import Establishment, Sector, Site, User
    from feedback.models.summaries import Cohort
    from feedback.models.surveys import Campaign


class Theme(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_fr: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    description_fr: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    # Extra words and phrases (one a line) that admins add to the analysis lexicon.
    keywords: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def __repr__(self) -> str:
        return f"<Theme {self.code}>"


class Feedback(db.Model):
    """Every text Écho receives, stored only after patient-identifier redaction."""

    __table_args__ = (
        sa.Index("ix_feedback_establishment_created", "establishment_id", "created_at"),
        sa.Index("ix_feedback_establishment_phase", "establishment_id", "phase"),
        sa.Index(
            "ix_feedback_establishment_kind_created", "establishment_id", "kind", "created_at"
        ),
        # The listing's order (newest first, then the reference): its pages are read from a key,
        # and its bounded count from this index alone (kind and cohort decide what is listed).
        sa.Index("ix_feedback_establishment_created_ref", "establishment_id", "created_at", "ref",
                 "kind", "cohort_id"),
        # A super-user's own observations, newest first.
        sa.Index("ix_feedback_author_created", "author_id", "created_at"),
        # The purge finds what outlived its retention in batches, across establishments.
        sa.Index("ix_feedback_created", "created_at"),
        # An import's rows (cut into cohorts of their own, added to the summary tables) read
        # without the establishment's other rows; live rows (batch 0) are left out of it.
        sa.Index("ix_feedback_import_batch", "batch", "created_at",
                 sqlite_where=sa.text("batch <> 0"), postgresql_where=sa.text("batch <> 0")),
        sa.CheckConstraint("phase BETWEEN 1 AND 3", name="phase_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What pages, exports, the API and the audit trail show instead of the id: ids follow the
    # order rows were stored in, and would place an anonymous comment between two observations.
    ref: Mapped[str] = mapped_column(sa.String(16), unique=True, index=True, default=new_ref)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    sector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sector.id"), index=True)
    # Who the words are about: the writer of a comment, the group an observation says was
    # affected (the super-user who logged it is its author, not its role).
    role: Mapped[WriterRole] = mapped_column(str_enum(WriterRole))
    phase: Mapped[int]
    kind: Mapped[FeedbackKind] = mapped_column(str_enum(FeedbackKind))
    # 0 for what came through Écho itself; the import's id for imported rows (each import is
    # cut into anonymity cohorts of its own, see insights/anonymity.py).
    batch: Mapped[int] = mapped_column(default=0, server_default="0")
    # The anonymity cohort an anonymous comment counts in, once its week is cut (None before,
    # and for comments withheld as too few).
    cohort_id: Mapped[int | None] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(2))
    polarity: Mapped[float]
    sentiment: Mapped[SentimentLabel] = mapped_column(str_enum(SentimentLabel))
    # Anonymous comments keep only the Monday of their Québec week; observations keep the time.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    # The super-user who logged an observation; never set for survey comments.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    issue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issue.id"), index=True)
    # Imports are idempotent through a hash of the row's content.
    content_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    establishment: Mapped[Establishment] = relationship()
    site: Mapped[Site | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
    author: Mapped[User | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship(back_populates="comments")
    issue: Mapped[Issue | None] = relationship(back_populates="evidence")
    themes: Mapped[list[FeedbackTheme]] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )
    observation: Mapped[ObservationDetail | None] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )
    cohort: Mapped[Cohort | None] = relationship(
        primaryjoin="foreign(Feedback.cohort_id) == Cohort.id", viewonly=True
    )

    def __repr__(self) -> str:
        return f"<Feedback {self.id} {self.kind}>"


class FeedbackTheme(db.Model):
    feedback_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id"), primary_key=True, index=True)
    source: Mapped[ThemeSource] = mapped_column(str_enum(ThemeSource), default=ThemeSource.AUTO)
    confidence: Mapped[float] = mapped_column(default=1.0)

    feedback: Mapped[Feedback] = relationship(back_populates="themes")
    theme: Mapped[Theme] = relationship()

    def __repr__(self) -> str:
        return f"<FeedbackTheme {self.feedback_id}:{self.theme_id} {self.source}>"


class ObservationDetail(db.Model):
    """What a super-user adds to an observation: its priority and the sync id (who was affected
    is the feedback's role)."""

    feedback_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    # Generated by the browser, so a retried offline sync never stores a second row.
    client_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    priority: Mapped[Priority | None] = mapped_column(str_enum(Priority, 2))

    feedback: Mapped[Feedback] = relationship(back_populates="observation")
