"""Insights: what managers read. Filters, the anonymity guard, the figures (themes, survey scores,
listings, overview, comparison), charts, exports and the one-month update.

The public functions are gathered here; each lives in the module of its idea.
"""

from feedback.insights.anonymity import Hidden, Protection
from feedback.insights.compare import NETWORK_POOL_MINIMUM, establishment_figures
from feedback.insights.figures import BREAKDOWNS, SummaryFigures
from feedback.insights.filters import (
    ANONYMOUS_KINDS,
    DEFAULT_THRESHOLD,
    PHASES,
    ROLE_GROUPS,
    Scope,
    SummaryFilter,
    anonymity_threshold,
    cohort_clauses,
    data_weeks,
    filter_clauses,
    sector_labels,
    summary_filter,
    week_span,
)
from feedback.insights.listing import (
    LISTING_ORDER,
    ListingRules,
    ThemeComments,
    listing,
    listing_rules,
    representative_comments,
)
from feedback.insights.overview import (
    EstablishmentVolume,
    Overview,
    ThemeCount,
    network_volumes,
    overview,
    sector_feedback_counts,
)
from feedback.insights.scores import (
    CampaignResponses,
    ItemScore,
    RecommendScore,
    SurveyScores,
    campaign_responses,
    survey_scores,
)
from feedback.insights.themes import (
    EMERGING_MIN_COUNT,
    EMERGING_MIN_RISE,
    Group,
    Sentiment,
    ThemeBreakdown,
    ThemeFigure,
    ThemeTrend,
    theme_breakdown,
    week_over_week,
)

__all__ = [
    "ANONYMOUS_KINDS",
    "BREAKDOWNS",
    "CampaignResponses",
    "DEFAULT_THRESHOLD",
    "EMERGING_MIN_COUNT",
    "EMERGING_MIN_RISE",
    "EstablishmentVolume",
    "Group",
    "Hidden",
    "ItemScore",
    "LISTING_ORDER",
    "ListingRules",
    "NETWORK_POOL_MINIMUM",
    "Overview",
    "PHASES",
    "Protection",
    "ROLE_GROUPS",
    "RecommendScore",
    "Scope",
    "Sentiment",
    "SummaryFigures",
    "SummaryFilter",
    "SurveyScores",
    "ThemeBreakdown",
    "ThemeComments",
    "ThemeCount",
    "ThemeFigure",
    "ThemeTrend",
    "anonymity_threshold",
    "campaign_responses",
    "cohort_clauses",
    "data_weeks",
    "establishment_figures",
    "filter_clauses",
    "listing",
    "listing_rules",
    "network_volumes",
    "overview",
    "representative_comments",
    "sector_feedback_counts",
    "sector_labels",
    "summary_filter",
    "survey_scores",
    "theme_breakdown",
    "week_over_week",
    "week_span",
]
