"""Pulse to pulse: the survey scores of each campaign of an establishment's measurement schedule,
side by side on the items every pulse asked (the same instrument), by whole cohorts."""

from dataclasses import dataclass

from sqlalchemy import select

from feedback.extensions import db
from feedback.insights.filters import SummaryFilter
from feedback.insights.scores import SurveyScores, survey_scores
from feedback.models import Campaign


@dataclass(frozen=True)
class PulseScores:
    campaign: Campaign
    scores: SurveyScores | None  # None: no response at all yet

    @property
    def day(self) -> int:
        return self.campaign.pulse_day or 0

    def item_mean(self, code: str) -> float | None:
        if self.scores is None or self.scores.suppressed:
            return None
        return next((item.mean for item in self.scores.items or [] if item.item == code), None)

    @property
    def recommend(self) -> float | None:
        if self.scores is None or self.scores.suppressed or self.scores.recommend is None:
            return None
        return self.scores.recommend.score


@dataclass(frozen=True)
class PulseComparison:
    pulses: list[PulseScores]
    items: list[str]  # item codes asked by every pulse, in the instrument's order


def pulse_comparison(f: SummaryFilter) -> PulseComparison:
    """The pulses of `f`'s establishment (its period should run from go-live), oldest first."""
    campaigns = list(db.session.scalars(
        select(Campaign).where(Campaign.establishment_id == f.scope.establishment_id,
                               Campaign.pulse_day.is_not(None))
        .order_by(Campaign.pulse_day, Campaign.id)))
    by_campaign = {group.key: group for group in survey_scores(f, by="campaign")}
    codes: list[str] = []
    for campaign in campaigns:
        asked = [item["code"] for item in campaign.instrument.get("items", [])]
        codes = asked if not codes else [code for code in codes if code in asked]
    return PulseComparison([PulseScores(c, by_campaign.get(c.id)) for c in campaigns], codes)
