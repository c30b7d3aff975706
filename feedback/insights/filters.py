"""What a summary looks at: one or more establishments over whole Québec weeks, narrowed by phase,
role, sector and kind; the one place a filter becomes SQL, for rows and for anonymity cohorts."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select

from feedback.clock import local_day_start, utcnow
from feedback.extensions import db
from feedback.insights import anonymity
from feedback.insights.anonymity import Hidden, Protection
from feedback.insights.rollups import NO_SECTOR, monday
from feedback.labels import place_label
from feedback.models import (
    Cohort,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackRollup,
    ResponseRollup,
    WriterRole,
)

# Unsigned words of staff. Observations are signed by the super-user who logged them: they follow
# the normal access rules and never count towards (nor are hidden by) the anonymity threshold.
ANONYMOUS_KINDS = anonymity.ANONYMOUS_KINDS


DEFAULT_THRESHOLD = 5  # the deployment's, when none is given (config: ANONYMITY_THRESHOLD)


ROLE_GROUPS = ("physician", "other")


PHASES = (1, 2, 3)


@dataclass(frozen=True)
class Scope:
    """One establishment over whole Québec weeks: the Monday of the first to that of the last."""

    establishment_id: int
    first_week: date
    last_week: date

    @property
    def start(self) -> datetime:
        return local_day_start(self.first_week)

    @property
    def end(self) -> datetime:
        """The moment the period ends (exclusive): the Monday after the last week, 0:00."""
        return local_day_start(self.last_week + timedelta(days=7))

    @property
    def last_day(self) -> date:
        return self.last_week + timedelta(days=6)

    def weeks(self) -> list[date]:
        count = (self.last_week - self.first_week).days // 7 + 1
        return [self.first_week + timedelta(weeks=n) for n in range(max(count, 0))]


@dataclass(frozen=True)
class SummaryFilter:
    """What a summary looks at. Every query below applies it through filter_clauses()."""

    scopes: tuple[Scope, ...]
    threshold: int
    phase: int | None = None
    role: WriterRole | None = None
    sector_id: int | None = None
    kind: FeedbackKind | None = None
    # The last week whose live survey answers are cut into cohorts (later ones: not yet).
    cut_until: date = date.max

    @property
    def establishment_ids(self) -> list[int]:
        return [scope.establishment_id for scope in self.scopes]

    @property
    def scope(self) -> Scope:
        """The period of a single-establishment filter."""
        return self.scopes[0]


def anonymity_threshold(establishments: list[Establishment], default: int) -> int:
    """The threshold of an establishment (its own or the deployment's); pooled: the strictest."""
    from feedback.admin import effective_threshold

    return max((effective_threshold(e, default) for e in establishments), default=default)


def week_span(first_day: date, last_day: date) -> tuple[date, date]:
    """The Mondays of the whole weeks covering two days (inclusive), in order."""
    first, last = sorted((first_day, last_day))
    return monday(first), monday(last)


def summary_filter(establishment: Establishment, first_day: date, last_day: date, *,
                   threshold: int | None = None, now: datetime | None = None,
                   phase: int | None = None, role: WriterRole | None = None,
                   sector_id: int | None = None,
                   kind: FeedbackKind | None = None) -> SummaryFilter:
    """The filter of one establishment's summary, its period widened to whole weeks.

    `threshold`: the deployment's (the establishment's own wins); `now`: what is cut so far.
    """
    first_week, last_week = week_span(first_day, last_day)
    return SummaryFilter(
        scopes=(Scope(establishment.id, first_week, last_week),),
        threshold=anonymity_threshold([establishment], threshold or DEFAULT_THRESHOLD),
        phase=phase, role=role, sector_id=sector_id, kind=kind,
        cut_until=anonymity.cut_until(db.session.connection(), now or utcnow()),
    )


def data_weeks(establishment_ids: list[int]) -> tuple[date, date] | None:
    """The first and last week holding feedback or responses, or None when there is nothing."""
    bounds = []
    for rollup in (FeedbackRollup, ResponseRollup):
        bounds.append(db.session.execute(
            select(func.min(rollup.week), func.max(rollup.week))
            .where(rollup.establishment_id.in_(establishment_ids))
        ).one())
    firsts = [first for first, _ in bounds if first is not None]
    lasts = [last for _, last in bounds if last is not None]
    return (min(firsts), max(lasts)) if firsts else None


def last_full_week(establishment_id: int, threshold: int, cut_until: date) -> date | None:
    """The last week that is over and holds at least `threshold` feedback and responses together.

    A default period ends there: a pulse that drew two responses (or a campaign opened for next
    month) does not stretch it, nor does the week still under way.
    """
    weeks = sa.union_all(*(
        select(rollup.week.label("week"), rollup.n.label("n"))
        .where(rollup.establishment_id == establishment_id, rollup.week <= cut_until, whole)
        for rollup, whole in ((FeedbackRollup, FeedbackRollup.theme_id == 0),
                              (ResponseRollup, ResponseRollup.item == ""))
    )).subquery("weeks")
    return db.session.scalar(
        select(weeks.c.week).group_by(weeks.c.week).having(func.sum(weeks.c.n) >= threshold)
        .order_by(weeks.c.week.desc()).limit(1))


def filter_clauses(f: SummaryFilter, source: type) -> list[sa.ColumnElement[bool]]:
    """A summary filter on the rows' own dimensions: for either rollup or for raw feedback.

    Anonymous answers are selected through their cohorts instead (cohort_clauses); this is how
    observations are selected, and how the answers a selection withholds are counted.
    """
    raw = source is Feedback
    clauses: list[sa.ColumnElement[bool]] = [or_(*(
        and_(source.establishment_id == scope.establishment_id,
             *((source.created_at >= scope.start, source.created_at < scope.end) if raw
               else (source.week.between(scope.first_week, scope.last_week),)))
        for scope in f.scopes
    ))]
    if f.phase is not None:
        clauses.append(source.phase == f.phase)
    if f.role is not None:
        clauses.append(source.role == (f.role if raw else f.role.value))
    if f.sector_id is not None:
        clauses.append(func.coalesce(source.sector_id, NO_SECTOR) == f.sector_id)
    if f.kind is not None:
        if source is ResponseRollup:
            if f.kind is not FeedbackKind.SURVEY:
                clauses.append(sa.false())
        else:
            clauses.append(source.kind == (f.kind if raw else f.kind.value))
    return clauses


def cohort_clauses(f: SummaryFilter, unit: str) -> list[sa.ColumnElement[bool]]:
    """The cohorts a selection counts: in its period, large enough, and not split by a filter.

    A filter on a dimension the cohort does not share (None there) leaves it out whole.
    """
    clauses: list[sa.ColumnElement[bool]] = [
        Cohort.unit == unit,
        Cohort.n >= f.threshold,
        or_(*(and_(Cohort.establishment_id == scope.establishment_id,
                   Cohort.week.between(scope.first_week, scope.last_week))
              for scope in f.scopes)),
    ]
    if f.phase is not None:
        clauses.append(Cohort.phase == f.phase)
    if f.role is not None:
        clauses.append(Cohort.role == f.role.value)
    if f.sector_id is not None:
        clauses.append(Cohort.sector_id == f.sector_id)
    if f.kind is not None:
        clauses.append(Cohort.kind == f.kind.value if unit == anonymity.COMMENTS
                       else sa.literal(f.kind is FeedbackKind.SURVEY))
    return clauses


def protection_of(f: SummaryFilter, shown: int, raw: int, pending: int,
                observed: int = 0) -> Protection:
    """A group showing `shown` anonymous answers of the `raw` it holds (`pending` not yet cut)."""
    withheld = raw > shown
    if shown or observed or not raw:
        return Protection(f.threshold, None, withheld)
    return Protection(f.threshold, Hidden.PENDING if pending == raw else Hidden.SMALL, withheld)


def pending_rows(f: SummaryFilter, rollup) -> sa.ColumnElement[bool]:
    """Rows of anonymous answers whose week is not cut yet (imports into such a week join it)."""
    return and_(rollup.cohort_id == 0, rollup.week > f.cut_until)


def sector_labels(sector_ids: list[int], locale: str) -> dict[int, str]:
    """"Sector — site" for each sector id of a breakdown (0: no sector given)."""
    from feedback.models import Sector, Site

    rows = db.session.execute(
        select(Sector.id, Sector.name_fr, Sector.name_en, Site.name)
        .join(Site, Site.id == Sector.site_id).where(Sector.id.in_(sector_ids))
    )
    labels = {ident: place_label(name_en if locale == "en" else name_fr, site)
              for ident, name_fr, name_en, site in rows}
    return labels
