"""Long lists a page at a time, at the same cost on page 1 and page 10,000.

A keyset page starts after (or before) the row a cursor names, on the list's own order, so the
database reads one page through an index instead of skipping every row before it; its count stops
at COUNT_LIMIT ("more than 10,000"), so nothing counts a whole table on each request. Cursors
are opaque to readers (base64 of the key values of the row they follow) and checked strictly:
one that does not decode to the list's keys is refused, never half-used.
"""

import base64
import binascii
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from feedback.extensions import db

COUNT_LIMIT = 10_000
MAX_CURSOR = 400  # characters: a longer one was not made here


class InvalidCursor(ValueError):
    """A cursor this list did not make (altered, truncated, or from another list)."""


@dataclass(frozen=True)
class Key:
    """One column of a list's order, and how its values travel in a cursor."""

    column: Any  # an ORM attribute
    descending: bool = False
    kind: type = str  # datetime, int or str

    def encode(self, value) -> Any:
        return value.isoformat() if self.kind is datetime else value

    def decode(self, value) -> Any:
        if self.kind is datetime:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
            if moment is None or moment.tzinfo is None:
                raise InvalidCursor(value)
            return moment
        if self.kind is int and (type(value) is not int or not 0 <= value < 2**63):
            raise InvalidCursor(value)
        if self.kind is str and (not isinstance(value, str) or len(value) > 100):
            raise InvalidCursor(value)
        return value


def encode_cursor(keys: Sequence[Key], values: Sequence, backward: bool = False) -> str:
    raw = json.dumps([key.encode(value) for key, value in zip(keys, values, strict=True)]
                     + (["<"] if backward else []))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(keys: Sequence[Key], cursor: str) -> tuple[tuple, bool]:
    """The key values a cursor names, and whether it reads backward; InvalidCursor if not ours."""
    if len(cursor) > MAX_CURSOR:
        raise InvalidCursor(cursor[:20])
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor(cursor[:20]) from None
    if not isinstance(values, list):
        raise InvalidCursor(cursor[:20])
    backward = values[-1:] == ["<"]
    values = values[:-1] if backward else values
    if len(values) != len(keys):
        raise InvalidCursor(cursor[:20])
    return tuple(key.decode(value) for key, value in zip(keys, values, strict=True)), backward


def after(keys: Sequence[Key], values: Sequence, backward: bool = False) -> ColumnElement[bool]:
    """Rows past `values` in the keys' order (before them when `backward`).

    Written as a range on the first key plus the tie-break, which every engine's planner turns
    into an index range scan (a row-value comparison cannot mix directions).
    """
    def beyond(key: Key, value, strict: bool):
        later = key.descending != backward  # "past" means smaller on a descending key
        if strict:
            return key.column < value if later else key.column > value
        return key.column <= value if later else key.column >= value

    first, *rest = keys
    if not rest:
        return beyond(first, values[0], True)
    tail = after(rest, values[1:], backward)
    return and_(beyond(first, values[0], False),
                or_(beyond(first, values[0], True), and_(first.column == values[0], tail)))


def ordered(keys: Sequence[Key], backward: bool = False) -> list:
    return [key.column.desc() if key.descending != backward else key.column.asc()
            for key in keys]


def bounded_count(stmt: Select, limit: int | None = None) -> int:
    """How many rows a list holds, counting no further than COUNT_LIMIT + 1."""
    limit = COUNT_LIMIT if limit is None else limit
    bounded = stmt.order_by(None).limit(limit + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(bounded))


@dataclass
class KeysetPage:
    """One page of a list read by keys: what the pagination macro links to."""

    items: list
    next_cursor: str | None
    prev_cursor: str | None
    count: int  # the list's rows, at most COUNT_LIMIT + 1
    limit: int = COUNT_LIMIT
    first: bool = field(default=True)

    @property
    def more_than_limit(self) -> bool:
        return self.count > self.limit


def keyset_page(stmt: Select, keys: Sequence[Key], values_of: Callable[[Any], tuple],
                cursor: str | None, per_page: int, *, count: bool = True) -> KeysetPage:
    """The page of `stmt` (any order it has is replaced by the keys') that `cursor` names.

    Raises InvalidCursor for a cursor this list did not make.
    """
    stmt = stmt.order_by(None)
    backward, values = False, None
    if cursor:
        values, backward = decode_cursor(keys, cursor)
    page = stmt.where(after(keys, values, backward)) if values is not None else stmt
    rows = list(db.session.scalars(page.order_by(*ordered(keys, backward)).limit(per_page + 1)))
    beyond = len(rows) > per_page
    rows = rows[:per_page]
    if backward:
        rows.reverse()
    has_next, has_prev = (True, beyond) if backward else (beyond, values is not None)
    return KeysetPage(
        items=rows,
        next_cursor=encode_cursor(keys, values_of(rows[-1])) if rows and has_next else None,
        prev_cursor=(encode_cursor(keys, values_of(rows[0]), backward=True)
                     if rows and has_prev else None),
        # Counted on the keys alone: an index holding them (and the filter's columns) answers.
        count=bounded_count(stmt.with_only_columns(*(key.column for key in keys))) if count
        else 0,
        limit=COUNT_LIMIT,
        first=not has_prev,
    )


@dataclass
class OffsetPage:
    """A numbered page of a list whose order keys cannot follow (a count of evidence): the
    same links as db.paginate, but its count stops at the limit."""

    items: list
    page: int
    per_page: int
    count: int  # at most COUNT_LIMIT + 1
    has_next: bool
    limit: int = COUNT_LIMIT

    @property
    def pages(self) -> int:
        return max(self.page, math.ceil(min(self.count, self.limit) / self.per_page))

    @property
    def more_than_limit(self) -> bool:
        return self.count > self.limit

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def offset_page(stmt: Select, page: int, per_page: int) -> OffsetPage:
    rows = list(db.session.scalars(stmt.limit(per_page + 1).offset((page - 1) * per_page)))
    return OffsetPage(rows[:per_page], page, per_page, bounded_count(stmt),
                      len(rows) > per_page, COUNT_LIMIT)
