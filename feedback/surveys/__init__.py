"""Survey campaigns and their anonymous responses. The caller commits."""

import copy
import enum
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import and_, func, or_, select

from feedback import audit
from feedback.clock import local_week_start
from feedback.extensions import db
from feedback.models import (
    Campaign,
    Establishment,
    FeedbackKind,
    FollowUpContact,
    Sector,
    SurveyAnswer,
    SurveyResponse,
    User,
    WriterRole,
)
from feedback.tagging import record_feedback

COMMENT_MAX_LENGTH = 1000
CONTACT_MAX_LENGTH = 200
# A form left open on a phone between two patients must still post at the end of the shift.
TOKEN_MAX_AGE = 24 * 3600
# Roles a respondent may pick (super-users write observations, not survey answers).
RESPONDENT_ROLES = (
    WriterRole.PHYSICIAN,
    WriterRole.NURSE,
    WriterRole.PROFESSIONAL,
    WriterRole.CLERK,
    WriterRole.MANAGER,
    WriterRole.OTHER,
)


@cache
def _default_instrument() -> dict:
    path = files("feedback.surveys").joinpath("data/default_instrument.json")
    return json.loads(path.read_text(encoding="utf-8"))


def default_instrument() -> dict:
    """A fresh copy of the default questions, for a campaign to store and edit."""
    return copy.deepcopy(_default_instrument())


class CampaignState(enum.StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    ENDED = "ended"
    CLOSED = "closed"


def campaign_state(campaign: Campaign, today: date) -> CampaignState:
    if campaign.closed:
        return CampaignState.CLOSED
    if today < campaign.opens_on:
        return CampaignState.SCHEDULED
    if today > campaign.closes_on:
        return CampaignState.ENDED
    return CampaignState.OPEN


# The campaign list's tabs: ended and closed campaigns are shown together, as finished.
LIST_GROUPS = ("open", "scheduled", "finished")


def list_group_clause(group: str, today: date) -> sa.ColumnElement[bool]:
    """The campaigns of one tab of the list, as SQL (see campaign_state)."""
    if group == "open":
        return and_(Campaign.closed.is_(False), Campaign.opens_on <= today,
                    Campaign.closes_on >= today)
    if group == "scheduled":
        return and_(Campaign.closed.is_(False), Campaign.opens_on > today)
    if group == "finished":
        return or_(Campaign.closed.is_(True), Campaign.closes_on < today)
    raise ValueError(f"no campaign group {group!r}")


def create_campaign(
    *,
    establishment: Establishment,
    title_fr: str,
    title_en: str,
    opens_on: date,
    closes_on: date,
    intro_fr: str = "",
    intro_en: str = "",
    sectors: Iterable[Sector] = (),
    instrument: dict | None = None,
    created_by: User | None = None,
    pulse_day: int | None = None,
    audit_as: str = "campaign.created",
) -> Campaign:
    """Add a campaign and audit it (a duplicate says so); the caller commits."""
    campaign = Campaign(
        pulse_day=pulse_day,
        establishment=establishment,
        slug=secrets.token_urlsafe(9),
        title_fr=title_fr.strip(),
        title_en=title_en.strip(),
        intro_fr=intro_fr.strip(),
        intro_en=intro_en.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        sectors=list(sectors),
        instrument=instrument or default_instrument(),
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(campaign)
    db.session.flush()
    if audit_as:
        audit.record(audit_as, actor=created_by, establishment_id=establishment.id,
                     target=campaign, opens_on=opens_on.isoformat(),
                     closes_on=closes_on.isoformat(), sectors=len(campaign.sectors))
    return campaign


def duplicate_campaign(campaign: Campaign, *, created_by: User | None, today: date) -> Campaign:
    """The next pulse: same questions and sectors, a period of the same length right after."""
    length = campaign.closes_on - campaign.opens_on
    opens_on = max(campaign.closes_on + timedelta(days=1), today)
    copy_ = create_campaign(
        audit_as="",
        establishment=campaign.establishment,
        title_fr=campaign.title_fr,
        title_en=campaign.title_en,
        intro_fr=campaign.intro_fr,
        intro_en=campaign.intro_en,
        opens_on=opens_on,
        closes_on=opens_on + length,
        sectors=campaign.sectors,
        instrument=copy.deepcopy(campaign.instrument),
        created_by=created_by,
    )
    audit.record("campaign.duplicated", actor=created_by, establishment_id=copy_.establishment_id,
                 target=copy_, copy_of=campaign.id, opens_on=copy_.opens_on.isoformat(),
                 closes_on=copy_.closes_on.isoformat())
    return copy_


# Campaign attributes an edit may change; texts are listed by name, the rest before → after.
_CAMPAIGN_TEXTS = ("title_fr", "title_en", "intro_fr", "intro_en")


def update_campaign(campaign: Campaign, *, actor: User | None, establishment: Establishment,
                    sectors: Iterable[Sector], **values: object) -> dict:
    """Change what a campaign says, its dates, place and sectors; audit before → after."""
    details: dict = {}
    texts = []
    for name, value in values.items():
        before = getattr(campaign, name)
        if isinstance(value, str):
            value = value.strip()
        if before == value:
            continue
        setattr(campaign, name, value)
        if name in _CAMPAIGN_TEXTS:
            texts.append(name)
        else:
            details[f"{name}_before"] = before.isoformat() if isinstance(before, date) else before
            details[f"{name}_after"] = value.isoformat() if isinstance(value, date) else value
    if establishment.id != campaign.establishment_id:
        details["establishment_before"] = campaign.establishment_id
        details["establishment_after"] = establishment.id
        campaign.establishment = establishment
    sectors = list(sectors)
    if {s.id for s in sectors} != {s.id for s in campaign.sectors}:
        details["sectors_before"] = len(campaign.sectors)
        details["sectors_after"] = len(sectors)
        campaign.sectors = sectors
    if texts:
        details["fields"] = ",".join(texts)
    if details:
        db.session.flush()
        audit.record("campaign.updated", actor=actor, establishment_id=campaign.establishment_id,
                     target=campaign, **details)
    return details


def set_campaign_closed(campaign: Campaign, closed: bool, *, actor: User | None) -> None:
    if campaign.closed == closed:
        return
    campaign.closed = closed
    audit.record("campaign.closed" if closed else "campaign.reopened", actor=actor,
                 establishment_id=campaign.establishment_id, target=campaign)


def reword_campaign(campaign: Campaign, wording: Mapping, *, actor: User | None) -> None:
    """New wording for the questions; the audit names what changed, never the words."""
    before = campaign.instrument
    after = reworded(before, wording)
    if after == before:
        return
    changed = [item["code"] if "code" in item else str(n + 1)
               for n, (item, old) in enumerate(zip(after["items"], before["items"], strict=True))
               if item != old]
    fields = (["items"] if changed else []) + [
        key for key in ("recommend", "comment") if after[key] != before[key]]
    campaign.instrument = after
    audit.record("campaign.questions", actor=actor, establishment_id=campaign.establishment_id,
                 target=campaign, fields=",".join(fields), count=len(changed))


def reworded(instrument: dict, wording: Mapping) -> dict:
    """The instrument with new wording; item codes and their themes stay as they were."""
    updated = copy.deepcopy(instrument)
    for item, text in zip(updated["items"], wording["items"], strict=True):
        item["fr"], item["en"] = text["fr"], text["en"]
    for key in ("recommend", "comment"):
        updated[key] = {"fr": wording[key]["fr"], "en": wording[key]["en"]}
    return updated


def open_campaign_of(establishment: Establishment, today: date) -> Campaign | None:
    """The campaign an establishment's permanent survey link leads to today."""
    return db.session.scalar(
        select(Campaign)
        .where(
            Campaign.establishment_id == establishment.id,
            Campaign.closed.is_(False),
            Campaign.opens_on <= today,
            Campaign.closes_on >= today,
        )
        .order_by(Campaign.opens_on.desc(), Campaign.id.desc())
        .limit(1)
    )


def offered_sectors(campaign: Campaign) -> list[Sector]:
    """The sectors a respondent can choose: the campaign's own, or all active ones."""
    if campaign.sectors:
        return sorted(campaign.sectors, key=lambda s: (s.site.name, s.name_fr))
    return [
        sector
        for site in campaign.establishment.sites
        if site.active
        for sector in site.sectors
        if sector.active
    ]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="survey-submission")


def new_submission_token(campaign: Campaign, secret_key: str) -> str:
    """A signed one-time token for one filling of the form: a double submit records one response."""
    return _serializer(secret_key).dumps([campaign.id, secrets.token_urlsafe(16)])


def read_submission_token(token: str, campaign: Campaign, secret_key: str) -> str | None:
    """The token's nonce if it was issued by us for this campaign and is recent, else None."""
    try:
        campaign_id, nonce = _serializer(secret_key).loads(token, max_age=TOKEN_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    return nonce if campaign_id == campaign.id and isinstance(nonce, str) else None


def response_for_token(nonce: str) -> SurveyResponse | None:
    return db.session.scalar(select(SurveyResponse).where(SurveyResponse.submission_token == nonce))


def record_survey_response(
    campaign: Campaign,
    *,
    nonce: str,
    role: WriterRole,
    sector: Sector,
    phase: int,
    answers: Mapping[str, int],
    recommend: int | None,
    comment: str,
    today: date,
    contact: str = "",
) -> SurveyResponse:
    """Store one anonymous response; the same token again returns the first one, unchanged.

    Nothing that identifies the respondent is kept: no account, no address, only the day of the
    answers and only the week of the comment.
    A contact for a follow-up, when given, is stored apart, with no link to the answers.
    """
    if (existing := response_for_token(nonce)) is not None:
        return existing
    themes = {item["code"]: item["theme"] for item in campaign.instrument["items"]}
    # The comment first: its analysis runs before anything is written, so on SQLite the write
    # lock is held only for the INSERTs themselves, not for the analysis.
    comment_feedback = record_feedback(
        establishment=campaign.establishment,
        text=comment,
        kind=FeedbackKind.SURVEY,
        role=role,
        phase=phase,
        sector=sector,
        created_at=local_week_start(today),
        campaign=campaign,
    ) if comment.strip() else None
    response = SurveyResponse(
        campaign=campaign,
        establishment_id=campaign.establishment_id,
        sector_id=sector.id,
        role=role,
        phase=phase,
        submitted_on=today,
        recommend=recommend,
        submission_token=nonce,
        comment=comment_feedback,
        answers=[
            SurveyAnswer(item=code, theme_code=themes[code], value=value)
            for code, value in answers.items()
        ],
    )
    db.session.add(response)
    if contact.strip():
        db.session.add(FollowUpContact(
            establishment_id=campaign.establishment_id,
            campaign_id=campaign.id,
            contact=contact.strip(),
            created_on=today,
        ))
    db.session.flush()
    return response


@dataclass(frozen=True)
class CampaignActivity:
    total: int
    per_day: list[tuple[date, int]]  # days with at least one response, oldest first


def campaign_activity(campaign_ids: list[int]) -> dict[int, CampaignActivity]:
    """Responses per campaign and per day, for the managers' campaign list."""
    rows = db.session.execute(
        select(SurveyResponse.campaign_id, SurveyResponse.submitted_on, func.count())
        .where(SurveyResponse.campaign_id.in_(campaign_ids))
        .group_by(SurveyResponse.campaign_id, SurveyResponse.submitted_on)
        .order_by(SurveyResponse.campaign_id, SurveyResponse.submitted_on)
    )
    per_day: dict[int, list[tuple[date, int]]] = {}
    for campaign_id, day, count in rows:
        per_day.setdefault(campaign_id, []).append((day, count))
    return {
        campaign_id: CampaignActivity(sum(n for _, n in days), days)
        for campaign_id, days in per_day.items()
    }
