"""CSV and XLSX exports that stream: a million rows never sit in memory.

Every cell goes through csv_safe() (CSV) or xlsx_cell() (XLSX): a spreadsheet must never read a
comment such as "=HYPERLINK(...)" as a formula.
"""

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    String,
    any_,
    bindparam,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY

from feedback.clock import QUEBEC
from feedback.extensions import db
from feedback.models import Cohort, Feedback, FeedbackTheme

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (hence XLSX) cannot hold at all.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BATCH = 2000
XLSX_MAX_ROWS = 1_000_000  # per sheet (the format stops at 1,048,576): more continue on another


def csv_safe(value: object) -> str:
    """The text of a CSV cell, neutralised so no spreadsheet runs it as a formula.

    A number is written as it is: −0.601 is a number to a spreadsheet, not a formula, and a
    quote in front of it would turn it into text.
    """
    if value.__class__ is str:  # most cells: checked without the conversions below
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def xlsx_cell(value: object) -> object:
    """A value for an XLSX cell: numbers and dates as such, text neutralised like CSV."""
    if value is None or isinstance(value, bool | int | float | date | datetime):
        return value
    return csv_safe(_ILLEGAL_XML.sub("", str(value)))


@dataclass
class Table:
    """A table to export: a title (the XLSX sheet), a header row, rows produced on demand."""

    title: str
    header: list[str]
    rows: Iterable[list]
    # The XLSX sheet's name, whole within Excel's 31 characters (the title may be longer).
    sheet: str = ""


def csv_lines(tables: list[Table]) -> Iterator[str]:
    """CSV text, line by line. Several tables follow each other, each under its title."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_safe(cell) for cell in cells])
        return buffer.getvalue()

    yield "\ufeff"  # the BOM lets spreadsheets read the accents right
    for position, table in enumerate(tables):
        if len(tables) > 1:
            yield ("\r\n" if position else "") + line([table.title])
        yield line(table.header)
        for row in table.rows:
            yield line(row)


def xlsx_chunks(tables: list[Table], chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """An XLSX workbook, one sheet per table, written in openpyxl's write-only (streaming) mode.

    Rows go to a temporary file as they come; the finished file is then read back in chunks.
    """
    handle, path = tempfile.mkstemp(prefix="echo-export-", suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(tables, path)
        with open(path, "rb") as file:
            while chunk := file.read(chunk_size):
                yield chunk
    finally:
        os.unlink(path)


def write_xlsx(tables: list[Table], path: str | os.PathLike) -> None:
    """Write the workbook of xlsx_chunks() to `path`, a row at a time."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet, written, part = _sheet(workbook, table, 1), 0, 1
        for row in table.rows:
            if written == XLSX_MAX_ROWS:
                part += 1
                sheet, written = _sheet(workbook, table, part), 0
            sheet.append([xlsx_cell(cell) for cell in row])
            written += 1
    workbook.save(path)


def write_csv(tables: list[Table], path: str | os.PathLike) -> None:
    """Write the text of csv_lines() to `path`, in UTF-8.

    The same text, written by one csv.writer straight into the file: a million rows go through
    no intermediate line each.
    """
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        file.write("\ufeff")
        for position, table in enumerate(tables):
            if len(tables) > 1:
                if position:
                    file.write("\r\n")
                writer.writerow([csv_safe(table.title)])
            writer.writerow([csv_safe(cell) for cell in table.header])
            writer.writerows(map(_safe_row, table.rows))


# Cells csv.writer writes exactly as csv_safe() would: None as nothing, numbers as str() does.
_AS_THEY_ARE = frozenset((type(None), int, float))


def _safe_row(row: list) -> list:
    """csv_safe() of each cell, without a call for the cells that need nothing (most of them)."""
    return [cell if (kind := cell.__class__) in _AS_THEY_ARE
            or (kind is str and not cell.startswith(FORMULA_PREFIXES)) else csv_safe(cell)
            for cell in row]


def _sheet(workbook, table: Table, part: int):
    # Sheet titles: at most 31 characters, none of []:*?/\ (Excel's rules).
    name = table.sheet or table.title
    title = re.sub(r"[\[\]:*?/\\]", " ", name)[:28 if part > 1 else 31].strip()
    sheet = workbook.create_sheet(title=f"{title} {part}" if part > 1 else title or "Sheet")
    sheet.append([xlsx_cell(cell) for cell in table.header])
    return sheet


# What an export reads of each feedback: plain columns, no ORM object per row, the enumerations
# as their stored text (what the file shows: no enum object made and unmade per cell); for
# anonymous comments, what their cohort shares (what the listing may say of them).
FEEDBACK_COLUMNS = (Feedback.id, Feedback.ref, type_coerce(Feedback.kind, String).label("kind"),
                    Feedback.created_at, Feedback.phase,
                    type_coerce(Feedback.role, String).label("role"), Feedback.sector_id,
                    Feedback.author_id, type_coerce(Feedback.sentiment, String).label("sentiment"),
                    Feedback.polarity, Feedback.language, Feedback.issue_id, Feedback.text,
                    Cohort.week.label("cohort_week"), Cohort.phase.label("cohort_phase"),
                    Cohort.role.label("cohort_role"), Cohort.sector_id.label("cohort_sector"))


def feedback_batches(stmt: Select, batch: int = BATCH) -> Iterator[list[tuple[Row, list[int]]]]:
    """The feedback of a listing (newest first), a batch at a time, each with its theme ids.

    One query, streamed (a server-side cursor on PostgreSQL; SQLite's cursor steps through the
    rows as they are fetched) and read as plain rows, not ORM objects: only one batch is ever
    in memory. Pages read from a key would cost more with each page at a million rows (SQLite
    cannot seek an index on a (newest first, then reference) key: each page scanned and sorted
    what came before it).
    """
    columns = (stmt.with_only_columns(*FEEDBACK_COLUMNS)
               .outerjoin(Cohort, Cohort.id == Feedback.cohort_id)
               .execution_options(stream_results=True, yield_per=batch))
    connection = db.session.connection()
    result = connection.execute(columns)
    try:
        for partition in result.partitions():
            rows = list(partition)
            themes: dict[int, list[int]] = {}
            for feedback_id, theme_id in connection.execute(
                select(FeedbackTheme.feedback_id, FeedbackTheme.theme_id)
                .where(_among(FeedbackTheme.feedback_id, [row.id for row in rows],
                              connection.dialect.name))
            ):
                themes.setdefault(feedback_id, []).append(theme_id)
            yield [(row, themes.get(row.id, [])) for row in rows]
    finally:
        result.close()  # a reader that stops midway ends the read (and its cursor) at once


def _among(column, ids: list[int], dialect: str) -> ColumnElement[bool]:
    """`column IN ids`; on PostgreSQL as one array parameter (= ANY): thousands of bound
    parameters rendered, cast and sent for each batch cost an export a fifth of its time."""
    if dialect == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def local_time(moment: datetime) -> str:
    return local_text(moment.astimezone(QUEBEC))


def local_text(local: datetime) -> str:
    """A Québec time as exports write it."""
    return local.strftime("%Y-%m-%d %H:%M")


def feedback_table(title: str, header: list[str], stmt: Select,
                   row: Callable[[Row, list[int]], list]) -> Table:
    """A table of feedback rows built by `row` (columns, theme ids), streamed from a listing."""

    def rows() -> Iterator[list]:
        for batch in feedback_batches(stmt):
            for feedback, theme_ids in batch:
                yield row(feedback, theme_ids)

    return Table(title, header, rows())
