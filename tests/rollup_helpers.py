"""What the rollup tests compare: the summary tables as they stand."""

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import FeedbackRollup, ResponseRollup


def snapshot() -> dict:
    """Every rollup row, rounded (float sums may differ in the last digit)."""
    tables = {}
    for table in (FeedbackRollup.__table__, ResponseRollup.__table__):
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                              for row in rows]
    return tables
