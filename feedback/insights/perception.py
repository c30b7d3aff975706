"""Perception next to operations: per week since go-live, on one time axis, what staff say
(sentiment of their survey comments, survey scores), what super-users observe (by theme), what
the command centre handled (issues opened, resolved, time to resolve), and what the EHR reports
of its own adoption.

Every survey figure comes from the summary's own figures (SummaryFigures, hence whole cohorts);
observations, issues and adoption indicators are not anonymous answers.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from feedback.clock import local_day_start
from feedback.insights.adoption import adoption_weeks
from feedback.insights.anonymity import Protection
from feedback.insights.figures import SummaryFigures
from feedback.insights.scores import SurveyScores
from feedback.issues.kpis import IssueKpis, issue_kpis
from feedback.models import AdoptionWeek, FeedbackKind, Theme


@dataclass(frozen=True)
class PerceptionWeek:
    """One week of an establishment, seen from the floor and from operations."""

    week: date
    comments: Protection  # staff's survey comments of the week
    comment_count: int | None  # None when hidden
    net_sentiment: float | None  # (positive − negative) / all, −1 to 1
    scores: SurveyScores
    observations: dict[int, int]  # observations per theme id
    observation_count: int
    issues: IssueKpis
    adoption: AdoptionWeek | None

    @property
    def recommend(self) -> float | None:
        if self.scores.suppressed or self.scores.recommend is None:
            return None
        if self.scores.recommend.protection.suppressed:
            return None
        return self.scores.recommend.score

    @property
    def agreement(self) -> float | None:
        """The mean of the week's 1–5 answers, all questions together."""
        if self.scores.suppressed or not self.scores.items:
            return None
        answers = sum(item.answers or 0 for item in self.scores.items)
        if not answers:
            return None
        return sum((item.mean or 0) * (item.answers or 0) for item in self.scores.items) / answers


@dataclass(frozen=True)
class Perception:
    weeks: list[PerceptionWeek]
    themes: list[Theme]  # observed themes, most observed first

    @property
    def has_adoption(self) -> bool:
        return any(w.adoption for w in self.weeks)


def perception_weeks(figures: SummaryFigures) -> Perception:
    """The selection's weeks with each source's figures (the other filters narrow the survey
    and observation figures, not the issues nor the EHR's indicators, which have no role nor
    sector)."""
    f = figures.filter
    scope = f.scope
    said = SummaryFigures(replace(f, kind=FeedbackKind.SURVEY), figures.establishment).weekly
    observed = SummaryFigures(replace(f, kind=FeedbackKind.OBSERVATION),
                              figures.establishment).weekly
    scores = {s.key: s for s in figures.survey("week")}
    adoption = adoption_weeks(scope.establishment_id, scope.first_week, scope.last_week)
    weeks = []
    for words, seen in zip(said.groups, observed.groups, strict=True):
        week = words.key
        sentiment = words.sentiment
        net = None
        if not words.suppressed and sentiment and sentiment.total:
            net = (sentiment.positive - sentiment.negative) / sentiment.total
        weeks.append(PerceptionWeek(
            week=week, comments=words.protection,
            comment_count=None if words.suppressed else words.total, net_sentiment=net,
            scores=scores[week],
            observations={theme.id: seen.theme(theme.id).count
                          for theme in observed.themes if seen.theme(theme.id)},
            observation_count=seen.total or 0,
            issues=issue_kpis([scope.establishment_id], local_day_start(week),
                              local_day_start(week + timedelta(days=7))),
            adoption=adoption.get(week),
        ))
    return Perception(weeks, observed.themes)

