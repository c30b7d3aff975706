"""The one set of figures of a summary: the page, the report, the exports and the API read it."""

from feedback import insights
from feedback.issues import kpis as kpi
from feedback.models import (
    Establishment,
)


def summary_figures(f: insights.SummaryFilter, establishment: Establishment) -> dict:
    overall = insights.theme_breakdown(f)
    weekly = insights.theme_breakdown(f, "week")
    return {
        "overall": overall,
        "weekly": weekly,
        "trends": insights.week_over_week(weekly),
        "by_phase": insights.theme_breakdown(f, "phase"),
        "by_sector": insights.theme_breakdown(f, "sector"),
        "by_role": insights.theme_breakdown(f, "role_group"),
        "scores": insights.survey_scores(f)[0],
        "scores_by_role": insights.survey_scores(f, "role_group"),
        "campaigns": insights.campaign_responses(f),
        "kpis": kpi.issue_kpis([establishment.id], f.scope.start, f.scope.end),
        "comments": insights.representative_comments(f, overall),
    }
