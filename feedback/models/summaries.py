"""Summary tables kept in step with every write (rollups), and anonymity cohorts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models.base import UTCDateTime


class FeedbackRollup(db.Model):
    """Feedback counted per establishment, Québec week and every dimension the summaries use.

    `theme_id` 0 counts each feedback once; any other value counts the feedback carrying that
    theme. `sector_id` 0 stands for "no sector". A cache of `feedback` and `feedback_theme`:
    `flask rebuild-summaries` recomputes it from them at any time.
    """

    __table_args__ = {"sqlite_with_rowid": False}  # rows stored in key order: range scans

    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)  # the Monday, in Québec
    phase: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sector_id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    # Indexed, as in ResponseRollup: the feedback list joins each counted cohort to its rows
    # (48 s at 1 M comments without it, 30 ms with it).
    cohort_id: Mapped[int] = mapped_column(primary_key=True, index=True)  # 0: none (yet)
    theme_id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
    negative: Mapped[int] = mapped_column(default=0)
    neutral: Mapped[int] = mapped_column(default=0)
    positive: Mapped[int] = mapped_column(default=0)
    polarity_sum: Mapped[float] = mapped_column(default=0.0)

    def __repr__(self) -> str:
        return (f"<FeedbackRollup {self.establishment_id} {self.week} theme={self.theme_id} "
                f"n={self.n}>")


class ResponseRollup(db.Model):
    """Survey responses and answers counted per establishment, Québec week and dimension.

    `item` "" counts the responses themselves (and their 0–10 recommend score); any other value
    counts the answers to that 1–5 item. A cache of `survey_response` and `survey_answer`.
    """

    __table_args__ = {"sqlite_with_rowid": False}

    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)
    phase: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sector_id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: survey scores join each counted cohort to its rows; without it, a planner that
    # starts from the cohorts reads the establishment's whole rollup once per cohort.
    cohort_id: Mapped[int] = mapped_column(primary_key=True, index=True)  # 0: none (yet)
    item: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)  # responses, or answers to the item
    scored: Mapped[int] = mapped_column(default=0)  # of which with a value (recommend is optional)
    total: Mapped[int] = mapped_column(default=0)  # sum of the values
    v1: Mapped[int] = mapped_column(default=0)
    v2: Mapped[int] = mapped_column(default=0)
    v3: Mapped[int] = mapped_column(default=0)
    v4: Mapped[int] = mapped_column(default=0)
    v5: Mapped[int] = mapped_column(default=0)
    promoters: Mapped[int] = mapped_column(default=0)  # recommend 9–10
    passives: Mapped[int] = mapped_column(default=0)  # 7–8
    detractors: Mapped[int] = mapped_column(default=0)  # 0–6

    def __repr__(self) -> str:
        return f"<ResponseRollup {self.establishment_id} {self.week} {self.item!r} n={self.n}>"


class CohortPublication(db.Model):
    """One unit of anonymous answers (establishment, week, kind, source) cut into cohorts."""

    establishment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("establishment.id"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(sa.String(10), primary_key=True)  # comment, response
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    batch: Mapped[int] = mapped_column(primary_key=True)  # 0, or the import's id
    threshold: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CohortPublication {self.establishment_id} {self.week} {self.unit}>"


class Cohort(db.Model):
    """A fixed group of at least k anonymous answers: the only unit survey figures sum.

    Each column after `level` holds what all its answers share, or None where they differ
    (`sector_id` 0: no sector given). See insights/anonymity.py.
    """

    __table_args__ = (
        sa.Index("ix_cohort_establishment_week", "establishment_id", "unit", "week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"))
    week: Mapped[date]
    unit: Mapped[str] = mapped_column(sa.String(10))
    kind: Mapped[str] = mapped_column(sa.String(20))
    batch: Mapped[int]
    level: Mapped[int]
    phase: Mapped[int | None]
    role: Mapped[str | None] = mapped_column(sa.String(20))
    role_group: Mapped[str | None] = mapped_column(sa.String(20))
    sector_id: Mapped[int | None]
    campaign_id: Mapped[int | None]
    threshold: Mapped[int]
    n: Mapped[int]  # answers in the cohort
    scored: Mapped[int] = mapped_column(default=0)  # responses with a recommend score

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.unit} {self.week} n={self.n}>"


class CohortItem(db.Model):
    """How many responses of a cohort answered each survey item."""

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    n: Mapped[int]
