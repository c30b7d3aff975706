"""Participation: how many of the staff a campaign reached answered it, per campaign and sector.

A campaign's total is a count of people who answered, which says nothing of what they answered
(see anonymity.py). Per sector it is a segment: there the count is a sum of whole response
cohorts that the campaign and the sector both keep, so a sector's figure never rests on 1..k−1
responses; a sector whose responses were pooled with others' shows "fewer than k".
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from feedback.extensions import db
from feedback.insights import anonymity
from feedback.insights.anonymity import Hidden
from feedback.models import Campaign, Cohort, Sector, Site, SurveyResponse


class Flag:
    """Why a campaign's figures cannot be read."""

    NONE = "none"  # nobody answered
    TOO_FEW = "too_few"  # fewer answers than the anonymity threshold: no figure can show


@dataclass(frozen=True)
class SectorParticipation:
    sector: Sector
    headcount: int | None
    responses: int | None = None  # None: hidden (see `hidden`)
    hidden: Hidden | None = None

    @property
    def rate(self) -> float | None:
        if self.responses is None or not self.headcount:
            return None
        return self.responses / self.headcount


@dataclass(frozen=True)
class CampaignParticipation:
    campaign: Campaign
    threshold: int
    responses: int
    headcount: int | None  # staff of the sectors it reached; None unless all are known
    missing_headcounts: int  # reached sectors without a headcount
    sectors: tuple[SectorParticipation, ...] = ()

    @property
    def rate(self) -> float | None:
        return self.responses / self.headcount if self.headcount else None

    @property
    def flag(self) -> str | None:
        if self.responses == 0:
            return Flag.NONE
        if self.responses < self.threshold:
            return Flag.TOO_FEW
        return None


def reached_sectors(campaign: Campaign) -> list[Sector]:
    """The sectors a campaign was sent to: its own, or every active sector of its establishment."""
    if campaign.sectors:
        return sorted(campaign.sectors, key=lambda s: (s.site.name, s.name_fr))
    return list(db.session.scalars(
        select(Sector).join(Site, Site.id == Sector.site_id)
        .where(Site.establishment_id == campaign.establishment_id, Site.active, Sector.active)
        .order_by(Site.name, Sector.name_fr)))


def response_totals(campaign_ids: list[int]) -> dict[int, int]:
    """People who answered each campaign (participation, not answers)."""
    if not campaign_ids:
        return {}
    return dict(db.session.execute(
        select(SurveyResponse.campaign_id, func.count())
        .where(SurveyResponse.campaign_id.in_(campaign_ids))
        .group_by(SurveyResponse.campaign_id)).all())


def campaign_participation(campaigns: list[Campaign], thresholds: dict[int, int]
                           ) -> list[CampaignParticipation]:
    """Totals, headcounts and rates of several campaigns (a list page: no sector detail)."""
    totals = response_totals([c.id for c in campaigns])
    result = []
    for campaign in campaigns:
        sectors = reached_sectors(campaign)
        known = [s.headcount for s in sectors if s.headcount]
        missing = len(sectors) - len(known)
        result.append(CampaignParticipation(
            campaign, thresholds[campaign.establishment_id], totals.get(campaign.id, 0),
            sum(known) if sectors and not missing else None, missing))
    return result


def participation_by_sector(campaign: Campaign, threshold: int,
                            cut_until: date) -> CampaignParticipation:
    """One campaign's participation with each reached sector's responses, by whole cohorts.

    `cut_until`: the last week cut into cohorts; a sector's later responses count once theirs is.
    """
    sectors = reached_sectors(campaign)
    counted = dict(db.session.execute(
        select(Cohort.sector_id, func.sum(Cohort.n))
        .where(Cohort.unit == anonymity.RESPONSES, Cohort.campaign_id == campaign.id,
               Cohort.sector_id.is_not(None), Cohort.n >= threshold)
        .group_by(Cohort.sector_id)).all())
    pending_from = cut_until + timedelta(days=7)
    raw = {sector_id: (n, waiting) for sector_id, n, waiting in db.session.execute(
        select(SurveyResponse.sector_id, func.count(),
               func.count().filter(and_(SurveyResponse.cohort_id.is_(None),
                                        SurveyResponse.submitted_on >= pending_from)))
        .where(SurveyResponse.campaign_id == campaign.id)
        .group_by(SurveyResponse.sector_id))}
    rows = []
    for sector in sectors:
        shown = counted.get(sector.id, 0)
        n, waiting = raw.get(sector.id, (0, 0))
        if shown:
            rows.append(SectorParticipation(sector, sector.headcount, shown))
        else:
            # Under k, including none: a 0 beside a "fewer than k" would tell them apart.
            rows.append(SectorParticipation(
                sector, sector.headcount, None,
                Hidden.PENDING if n and waiting == n else Hidden.SMALL))
    total = sum(n for n, _ in raw.values())
    known = [s.headcount for s in sectors if s.headcount]
    missing = len(sectors) - len(known)
    return CampaignParticipation(campaign, threshold, total,
                                 sum(known) if sectors and not missing else None, missing,
                                 tuple(rows))
