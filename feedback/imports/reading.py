"""Reading CSV and XLSX files as streams, with bounded columns, cells and unpacked size."""

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l

# A survey export rarely has more than a hundred columns; a header of thousands is a broken or
# hostile file, refused before any page lists them.
MAX_COLUMNS = 500


# A column name longer than this is cut (it is shown in lists and remembered in mappings).
MAX_HEADER_LENGTH = 120


# No cell of a CSV file may hold more (a text is at most MAX_IMPORT_TEXT_LENGTH characters).
MAX_CELL_LENGTH = 64 * 1024


# What an XLSX file may hold once unzipped (its XML is some ten times its data).
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024


class ImportFileError(Exception):
    """A file that cannot be read as a table; the message says why, translated."""


Cell = str | int | float | datetime | date | None


@dataclass
class Table:
    """A file opened for reading: its column headers, then its rows as (row number, cells)."""

    format: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    encoding: str | None = None
    delimiter: str | None = None


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """Open a CSV or XLSX file, recognised by its content rather than its name."""
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK\x03\x04"):
        with _open_xlsx(path) as table:
            yield table
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_l("This is an old Excel file (.xls): save it as .xlsx or CSV."))
    else:
        with _open_csv(path) as table:
            yield table


def _headers(values: Iterable[Cell]) -> list[str]:
    """Column names, made unique; an unnamed column is called by its letter.

    Raises ImportFileError for a header wider than MAX_COLUMNS.
    """
    values = list(itertools.islice(values, MAX_COLUMNS + 1))
    if len(values) > MAX_COLUMNS:
        raise ImportFileError(_l("The file has more than %(max)s columns: keep only those to "
                                 "import.", max=MAX_COLUMNS))
    headers: list[str] = []
    taken: set[str] = set()
    for number, value in enumerate(values):
        name = (" ".join(_as_text(value).split())[:MAX_HEADER_LENGTH]
                or f"({_column_letter(number)})")
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name} ({n})", n + 1
        headers.append(candidate)
        taken.add(candidate)
    return headers


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252 (Excel's ANSI)."""
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        for encoding in ("utf-8", "cp1252"):
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise ImportFileError(_l("The file's characters could not be read: save it as CSV UTF-8."))


def detect_delimiter(sample: str, truncated: bool = False) -> str:
    """Semicolon (Excel in French), comma or tab: the one giving a wide header and even rows."""
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in (";", ",", "\t"):
        try:
            records = list(itertools.islice(
                csv.reader(io.StringIO(sample), delimiter=delimiter), 51))
        except csv.Error:
            continue
        if truncated and len(records) > 2:
            records = records[:-1]  # the sample may end in the middle of a record
        records = [record for record in records if any(cell.strip() for cell in record)]
        if not records:
            continue
        width, rest = len(records[0]), records[1:]
        even = sum(len(record) == width for record in rest) / len(rest) if rest else 1.0
        score = (width > 1, even, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(64 * 1024)
        truncated = bool(handle.read(1))
        handle.seek(0)
        delimiter = detect_delimiter(sample, truncated)
        csv.field_size_limit(MAX_CELL_LENGTH)
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise ImportFileError(_l("The file is not a readable CSV table.")) from error
        if header is None or not any(cell.strip() for cell in header):
            raise ImportFileError(_l("The file is empty: its first row must name the columns."))

        def rows() -> Iterator[tuple[int, list[Cell]]]:
            try:
                yield from enumerate(reader, start=2)
            except csv.Error as error:
                raise ImportFileError(_l("Row %(row)d could not be read as CSV.",
                                         row=reader.line_num)) from error

        yield Table("csv", _headers(header), rows(), encoding=encoding, delimiter=delimiter)


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook  # only imports need it

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFileError(_l("The file is not a readable Excel workbook (.xlsx).")) from error
    if unpacked > MAX_XLSX_UNPACKED:  # a "zip bomb" would fill the memory
        raise ImportFileError(_l("This workbook is too large once unpacked: save it as CSV."))
    try:
        # data_only=False: a formula cell is read as its formula text, never as a computed value.
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # whatever the parser trips on, the file is the problem
        raise ImportFileError(_l("The file is not a readable Excel workbook (.xlsx).")) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_l("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write wrong dimensions; read what is there
        values = sheet.iter_rows(values_only=True)
        try:
            header = next(values, None)
        except Exception as error:
            raise ImportFileError(_l("The file is not a readable Excel workbook (.xlsx).")) \
                from error
        if header is None or not any(_as_text(cell).strip() for cell in header):
            raise ImportFileError(_l("The file is empty: its first row must name the columns."))

        def rows() -> Iterator[tuple[int, list[Cell]]]:
            number = 1
            try:
                for number, row in enumerate(values, start=2):
                    yield number, list(row)
            except Exception as error:  # the sheet's XML is read as the rows go
                raise ImportFileError(_l("Row %(row)d of the workbook could not be read.",
                                         row=number + 1)) from error

        yield Table("xlsx", _headers(header), rows())
    finally:
        workbook.close()


def read_headers(path: Path) -> Table:
    """The headers and format of a file (the rows are not read)."""
    with open_table(path) as table:
        return Table(table.format, table.headers, iter(()), table.encoding, table.delimiter)


def _as_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)
