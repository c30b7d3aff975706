"""Establishments side by side: the same figures for each, and the rest of the network pooled."""

from feedback.insights.figures import SummaryFigures
from feedback.insights.filters import SummaryFilter
from feedback.models import Establishment

# An establishment's managers see the rest of the network only pooled, and only when the pool
# holds at least this many other establishments: fewer would give one of them away.
NETWORK_POOL_MINIMUM = 3


def establishment_figures(f: SummaryFilter,
                          establishment: Establishment | None = None) -> SummaryFigures:
    """A comparison column: one establishment's figures, or several pooled (establishment None)."""
    return SummaryFigures(f, establishment)
