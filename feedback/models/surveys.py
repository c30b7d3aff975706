"""Survey campaigns, their anonymous responses, and follow-up contacts kept apart."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models.base import UTCDateTime, WriterRole, str_enum

if TYPE_CHECKING:
    from feedback.models.feedback import Feedback
    from feedback.models.people import Establishment, Sector

campaign_sector = sa.Table(
    "campaign_sector",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sector_id", sa.ForeignKey("sector.id"), primary_key=True),
)


class Campaign(db.Model):
    """A survey, open between two dates, answered anonymously through its public link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"), index=True)
    # The public link's unguessable part.
    slug: Mapped[str] = mapped_column(sa.String(32), unique=True)
    title_fr: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    intro_fr: Mapped[str] = mapped_column(sa.Text, default="")
    intro_en: Mapped[str] = mapped_column(sa.Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    closed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The pulse of the establishment's schedule it measures (days after go-live), if any.
    pulse_day: Mapped[int | None]
    # The questions, in both languages, as data (see surveys.DEFAULT_INSTRUMENT).
    instrument: Mapped[dict] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    establishment: Mapped[Establishment] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=campaign_sector)
    responses: Mapped[list[SurveyResponse]] = relationship(back_populates="campaign")
    comments: Mapped[list[Feedback]] = relationship(back_populates="campaign")

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" else self.title_fr

    def __repr__(self) -> str:
        return f"<Campaign {self.slug}>"


class SurveyResponse(db.Model):
    """One anonymous answer to a campaign: no account, no IP, no time finer than the day.

    Its id is never shown: ids follow the order of submission.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"), index=True)
    sector_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sector.id"))
    role: Mapped[WriterRole] = mapped_column(str_enum(WriterRole))
    phase: Mapped[int]
    submitted_on: Mapped[date]
    recommend: Mapped[int | None]  # 0–10
    # The one-time token of the form, so a double submit records one response.
    submission_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("feedback.id", ondelete="SET NULL")
    )
    cohort_id: Mapped[int | None] = mapped_column(index=True)  # see Feedback.cohort_id

    campaign: Mapped[Campaign] = relationship(back_populates="responses")
    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    comment: Mapped[Feedback | None] = relationship()

    def __repr__(self) -> str:
        return f"<SurveyResponse {self.id}>"


class SurveyAnswer(db.Model):
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    theme_code: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[int]  # 1–5 agreement

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class FollowUpContact(db.Model):
    """A respondent's optional contact, deliberately not linked to their answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(sa.ForeignKey("establishment.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="SET NULL")
    )
    contact: Mapped[str] = mapped_column(sa.String(200))
    created_on: Mapped[date]
    handled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
