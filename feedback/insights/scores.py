"""Survey responses: the recommend score and each 1–5 item, overall or per group, by cohorts."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import and_, select

from feedback.extensions import db
from feedback.insights import anonymity
from feedback.insights.anonymity import Hidden, Protection
from feedback.insights.filters import (
    PHASES,
    ROLE_GROUPS,
    SummaryFilter,
    cohort_clauses,
    filter_clauses,
    pending_rows,
    protection_of,
)
from feedback.insights.grouping import grouped_sums, unindexed
from feedback.insights.rollups import WHOLE_RESPONSE
from feedback.models import (
    Campaign,
    Cohort,
    CohortItem,
    ResponseRollup,
    WriterRole,
)


@dataclass(frozen=True)
class ItemScore:
    """One 1–5 agreement item: its mean and the number of answers at each value."""

    item: str
    protection: Protection
    answers: int | None = None
    mean: float | None = None
    distribution: tuple[int, int, int, int, int] | None = None  # answers at 1, 2, 3, 4, 5

    @property
    def shares(self) -> tuple[float, ...] | None:
        if self.distribution is None or not self.answers:
            return None
        return tuple(count / self.answers for count in self.distribution)


@dataclass(frozen=True)
class RecommendScore:
    """The NPS-style score: % promoters (9–10) minus % detractors (0–6), from −100 to 100."""

    protection: Protection
    answers: int | None = None
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None

    @property
    def score(self) -> float | None:
        if not self.answers or self.promoters is None or self.detractors is None:
            return None
        return 100 * (self.promoters - self.detractors) / self.answers


@dataclass(frozen=True)
class SurveyScores:
    """Survey responses of a group: how many, the recommend score, each item."""

    key: object  # None (the whole selection), or a role group, a week, a campaign id...
    protection: Protection
    responses: int | None = None
    recommend: RecommendScore | None = None
    items: list[ItemScore] | None = None

    @property
    def suppressed(self) -> bool:
        return self.protection.suppressed


# The groupings read in one statement, and the type of each one's key.
_KEYS = {"week": sa.Date(), "phase": sa.Integer(), "sector": sa.Integer(),
         "role_group": sa.String(20), "campaign": sa.Integer()}


def _raw_keys() -> dict[str, sa.ColumnElement]:
    rollup = ResponseRollup
    return {"week": rollup.week, "phase": rollup.phase, "sector": rollup.sector_id,
            "role_group": sa.case((rollup.role == WriterRole.PHYSICIAN.value, "physician"),
                                  else_="other"),
            "campaign": rollup.campaign_id}


def survey_scores(f: SummaryFilter, by: str | None = None) -> list[SurveyScores]:
    """Responses, items and recommend score, overall or per role group, campaign, week, phase
    or sector (0: none given).

    One GROUP BY over the response rollup and its cohorts. Each measure sums only the cohorts
    where at least the threshold's number of responses gave it: the recommend score (which is
    optional) and each item have their own count, so no figure rests on fewer answers.
    """
    return survey_scores_by(f, [by])[by]


def survey_scores_by(f: SummaryFilter, bys: list[str | None]) -> dict[str | None,
                                                                      list[SurveyScores]]:
    """Several groupings of survey_scores() read in two statements: the rollup rows are joined
    to their cohorts once, whatever the number of groupings."""
    bys = list(dict.fromkeys(bys))
    rollup = ResponseRollup
    whole = rollup.item == WHOLE_RESPONSE
    scored = and_(whole, Cohort.scored >= f.threshold)
    answered = and_(~whole, CohortItem.n >= f.threshold)

    def when(condition, column, name: str):
        return sa.case((condition, column), else_=0).label(name)

    # Each rollup row of the cohorts the selection counts, with what it adds to its groups.
    rows = (
        select(
            rollup.item, rollup.week.label("week"), Cohort.phase.label("phase"),
            Cohort.sector_id.label("sector"), Cohort.role_group.label("role_group"),
            Cohort.campaign_id.label("campaign"),
            when(whole, rollup.n, "n"),
            when(scored, rollup.scored, "scored"),
            *(when(scored, getattr(rollup, name), name)
              for name in ("promoters", "passives", "detractors")),
            when(answered, rollup.n, "item_n"),
            when(answered, rollup.total, "total"),
            *(when(answered, getattr(rollup, f"v{value}"), f"v{value}") for value in range(1, 6)),
        )
        .join(Cohort, Cohort.id == unindexed(rollup.cohort_id))
        .outerjoin(CohortItem, and_(CohortItem.cohort_id == Cohort.id,
                                    CohortItem.item == rollup.item))
        .where(rollup.establishment_id.in_(f.establishment_ids),
               *cohort_clauses(f, anonymity.RESPONSES))
    )
    measures = ("n", "scored", "promoters", "passives", "detractors", "item_n", "total",
                *(f"v{value}" for value in range(1, 6)))
    dialect = db.session.connection().dialect.name
    positions = {name: 1 + index for index, name in enumerate(_KEYS)}
    wholes: dict = {by: {} for by in bys}
    items: dict = {by: {} for by in bys}
    for row in db.session.execute(grouped_sums(rows, _KEYS, bys, ["item"], measures, dialect)):
        by = row[0] or None
        group_key = row[positions[by]] if by else None
        if by and group_key is None:
            continue
        item, n, answers, promoters, passives, detractors, item_n, total, *values = \
            row[1 + len(_KEYS):]
        if item == WHOLE_RESPONSE:
            wholes[by][group_key] = (n or 0, answers or 0, promoters or 0, passives or 0,
                                     detractors or 0)
        elif item_n:
            items[by][(item, group_key)] = (item_n, total or 0, tuple(v or 0 for v in values))

    raw_keys = _raw_keys()
    raw_rows = (
        select(*(raw_keys[name].label(name) for name in _KEYS), rollup.n.label("n"),
               sa.case((pending_rows(f, rollup), rollup.n), else_=0).label("pending"))
        .where(*filter_clauses(f, rollup), whole)
    )
    raws: dict = {by: ({}, {}) for by in bys}
    for row in db.session.execute(grouped_sums(raw_rows, _KEYS, bys, [], ["n", "pending"],
                                               dialect)):
        by = row[0] or None
        group_key = row[positions[by]] if by else None
        raw, pending = raws[by]
        raw[group_key], pending[group_key] = row[-2] or 0, row[-1] or 0
    return {by: _scores(f, by, wholes[by], items[by], *raws[by]) for by in bys}


def _scores(f: SummaryFilter, by: str | None, wholes: dict, items: dict, raw: dict,
            pending: dict) -> list[SurveyScores]:
    """One grouping's scores from its aggregated rows, behind the anonymity guard."""
    if by is None:
        keys = [None]
    elif by == "role_group":
        keys = list(ROLE_GROUPS)
    elif by == "week":
        keys = f.scope.weeks()
    elif by == "phase":
        keys = list(PHASES) if f.phase is None else [f.phase]
    else:
        keys = sorted({k for k, figures in wholes.items() if figures[0]}
                      | {k for k, n in raw.items() if n})
    item_codes = sorted({code for code, _ in items})

    result = []
    for group_key in keys:
        n, answers, promoters, passives, detractors = wholes.get(group_key, (0, 0, 0, 0, 0))
        protection = protection_of(f, n, raw.get(group_key, 0), pending.get(group_key, 0))
        if protection.suppressed:
            result.append(SurveyScores(group_key, protection))
            continue
        recommend = (RecommendScore(Protection(f.threshold), answers, promoters, passives,
                                    detractors) if answers
                     else RecommendScore(Protection(f.threshold, Hidden.SMALL)))
        scores = []
        for code in item_codes:
            found = items.get((code, group_key))
            if found is None:
                continue
            item_n, total, distribution = found
            scores.append(ItemScore(code, Protection(f.threshold), item_n, total / item_n,
                                    distribution))
        result.append(SurveyScores(group_key, protection, n, recommend, scores))
    return result


@dataclass(frozen=True)
class CampaignResponses:
    campaign: Campaign
    protection: Protection
    responses: int | None = None


def campaign_responses(f: SummaryFilter,
                       groups: list[SurveyScores] | None = None) -> list[CampaignResponses]:
    """Responses per campaign within the selection, oldest campaign first (`groups`: its survey
    scores by campaign, when already read)."""
    if groups is None:
        groups = survey_scores(f, by="campaign")
    campaigns = {c.id: c for c in db.session.scalars(
        select(Campaign).where(Campaign.id.in_([g.key for g in groups])))}
    return sorted(
        (CampaignResponses(campaigns[g.key], g.protection, g.responses) for g in groups
         if g.key in campaigns),
        key=lambda row: (row.campaign.opens_on, row.campaign.id),
    )
