"""The one set of figures of a summary: the page, the one-month update, the comparison, the exports
and the API all read it, so none of them can tell a different story.

Each figure is an aggregate computed in SQL the first time something reads it, then kept for the
request: the report reads what the report shows, the API only the breakdown it was asked for.
"""

from functools import cached_property

from feedback.insights.drivers import DriverAnalysis, driver_analysis, drivers_by_phase
from feedback.insights.filters import SummaryFilter
from feedback.insights.listing import ThemeComments, representative_comments
from feedback.insights.scores import (
    CampaignResponses,
    SurveyScores,
    campaign_responses,
    survey_scores_by,
)
from feedback.insights.themes import (
    ThemeBreakdown,
    ThemeTrend,
    theme_breakdowns,
    week_over_week,
)
from feedback.issues.kpis import IssueKpis, issue_kpis, pooled_issue_kpis
from feedback.models import Establishment

# The groupings a summary can be broken down by; None is the whole selection.
BREAKDOWNS = (None, "week", "phase", "sector", "role_group")
# The groupings of survey scores a summary or a report shows.
SURVEY_GROUPS = (None, "phase", "role_group", "campaign")


class SummaryFigures:
    """What a summary filter's selection says: volumes, themes and their sentiment, survey scores,
    campaign responses and issue indicators, every one behind the anonymity guard.

    `establishment` is None for a pool of establishments (the comparison's network column).
    """

    def __init__(self, f: SummaryFilter, establishment: Establishment | None = None) -> None:
        self.filter = f
        self.establishment = establishment
        self._breakdowns: dict[str | None, ThemeBreakdown] = {}
        self._scores: dict[str | None, list[SurveyScores]] = {}

    @property
    def pooled(self) -> int:
        """How many establishments the figures cover."""
        return len(self.filter.scopes)

    def prefetch(self) -> "SummaryFigures":
        """Read every breakdown and the survey scores a summary shows, each kind in one
        statement (pages and reports show them all; the API reads only what it is asked)."""
        self._read_breakdowns(BREAKDOWNS)
        self._read_surveys(SURVEY_GROUPS)
        return self

    def breakdown(self, by: str | None = None) -> ThemeBreakdown:
        """Theme shares and sentiment, for the whole selection or by one of BREAKDOWNS."""
        if by not in BREAKDOWNS:
            raise ValueError(f"no breakdown by {by!r}")
        self._read_breakdowns((by,))
        return self._breakdowns[by]

    def survey(self, by: str | None = None) -> list[SurveyScores]:
        """Survey scores, one entry for the whole selection or one per group."""
        self._read_surveys((by,))
        return self._scores[by]

    def _read_breakdowns(self, bys) -> None:
        if missing := [by for by in bys if by not in self._breakdowns]:
            self._breakdowns.update(theme_breakdowns(self.filter, missing))

    def _read_surveys(self, bys) -> None:
        if missing := [by for by in bys if by not in self._scores]:
            self._scores.update(survey_scores_by(self.filter, missing))

    @property
    def overall(self) -> ThemeBreakdown:
        return self.breakdown()

    @property
    def weekly(self) -> ThemeBreakdown:
        return self.breakdown("week")

    @property
    def by_phase(self) -> ThemeBreakdown:
        return self.breakdown("phase")

    @property
    def by_sector(self) -> ThemeBreakdown:
        return self.breakdown("sector")

    @property
    def by_role(self) -> ThemeBreakdown:
        """Physicians beside the other staff."""
        return self.breakdown("role_group")

    @cached_property
    def trends(self) -> list[ThemeTrend]:
        return week_over_week(self.weekly)

    @property
    def scores(self) -> SurveyScores:
        return self.survey()[0]

    @property
    def scores_by_phase(self) -> list[SurveyScores]:
        return self.survey("phase")

    @property
    def scores_by_role(self) -> list[SurveyScores]:
        return self.survey("role_group")

    @cached_property
    def campaigns(self) -> list[CampaignResponses]:
        return campaign_responses(self.filter, self.survey("campaign"))

    @cached_property
    def kpis(self) -> IssueKpis:
        """The command centre's indicators over the selection's period (the other filters do
        not apply to issues); a pool adds up each establishment's own period."""
        scopes = self.filter.scopes
        if len(scopes) == 1:
            return issue_kpis([scopes[0].establishment_id], scopes[0].start, scopes[0].end)
        return pooled_issue_kpis([issue_kpis([scope.establishment_id], scope.start, scope.end)
                                  for scope in scopes])

    @cached_property
    def comments(self) -> list[ThemeComments]:
        """A few representative comments per theme, where anonymity allows them."""
        return representative_comments(self.filter, self.overall)

    @cached_property
    def drivers(self) -> DriverAnalysis:
        """What moves the recommend score in the selection (survey items' relative weights)."""
        return driver_analysis(self.filter)

    @cached_property
    def drivers_by_phase(self) -> list[DriverAnalysis]:
        return drivers_by_phase(self.filter)
