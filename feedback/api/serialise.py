"""What the API returns: feedback, figures and learnings as JSON."""

from datetime import date, datetime

from sqlalchemy.orm import selectinload

from feedback import insights
from feedback.clock import QUEBEC
from feedback.insights import rollups
from feedback.issues import kpis as kpi
from feedback.models import (
    Feedback,
    FeedbackTheme,
    Learning,
)


def json_moment(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def feedback_json(feedback: Feedback, listed: bool = False) -> dict:
    """A feedback as the API shows it, named by its random reference (never its id).

    Survey and imported comments are anonymous: as in the managers' listing page and export,
    they show only what their anonymity cohort shares (role, sector, phase, the week) and never
    their time or day. Outside a listing (a single comment), none of these.
    """
    anonymous = feedback.kind in insights.ANONYMOUS_KINDS
    role = feedback.role.value
    rules = insights.ListingRules
    shows_role = not anonymous or (listed and rules.shows_role(feedback))
    shows_place = not anonymous or (listed and rules.shows_sector(feedback))
    shows_phase = not anonymous or (listed and rules.shows_phase(feedback))
    cohort = feedback.cohort if anonymous and listed else None
    observation = feedback.observation
    return {
        "ref": feedback.ref,
        "establishment": feedback.establishment.code,
        "kind": feedback.kind.value,
        "text": feedback.text,
        "language": feedback.language,
        "sentiment": feedback.sentiment.value,
        "polarity": feedback.polarity,
        "themes": [{"code": link.theme.code, "confidence": link.confidence,
                    "source": link.source.value} for link in feedback.themes],
        "site": ({"id": feedback.site.id, "name": feedback.site.name}
                 if feedback.site and shows_place else None),
        "sector": ({"id": feedback.sector.id, "code": feedback.sector.code,
                    "name_fr": feedback.sector.name_fr, "name_en": feedback.sector.name_en}
                   if feedback.sector and shows_place else None),
        "role": role if shows_role else None,
        "phase": feedback.phase if shows_phase else None,
        "created_at": None if anonymous else json_moment(feedback.created_at),
        "created_on": (None if anonymous
                       else feedback.created_at.astimezone(QUEBEC).date().isoformat()),
        "week_of": (cohort.week.isoformat() if cohort is not None else None) if anonymous
        else rollups.monday(feedback.created_at.astimezone(QUEBEC).date()).isoformat(),
        "issue_id": feedback.issue_id,
        "observation": {
            "priority": observation.priority.value if observation.priority else None,
            "affected_role": role,  # the observation's role: who was affected
            "client_uuid": observation.client_uuid,
        } if observation else None,
    }


FEEDBACK_LOADING = (
    selectinload(Feedback.establishment), selectinload(Feedback.site),
    selectinload(Feedback.sector), selectinload(Feedback.observation),
    selectinload(Feedback.themes).selectinload(FeedbackTheme.theme),
    selectinload(Feedback.cohort),
)


def kpis_json(kpis: kpi.IssueKpis) -> dict:
    return {
        "start": json_moment(kpis.start), "end": json_moment(kpis.end),
        "received": kpis.received, "resolved": kpis.resolved, "duplicates": kpis.duplicates,
        "priority_received": kpis.priority_received,
        "priority_resolved": kpis.priority_resolved,
        "priority_resolved_within_24h": kpis.priority_resolved_within_24h,
        "priority_waiting": kpis.priority_waiting,
        "median_hours_to_resolution": kpis.median_hours_to_resolution,
        "resolved_share": kpis.resolved_share,
        "priority_resolved_share": kpis.priority_resolved_share,
        "priority_within_24h_share": kpis.priority_within_24h_share,
        "backlog": kpis.backlog,
        "backlog_by_theme": [{"theme": row.theme.code, "open": row.open,
                              "priority": row.priority} for row in kpis.backlog_by_theme],
        "backlog_without_theme": kpis.backlog_without_theme,
    }


def learning_json(learning: Learning) -> dict:
    return {
        "id": learning.id, "title": learning.title, "learned": learning.learned,
        "action": learning.action, "action_owner": learning.action_owner,
        "action_on": learning.action_on.isoformat() if learning.action_on else None,
        "phase": learning.phase, "published_at": json_moment(learning.published_at),
        "themes": sorted(theme.code for theme in learning.themes),
    }


def protection_json(protection: insights.Protection) -> dict:
    return {"suppressed": protection.suppressed,
            "reason": protection.hidden.value if protection.hidden else None,
            "withheld": protection.withheld}


def group_key_json(key: object) -> object:
    return key.isoformat() if isinstance(key, date) else key


def sentiment_json(sentiment: insights.Sentiment | None) -> dict | None:
    if sentiment is None:
        return None
    return {"negative": sentiment.negative, "neutral": sentiment.neutral,
            "positive": sentiment.positive, "mean_polarity": sentiment.mean_polarity}


def breakdown_json(breakdown: insights.ThemeBreakdown) -> dict:
    return {
        "by": breakdown.by,
        **protection_json(breakdown.selection),
        "groups": [{
            "key": group_key_json(group.key),
            **protection_json(group.protection),
            "total": group.total,
            "responses": group.responses,
            "by_kind": ({kind.value: count for kind, count in group.by_kind.items()}
                        if group.by_kind is not None else None),
            "themes": [{
                "code": figure.theme.code, "count": figure.count, "share": figure.share,
                "responses": figure.responses, "sentiment": sentiment_json(figure.sentiment),
                "sentiment_suppressed": figure.sentiment_protection.suppressed,
            } for figure in (group.themes or {}).values()],
        } for group in breakdown.groups],
    }


def scores_json(scores: insights.SurveyScores) -> dict:
    recommend = scores.recommend
    return {
        "key": group_key_json(scores.key),
        **protection_json(scores.protection),
        "responses": scores.responses,
        "recommend": {
            **protection_json(recommend.protection),
            "answers": recommend.answers, "promoters": recommend.promoters,
            "passives": recommend.passives, "detractors": recommend.detractors,
            "score": recommend.score,
        } if recommend is not None else None,
        "items": [{
            "item": item.item, **protection_json(item.protection), "answers": item.answers,
            "mean": item.mean,
            "distribution": list(item.distribution) if item.distribution else None,
        } for item in scores.items or []],
    }
