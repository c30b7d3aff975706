"""Several GROUP BYs of the same rows in one statement, the way each engine does it best.

A summary shows the same rows grouped several ways (the whole selection, per week, phase, sector,
role group...). PostgreSQL computes all of them in one pass over the rows (GROUPING SETS, each
grouping in a small hash table of its own). SQLite has no grouping sets: the rows are summed once
by every key together, then that much smaller set is summed once per grouping (UNION ALL).

Both give one result row per grouping and group with the same columns: `by` (the grouping's
name, '' for the whole), one column per key (NULL but the grouping's own), the common keys, then
the sums.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import func, select


def grouped_sums(rows: sa.Select | sa.CompoundSelect, keys: dict[str, sa.types.TypeEngine],
                 bys: Sequence[str | None], common: Sequence[str], sums: Sequence[str],
                 dialect: str) -> sa.Select | sa.CompoundSelect:
    """The sums of the columns `sums` of `rows`, grouped by the columns `common` and, in turn, by
    each grouping of `bys` (a name among `keys`, or None for `common` alone).

    `rows` must label a column for each of `keys`, `common` and `sums`; what it holds per row is
    only ever summed, so every figure is the same whichever way the engine groups.
    """
    source = rows.subquery("grouped_rows")
    used = [name for name in keys if name in bys]
    if dialect == "postgresql":
        return _grouping_sets(source, keys, list(bys), used, common, sums)
    return _union_of_groupings(source, keys, list(bys), used, common, sums)


def _key_columns(source, keys: dict, used: list[str], by_column) -> list:
    return [by_column(name) if name in used else sa.cast(sa.null(), kind).label(name)
            for name, kind in keys.items()]


def _sum(column) -> sa.ColumnElement:
    """A sum that stays an integer where its values are (PostgreSQL sums bigints as numeric)."""
    total = func.sum(column)
    return sa.cast(total, sa.BigInteger) if isinstance(column.type, sa.Integer) else total


def _grouping_sets(source, keys: dict, bys: list, used: list[str], common: Sequence[str],
                   sums: Sequence[str]) -> sa.Select:
    base = [source.c[name] for name in common]
    # GROUPING(a, b, ...) has a bit set, most significant first, for each key a set leaves out.
    width = len(used)

    def mask(by: str | None) -> int:
        return sum(1 << (width - 1 - index) for index, name in enumerate(used) if name != by)

    if used:
        which = func.grouping(*(source.c[name] for name in used))
        by = sa.case(*((which == mask(name), name or "") for name in bys), else_="")
    else:
        by = sa.literal("")
    return (
        select(by.label("by"), *_key_columns(source, keys, used, lambda name: source.c[name]),
               *base, *(_sum(source.c[name]).label(name) for name in sums))
        .group_by(func.grouping_sets(*(
            sa.tuple_(*base, *([source.c[name]] if name else [])) for name in bys)))
    )


def _union_of_groupings(source, keys: dict, bys: list, used: list[str], common: Sequence[str],
                        sums: Sequence[str]) -> sa.Select:
    facts = (
        select(*(source.c[name] for name in (*used, *common)),
               *(_sum(source.c[name]).label(name) for name in sums))
        .group_by(*(source.c[name] for name in (*used, *common)))
        .cte("grouped_facts")
    )
    branches = [
        select(sa.literal(name or "").label("by"),
               *_key_columns(facts, keys, [name] if name else [], lambda key: facts.c[key]),
               *(facts.c[column] for column in common),
               *(_sum(facts.c[column]).label(column) for column in sums))
        .group_by(*(facts.c[column] for column in common), *([facts.c[name]] if name else []))
        for name in bys
    ]
    return branches[0] if len(branches) == 1 else sa.union_all(*branches)


def unindexed(column: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    """A join key no index serves ("+ 0"), so a rollup's rows are read in key order and each
    finds its cohort by id. Otherwise SQLite's planner starts from the period's cohorts and finds
    their rollup rows through the rollup's cohort index, one B-tree descent per row: three to four
    times the work at a million comments. PostgreSQL hashes either way."""
    return column + 0
