"""The anonymity guard: every survey figure is a sum of fixed cohorts of at least k answers.

Why cohorts. Comparing two selections that differ by a few people (two periods one week apart,
a role with and without a sector) gives away those few people's answers, whatever each figure
hides on its own. No rule applied to one request at a time can stop it, because the attacker
chooses the pair. So Écho never sums anonymous answers freely: it first cuts them, once, into
*cohorts* that each hold at least k of them (k: the establishment's anonymity threshold), and
every figure about survey answers anywhere (pages, charts, comparison, report, exports, API) is a
sum of whole cohorts. Whatever set of requests someone makes, what they can compute is a
combination of whole cohorts: no difference between two figures rests on fewer than k answers.

How cohorts are cut. Two kinds of anonymous answers are cut separately: survey responses (their
scores) and anonymous comments (survey and imported texts). Within one establishment, one Québec
week and one source (live answers, or one import), answers are first grouped by everything a
filter can narrow on (phase, role, sector, and campaign for responses). A group of at least k
becomes a cohort. The answers of smaller groups are pooled with their neighbours by giving up the
finest dimension first: any sector, then any role of the same group (physicians, other staff),
then any role, then any phase, then any campaign. What is still under k at the end is withheld:
it appears in no figure. A cohort counts in a selection only when the selection cannot split it:
a cohort of "clerks, any sector" counts for "clerks" but not for "clerks of sector 5".

Why they never change. A cohort is cut once, when its week is over (live answers; with an hour's
grace for submissions in flight) or when its import is done, and its members never change after
that: a later answer, import or threshold change cannot move an answer from one cohort to
another, so figures taken before and after reveal nothing either. Until its week is cut, a live
answer counts nowhere. Retention destroys whole weeks of anonymous answers, hence whole cohorts.
A cohort that a threshold raised later leaves under the new k stops counting, whole.

What it does not cover: counts of how many people answered a campaign on a given day
(participation, which says nothing of what they answered), observations (signed by super-users,
never anonymous), and what a comment's own text may say about its writer.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Connection, and_, func, select

from feedback.clock import local_day_start
from feedback.models import (
    Cohort,
    CohortItem,
    CohortPublication,
    Feedback,
    FeedbackKind,
    SurveyAnswer,
    SurveyResponse,
    WriterRole,
)

COMMENTS = "comment"
RESPONSES = "response"
LIVE = 0  # the batch of answers that came through the survey itself (not an import)
NO_SECTOR = 0
ANONYMOUS_KINDS = (FeedbackKind.SURVEY, FeedbackKind.IMPORT)
# A week's live answers are cut this long after it ends: a submission started on Sunday at
# 23:59 is stored by then.
GRACE = timedelta(hours=1)
_CHUNK = 500  # ids per UPDATE when answers are marked with their cohort

# The dimensions of an answer, finest first: (phase, role, sector, campaign).
PHASE, ROLE, SECTOR, CAMPAIGN = range(4)
# Each level keeps these dimensions ("group" is the role's group: physicians or other staff).
LEVELS: tuple[tuple[str, ...], ...] = (
    ("phase", "role", "sector", "campaign"),
    ("phase", "role", "campaign"),
    ("phase", "group", "campaign"),
    ("phase", "campaign"),
    ("campaign",),
    (),
)

Cell = tuple[int, str, int, int | None]  # phase, role, sector (0: none given), campaign


def role_group(role: str) -> str:
    return "physician" if role == WriterRole.PHYSICIAN.value else "other"


@dataclass(frozen=True)
class CohortKey:
    """What a cohort's answers all share; None where they differ."""

    level: int
    phase: int | None
    role: str | None
    role_group: str | None
    sector_id: int | None
    campaign_id: int | None


def _key(cell: Cell, level: int) -> CohortKey:
    kept = LEVELS[level]
    phase, role, sector, campaign = cell
    return CohortKey(
        level=level,
        phase=phase if "phase" in kept else None,
        role=role if "role" in kept else None,
        role_group=role_group(role) if "role" in kept or "group" in kept else None,
        sector_id=sector if "sector" in kept else None,
        campaign_id=campaign if "campaign" in kept else None,
    )


def partition(cells: dict[Cell, int], threshold: int) -> tuple[dict[CohortKey, list[Cell]],
                                                                list[Cell]]:
    """Cut counted cells into cohorts of at least `threshold`; return them and what is withheld.

    Deterministic: the same cells always give the same cohorts.
    """
    remaining = {cell: n for cell, n in cells.items() if n > 0}
    cohorts: dict[CohortKey, list[Cell]] = {}
    for level in range(len(LEVELS)):
        groups: dict[CohortKey, list[Cell]] = defaultdict(list)
        for cell in sorted(remaining, key=_sortable):
            groups[_key(cell, level)].append(cell)
        for key, members in groups.items():
            if sum(remaining[cell] for cell in members) >= threshold:
                cohorts[key] = members
                for cell in members:
                    del remaining[cell]
    return cohorts, sorted(remaining, key=_sortable)


def _sortable(cell: Cell) -> tuple:
    phase, role, sector, campaign = cell
    return phase, role, sector, campaign if campaign is not None else -1


# --- Publishing: cutting a week (or an import) into cohorts, once ---------------------------

@dataclass(frozen=True)
class Unit:
    """What is cut together: one establishment's answers of one kind, week and source."""

    establishment_id: int
    week: date
    unit: str  # COMMENTS or RESPONSES
    kind: str  # FeedbackKind value ("survey" for responses)
    batch: int = LIVE


def _week_bounds(week: date) -> tuple[datetime, datetime]:
    return local_day_start(week), local_day_start(week + timedelta(days=7))


def batch_rows(batch: int) -> sa.ColumnElement[bool]:
    """One import's rows. The second term, implied by the first, is the condition of the
    partial index of imported rows: both engines read the import's rows alone through it."""
    return and_(Feedback.batch == batch, Feedback.batch != LIVE)


def _comment_rows(unit: Unit) -> sa.ColumnElement[bool]:
    start, end = _week_bounds(unit.week)
    source = Feedback.batch == LIVE if unit.batch == LIVE else batch_rows(unit.batch)
    return and_(Feedback.establishment_id == unit.establishment_id,
                Feedback.kind == FeedbackKind(unit.kind), source,
                Feedback.created_at >= start, Feedback.created_at < end)


def _response_rows(unit: Unit) -> sa.ColumnElement[bool]:
    return and_(SurveyResponse.establishment_id == unit.establishment_id,
                SurveyResponse.submitted_on.between(unit.week, unit.week + timedelta(days=6)))


def _cells(connection: Connection, unit: Unit) -> tuple[dict[Cell, int], dict[Cell, int],
                                                        dict[tuple[Cell, str], int]]:
    """The unit's answers counted per cell: all, those with a recommend score, each item."""
    if unit.unit == COMMENTS:
        keys = (Feedback.phase, sa.type_coerce(Feedback.role, sa.String),
                func.coalesce(Feedback.sector_id, NO_SECTOR))
        rows = connection.execute(select(*keys, func.count()).where(_comment_rows(unit))
                                  .group_by(*keys))
        return {(phase, role, sector, None): n for phase, role, sector, n in rows}, {}, {}
    keys = (SurveyResponse.phase, sa.type_coerce(SurveyResponse.role, sa.String),
            func.coalesce(SurveyResponse.sector_id, NO_SECTOR), SurveyResponse.campaign_id)
    counts, scored = {}, {}
    for phase, role, sector, campaign, n, with_score in connection.execute(
            select(*keys, func.count(), func.count(SurveyResponse.recommend))
            .where(_response_rows(unit)).group_by(*keys)):
        counts[(phase, role, sector, campaign)] = n
        scored[(phase, role, sector, campaign)] = with_score
    items = {((phase, role, sector, campaign), item): n
             for phase, role, sector, campaign, item, n in connection.execute(
                 select(*keys, SurveyAnswer.item, func.count())
                 .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
                 .where(_response_rows(unit)).group_by(*keys, SurveyAnswer.item))}
    return counts, scored, items


def publish(connection: Connection, unit: Unit, threshold: int, now: datetime) -> bool:
    """Cut one unit into cohorts and mark its answers; False when it was already cut.

    Runs in the caller's transaction. Two processes cutting the same unit at once: the second
    fails on the publication's primary key, and the caller keeps the first's (identical) cut.
    """
    exists = connection.execute(select(CohortPublication.published_at).where(
        CohortPublication.establishment_id == unit.establishment_id,
        CohortPublication.week == unit.week, CohortPublication.unit == unit.unit,
        CohortPublication.kind == unit.kind, CohortPublication.batch == unit.batch)).first()
    if exists:
        return False
    connection.execute(sa.insert(CohortPublication).values(
        establishment_id=unit.establishment_id, week=unit.week, unit=unit.unit, kind=unit.kind,
        batch=unit.batch, threshold=threshold, published_at=now))
    counts, scored, items = _cells(connection, unit)
    cohorts, _withheld = partition(counts, threshold)
    items_of: dict[Cell, list[tuple[str, int]]] = defaultdict(list)
    for (cell, item), n in items.items():
        items_of[cell].append((item, n))
    cohort_of: dict[Cell, int] = {}
    for key, members in cohorts.items():
        cohort_id = connection.execute(sa.insert(Cohort).values(
            establishment_id=unit.establishment_id, week=unit.week, unit=unit.unit,
            kind=unit.kind, batch=unit.batch, level=key.level, phase=key.phase, role=key.role,
            role_group=key.role_group, sector_id=key.sector_id, campaign_id=key.campaign_id,
            threshold=threshold, n=sum(counts[cell] for cell in members),
            scored=sum(scored.get(cell, 0) for cell in members),
        ).returning(Cohort.id)).scalar_one()
        item_counts: dict[str, int] = defaultdict(int)
        for cell in members:
            for item, n in items_of[cell]:
                item_counts[item] += n
        if item_counts:
            connection.execute(sa.insert(CohortItem), [
                {"cohort_id": cohort_id, "item": item, "n": n}
                for item, n in sorted(item_counts.items())])
        cohort_of.update(dict.fromkeys(members, cohort_id))
    _mark(connection, unit, cohort_of)
    return True


def _mark(connection: Connection, unit: Unit, cohort_of: dict[Cell, int]) -> None:
    """Set each of the unit's answers' cohort: the unit read once, then updated by primary key.

    One UPDATE per cell would read the whole unit again for each of its hundreds of cells.
    """
    if unit.unit == COMMENTS:
        source, rows, campaign = Feedback, _comment_rows(unit), sa.null()
    else:
        source, rows, campaign = SurveyResponse, _response_rows(unit), SurveyResponse.campaign_id
    members: dict[int, list[int]] = defaultdict(list)
    for ident, phase, role, sector, campaign_id in connection.execute(
            select(source.id, source.phase, sa.type_coerce(source.role, sa.String),
                   func.coalesce(source.sector_id, NO_SECTOR), campaign).where(rows)):
        cohort_id = cohort_of.get((phase, role, sector, campaign_id))
        if cohort_id is not None:
            members[cohort_id].append(ident)
    for cohort_id, ids in sorted(members.items()):
        for start in range(0, len(ids), _CHUNK):
            connection.execute(sa.update(source).where(source.id.in_(ids[start:start + _CHUNK]))
                               .values(cohort_id=cohort_id))


def last_closed_week(now: datetime) -> date:
    """The Monday of the latest week whose live answers may be cut at `now`."""
    from feedback.clock import QUEBEC

    moment = (now - GRACE).astimezone(QUEBEC).date()
    this_monday = moment - timedelta(days=moment.weekday())
    return this_monday - timedelta(days=7)


def cut_until(connection: Connection, now: datetime) -> date:
    """The last week whose live answers are cut (by the queue's task), as figures read at `now`
    see it: later weeks are pending. Reading it writes nothing: pages never cut a week.

    The task cuts every establishment's finished weeks in one run, so the latest week it cut
    anywhere is the latest cut everywhere (a week nobody answered has nothing to wait for).
    """
    latest = connection.scalar(select(func.max(CohortPublication.week)).where(
        CohortPublication.batch == LIVE))
    if latest is None:
        return date.min
    return min(last_closed_week(now), _as_date(latest))


def due_units(connection: Connection, establishment_ids: Iterable[int] | None,
              now: datetime) -> Iterator[Unit]:
    """Live weeks that are over and not yet cut (imports are cut when they finish)."""
    from feedback.models import FeedbackRollup, ResponseRollup

    last = last_closed_week(now)
    for rollup, unit, kinds in (
            (FeedbackRollup, COMMENTS, [kind.value for kind in ANONYMOUS_KINDS]),
            (ResponseRollup, RESPONSES, None)):
        kind_column = rollup.kind if kinds else sa.literal(FeedbackKind.SURVEY.value)
        published = select(CohortPublication.week).where(
            CohortPublication.establishment_id == rollup.establishment_id,
            CohortPublication.week == rollup.week, CohortPublication.unit == unit,
            CohortPublication.kind == kind_column, CohortPublication.batch == LIVE).exists()
        stmt = (select(rollup.establishment_id, rollup.week, kind_column).distinct()
                .where(rollup.week <= last, rollup.cohort_id == 0, ~published))
        if kinds:
            stmt = stmt.where(rollup.kind.in_(kinds))
        if establishment_ids is not None:
            stmt = stmt.where(rollup.establishment_id.in_(list(establishment_ids)))
        for establishment_id, week, kind in connection.execute(stmt.order_by(
                rollup.establishment_id, rollup.week)):
            yield Unit(establishment_id, week, unit, kind)


def batch_units(connection: Connection, batch: int) -> list[Unit]:
    """The units of one import's rows, to cut as soon as the import is done."""
    from feedback.insights.rollups import quebec_week

    rows = connection.execute(
        select(Feedback.establishment_id, quebec_week(Feedback.created_at).label("week"),
               sa.type_coerce(Feedback.kind, sa.String)).distinct()
        .where(batch_rows(batch)))
    return [Unit(establishment_id, _as_date(week), COMMENTS, kind, batch)
            for establishment_id, week, kind in rows]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def thresholds(connection: Connection, default: int) -> dict[int, int]:
    """Each establishment's anonymity threshold: its own, or the deployment's `default`."""
    from feedback.models import Establishment

    return {ident: own or default for ident, own in connection.execute(
        select(Establishment.id, Establishment.anonymity_threshold))}


def publish_due(session, default: int, now: datetime,
                establishment_ids: Iterable[int] | None = None) -> int:
    """Cut every live week that is over (of these establishments); the caller commits.

    `default`: the deployment's threshold (an establishment's own wins). Returns how many units
    were cut.
    """
    by_week: dict[tuple[int, date], list[Unit]] = defaultdict(list)
    for unit in due_units(session.connection(), establishment_ids, now):
        by_week[(unit.establishment_id, unit.week)].append(unit)
    if not by_week:
        return 0
    limits = thresholds(session.connection(), default)
    return sum(cut_units(session, units, limits[establishment_id], now)
               for (establishment_id, _week), units in sorted(by_week.items()))


def cut_units(session, units: list[Unit], threshold: int, now: datetime, *,
              refresh: bool = True) -> int:
    """Cut units of one establishment (in a savepoint) and refresh their weeks' rollups (unless
    not `refresh`: the caller brings the rollups up to date itself).

    A concurrent cut of the same unit makes this one give way: the other's cut stands.
    """
    from sqlalchemy.exc import IntegrityError

    from feedback.insights.rollups import rebuild_week

    try:
        with session.begin_nested():
            connection = session.connection()
            cut = sum(publish(connection, unit, threshold, now) for unit in units)
            for establishment_id, week in sorted({(u.establishment_id, u.week) for u in units}
                                                 if refresh else ()):
                rebuild_week(connection, establishment_id, week)
    except IntegrityError:
        return 0
    return cut


def cut_batch(session, batch: int, default: int, now: datetime) -> int:
    """Cut one import's rows, each establishment's with its own threshold.

    The summary tables are the caller's to update: only the import's own rows changed (their
    cohorts are new), so it adds their contributions instead of recomputing whole weeks.
    """
    units = batch_units(session.connection(), batch)
    limits = thresholds(session.connection(), default)
    return sum(cut_units(session, [u for u in units if u.establishment_id == establishment_id],
                         limits[establishment_id], now, refresh=False)
               for establishment_id in sorted({unit.establishment_id for unit in units}))


class Hidden(enum.StrEnum):
    """Why a figure is not shown."""

    SMALL = "small"  # its answers are too few to form a cohort of the threshold's size
    PENDING = "pending"  # its answers are from a week not over yet: they count once it is


@dataclass(frozen=True)
class Protection:
    """Whether figures about a group may be shown. Holds no count: a hidden count is a figure.

    `withheld`: some anonymous answers of the group count in no figure of it (too few to form a
    cohort that the group does not split, or from a week not over yet).
    """

    threshold: int
    hidden: Hidden | None = None
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.hidden is not None
