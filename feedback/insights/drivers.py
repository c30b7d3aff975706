"""What drives the recommend score: each survey item's share of what the items explain of it.

The method is Johnson's relative weights: the items are correlated (someone who cannot get into
the DSN rarely finds it supports their work), so a regression's coefficients would share the
credit arbitrarily between them; relative weights split the explained variance (R²) among the
items through their orthogonal counterparts, and add up to R². Each weight comes with a 95 %
interval from a bootstrap, and each item with enough weight is classed a strength (scored above
the items' average) or a priority (below it), as Peakon's drivers are.

Anonymity. The analysis reads no response on its own: the database sums, per anonymity cohort,
the products the correlations need (n, Σy, Σx, Σxy, Σx²…), over the complete responses (a
recommend score and every item) of the cohorts the selection counts, and only from cohorts where
at least the threshold's number of responses are complete. The correlations are a sum of whole
cohorts, and the bootstrap resamples whole cohorts, so the analysis tells nothing that the
cohorts' own sums do not (see anonymity.py).
"""

from dataclasses import dataclass, replace
from itertools import combinations_with_replacement

import numpy as np
import sqlalchemy as sa
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.insights import anonymity
from feedback.insights.anonymity import Protection
from feedback.insights.filters import (
    PHASES,
    SummaryFilter,
    cohort_clauses,
    filter_clauses,
    pending_rows,
    protection_of,
)
from feedback.insights.rollups import WHOLE_RESPONSE
from feedback.models import Cohort, ResponseRollup, SurveyAnswer, SurveyResponse

# Below these, weights swing from one week to the next: the page says there is too little yet.
MIN_RESPONSES = 30
MIN_COHORTS = 3
BOOTSTRAP_SAMPLES = 400
# The same selection always gives the same interval (the page must not flicker on reload).
BOOTSTRAP_SEED = 20260509

STRENGTH = "strength"
PRIORITY = "priority"


@dataclass(frozen=True)
class Driver:
    """One survey item as a driver of the recommend score."""

    item: str
    mean: float  # the item's mean, 1 to 5
    correlation: float  # with the recommend score, −1 to 1
    weight: float  # its raw relative weight: its part of R²
    share: float  # its part of what the items explain, 0 to 1 (the shares add up to 1)
    low: float | None  # the share's 95 % bootstrap interval
    high: float | None
    kind: str | None  # STRENGTH, PRIORITY, or None (a lesser driver)

    @property
    def high_impact(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True)
class DriverAnalysis:
    """The drivers of the recommend score for a selection (or one phase of it)."""

    key: int | None  # None: the whole selection; else the adaptation phase
    protection: Protection
    responses: int | None = None  # complete responses analysed
    cohorts: int | None = None
    r_squared: float | None = None
    drivers: list[Driver] | None = None

    @property
    def suppressed(self) -> bool:
        return self.protection.suppressed

    @property
    def too_few(self) -> bool:
        """Shown, but with too few responses or cohorts for weights worth reading."""
        return not self.suppressed and self.drivers is None

    def of_kind(self, kind: str) -> list[Driver]:
        return [d for d in self.drivers or [] if d.kind == kind]


def relative_weights(correlations: np.ndarray) -> np.ndarray:
    """Johnson's raw relative weights from a correlation matrix (the outcome first): they add up
    to the R² of the regression of the outcome on the items. Also for a stack of matrices."""
    rxx, rxy = correlations[..., 1:, 1:], correlations[..., 1:, 0]
    values, vectors = np.linalg.eigh(rxx)
    # Λ = R_xx^½: the correlations between the items and their closest orthogonal counterparts.
    lam = (vectors * np.sqrt(np.clip(values, 0.0, None))[..., None, :]) @ np.swapaxes(
        vectors, -1, -2)
    beta = (np.linalg.pinv(lam, hermitian=True) @ rxy[..., None])[..., 0]
    return ((lam ** 2) @ (beta ** 2)[..., None])[..., 0]


def _correlations(stats: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Means and correlation matrices of (recommend, items) from summed cohort products.

    `stats` (one row, or a stack of them): n, then the sums of each variable, then the sums of
    each pair's product (upper triangle, row by row). The third array says which rows can be
    analysed: those where the recommend score varies.
    """
    k = p + 1
    n = stats[..., :1]
    means = stats[..., 1:1 + k] / n
    products = np.zeros((*stats.shape[:-1], k, k))
    for column, (i, j) in enumerate(combinations_with_replacement(range(k), 2), start=1 + k):
        products[..., i, j] = products[..., j, i] = stats[..., column]
    covariance = products / n[..., None] - means[..., :, None] * means[..., None, :]
    deviation = np.sqrt(np.clip(np.diagonal(covariance, axis1=-2, axis2=-1), 0.0, None))
    flat = deviation <= 1e-12
    safe = np.where(flat, 1.0, deviation)
    correlations = covariance / (safe[..., :, None] * safe[..., None, :])
    # An item nobody answered differently explains nothing: no correlation, not a division by 0.
    correlations = np.where(flat[..., :, None] | flat[..., None, :], 0.0, correlations)
    correlations[..., np.arange(k), np.arange(k)] = 1.0
    return means, correlations, ~flat[..., 0]


def _item_codes(f: SummaryFilter) -> list[str]:
    return sorted(db.session.scalars(
        select(ResponseRollup.item).distinct()
        .join(Cohort, Cohort.id == ResponseRollup.cohort_id)
        .where(ResponseRollup.establishment_id.in_(f.establishment_ids),
               ResponseRollup.item != WHOLE_RESPONSE, ResponseRollup.n > 0,
               *cohort_clauses(f, anonymity.RESPONSES))))


def _cohort_products(f: SummaryFilter, codes: list[str]) -> np.ndarray:
    """Per counted cohort, the sums the correlations need, over its complete responses.

    One row per response (its items pivoted into columns), then one row per cohort: the
    database does the arithmetic, Python gets a few hundred rows at most.
    """
    value = sa.cast(SurveyAnswer.value, sa.Float)
    columns = [sa.cast(SurveyResponse.recommend, sa.Float).label("y")] + [
        func.max(value).filter(SurveyAnswer.item == code).label(f"x{i}")
        for i, code in enumerate(codes)]
    per_response = (
        select(SurveyResponse.cohort_id, *columns)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .join(Cohort, Cohort.id == SurveyResponse.cohort_id)
        .where(SurveyResponse.recommend.is_not(None), SurveyAnswer.item.in_(codes),
               Cohort.scored >= f.threshold, *cohort_clauses(f, anonymity.RESPONSES))
        .group_by(SurveyResponse.id, SurveyResponse.cohort_id, SurveyResponse.recommend)
        .having(func.count(SurveyAnswer.item) == len(codes))
        .subquery()
    )
    variables = [per_response.c.y, *(per_response.c[f"x{i}"] for i in range(len(codes)))]
    sums = [func.sum(v) for v in variables]
    products = [func.sum(a * b) for a, b in combinations_with_replacement(variables, 2)]
    rows = db.session.execute(
        select(func.count(), *sums, *products)
        .group_by(per_response.c.cohort_id)
        .having(func.count() >= f.threshold)
        .order_by(per_response.c.cohort_id)
    ).all()
    width = 1 + len(variables) + len(products)
    return np.array([[float(v or 0) for v in row] for row in rows]).reshape(len(rows), width)


def _complete_raw(f: SummaryFilter) -> tuple[int, int]:
    """Responses with a recommend score in the selection as they are (and not yet cut): never
    shown, only to say why nothing is."""
    rollup = ResponseRollup
    raw, waiting = db.session.execute(
        select(func.sum(rollup.scored), func.sum(rollup.scored).filter(pending_rows(f, rollup)))
        .where(*filter_clauses(f, rollup), rollup.item == WHOLE_RESPONSE)).one()
    return raw or 0, waiting or 0


def driver_analysis(f: SummaryFilter, key: int | None = None) -> DriverAnalysis:
    """The drivers of the recommend score in a selection, with their bootstrap intervals."""
    codes = _item_codes(f)
    cohorts = _cohort_products(f, codes) if codes else np.zeros((0, 1))
    shown = int(cohorts[:, 0].sum()) if len(cohorts) else 0
    raw, waiting = _complete_raw(f)
    protection = protection_of(f, shown, max(raw, shown), waiting)
    if protection.suppressed:
        return DriverAnalysis(key, protection)
    if shown < MIN_RESPONSES or len(cohorts) < MIN_COHORTS:
        return DriverAnalysis(key, protection, shown, len(cohorts))
    p = len(codes)
    means, correlations, varies = _correlations(cohorts.sum(axis=0), p)
    if not varies:
        return DriverAnalysis(key, protection, shown, len(cohorts))
    weights = relative_weights(correlations)
    r_squared = float(weights.sum())
    shares = weights / r_squared if r_squared > 0 else np.zeros(p)

    # Whole cohorts drawn with replacement: the interval reflects how much the weights depend
    # on which groups of staff answered, and resamples nothing finer than a cohort.
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.multinomial(len(cohorts), np.full(len(cohorts), 1 / len(cohorts)),
                            size=BOOTSTRAP_SAMPLES)
    _means, resampled, usable = _correlations(draws @ cohorts, p)
    samples = relative_weights(resampled[usable])
    totals = samples.sum(axis=1)
    samples = samples[totals > 0] / totals[totals > 0, None]
    low = high = None
    if len(samples):
        low, high = np.percentile(samples, [2.5, 97.5], axis=0)

    item_means = means[1:]
    average = float(item_means.mean())
    drivers = []
    for i, code in enumerate(codes):
        # High impact: more than an equal share, beyond doubt when the interval is known (with
        # weights all near an equal share, none stands out and none is classed).
        surely = low[i] if low is not None else shares[i]
        impact = surely >= 1 / p and correlations[0, i + 1] > 0
        kind = None
        if impact:
            kind = STRENGTH if item_means[i] >= average else PRIORITY
        drivers.append(Driver(
            item=code, mean=float(item_means[i]), correlation=float(correlations[0, i + 1]),
            weight=float(weights[i]), share=float(shares[i]),
            low=float(low[i]) if low is not None else None,
            high=float(high[i]) if high is not None else None, kind=kind))
    drivers.sort(key=lambda d: (-d.share, d.item))
    return DriverAnalysis(key, protection, shown, len(cohorts), r_squared, drivers)


def drivers_by_phase(f: SummaryFilter) -> list[DriverAnalysis]:
    """The analysis within each adaptation phase of the selection."""
    phases = PHASES if f.phase is None else (f.phase,)
    return [driver_analysis(replace(f, phase=phase), phase) for phase in phases]

