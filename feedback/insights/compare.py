"""Establishments side by side: the same figures for each, and the rest of the network pooled."""

from dataclasses import dataclass

from feedback.insights.filters import SummaryFilter
from feedback.insights.scores import SurveyScores, survey_scores
from feedback.insights.themes import ThemeBreakdown, theme_breakdown
from feedback.issues.kpis import IssueKpis, issue_kpis, pooled_issue_kpis
from feedback.models import (
    Establishment,
)

# An establishment's managers see the rest of the network only pooled, and only when the pool
# holds at least this many other establishments: fewer would give one of them away.
NETWORK_POOL_MINIMUM = 3


@dataclass(frozen=True)
class EstablishmentFigures:
    """The comparison's column: one establishment, or several pooled (establishment None)."""

    establishment: Establishment | None
    pooled: int  # how many establishments the figures cover
    filter: SummaryFilter
    themes: ThemeBreakdown
    scores: SurveyScores
    kpis: IssueKpis


def establishment_figures(f: SummaryFilter,
                          establishment: Establishment | None = None) -> EstablishmentFigures:
    """Volumes, theme shares and sentiment, survey scores and issue KPIs of a filter's scopes."""
    return EstablishmentFigures(
        establishment=establishment,
        pooled=len(f.scopes),
        filter=f,
        themes=theme_breakdown(f),
        scores=survey_scores(f)[0],
        kpis=pooled_issue_kpis([issue_kpis([scope.establishment_id], scope.start, scope.end)
                                for scope in f.scopes]),
    )
