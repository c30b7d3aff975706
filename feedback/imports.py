"""Importing feedback from CSV and XLSX files: read, map the columns, check, then record.

A file is read as a stream (CSV in UTF-8 or Windows-1252, comma or semicolon; XLSX in openpyxl's
read-only mode). Each row is checked against the establishment's sites and sectors; valid rows go
through the analysis pipeline (redaction first) before anything is stored. Imported rows are
Feedback of kind `import`, whatever origin the file gives them: they have no survey response, so
no survey score includes them, while the managers' summaries treat them like survey comments,
as anonymous words of staff under the anonymity threshold. A row the file says came from a
survey keeps only its day, as survey comments do.

A real run has two passes, so that it is all or nothing without holding the database for long:

1. check, analyse, stage: rows are read in chunks, duplicates looked up once per chunk, texts
   analysed, and the redacted rows written to a staging file next to the upload. The database
   only receives the job's progress (on its own connection).
2. write: the staged rows are inserted in chunks (bulk inserts, no ORM objects) in ONE
   transaction, with the summary tables of the establishments concerned, which the caller
   commits together with the job's outcome and its audit entry. Any failure rolls the whole
   import back.

The analysis (pass 1) is what takes time; pass 2 takes seconds even for 100,000 rows, so on SQLite
other writers (survey answers) wait seconds at most, never for the whole import.
"""

import codecs
import csv
import hashlib
import io
import itertools
import json
import re
import secrets
import tempfile
import threading
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects import sqlite

from feedback import audit
from feedback.analysis import MAX_TEXT_LENGTH, redact
from feedback.clock import QUEBEC, local_day_start, local_week_start, utcnow
from feedback.extensions import db
from feedback.insights import anonymity, rollups
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    ImportJob,
    ImportJobStatus,
    ImportMapping,
    Sector,
    Site,
    Theme,
    ThemeSource,
    User,
    WriterRole,
    new_ref,
)
from feedback.privacy import cutoffs, retention_days
from feedback.tagging import active_themes, analysed_columns, analysed_themes, current_analyser

# Imported rows are stored as this kind, whatever their origin: they follow its retention period.
IMPORTED = FeedbackKind.IMPORT.value
FIELDS = ("text", "date", "establishment", "site", "sector", "role", "phase", "kind")
FIELD_LABELS = {
    "text": _l("Text"),
    "date": _l("Date"),
    "establishment": _l("Establishment"),
    "site": _l("Site"),
    "sector": _l("Sector"),
    "role": _l("Role of the writer"),
    "phase": _l("Phase"),
    "kind": _l("Origin (survey, observation…)"),
}
# Longer than any form allows (observations 2,000, survey comments 1,000), well within what the
# pipeline accepts: a text this long in a spreadsheet is more likely a pasted document than a voice.
MAX_IMPORT_TEXT_LENGTH = 5_000
assert MAX_IMPORT_TEXT_LENGTH <= MAX_TEXT_LENGTH
# The dry run reads a file while the page waits: about 30,000 rows a second.
MAX_ROWS = 200_000
CHUNK_SIZE = 1_000
# The report keeps this many rejected rows (every reason is still counted).
MAX_REPORTED = 10_000
REPORTED_TEXT_LENGTH = 300
REPORTED_VALUE_LENGTH = 60
# A date this far ahead of now is a typing mistake (time zones of the sending tool aside).
FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_YEAR = 2000
UPLOADS = "imports"
# A survey export rarely has more than a hundred columns; a header of thousands is a broken or
# hostile file, refused before any page lists them.
MAX_COLUMNS = 500
# A column name longer than this is cut (it is shown in lists and remembered in mappings).
MAX_HEADER_LENGTH = 120
# No cell of a CSV file may hold more (a text is at most MAX_IMPORT_TEXT_LENGTH characters).
MAX_CELL_LENGTH = 64 * 1024
# What an XLSX file may hold once unzipped (its XML is some ten times its data).
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024


class Reason(StrEnum):
    MISSING_TEXT = "missing_text"
    TOO_LONG = "too_long"
    UNKNOWN_ESTABLISHMENT = "unknown_establishment"
    UNKNOWN_SITE = "unknown_site"
    UNKNOWN_SECTOR = "unknown_sector"
    AMBIGUOUS_SECTOR = "ambiguous_sector"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    EXPIRED_DATE = "expired_date"
    BAD_ROLE = "bad_role"
    BAD_PHASE = "bad_phase"
    BAD_KIND = "bad_kind"


REASON_MESSAGES = {
    Reason.MISSING_TEXT: _l("The text is empty."),
    Reason.TOO_LONG: _l("The text is longer than %(max)s characters."),
    Reason.UNKNOWN_ESTABLISHMENT: _l("Unknown establishment, or not the one of this import."),
    Reason.UNKNOWN_SITE: _l("No site of the establishment has this name."),
    Reason.UNKNOWN_SECTOR: _l("No sector of the establishment (or of the site) has this code "
                              "or name."),
    Reason.AMBIGUOUS_SECTOR: _l("Several sites have a sector by this name: add a site column."),
    Reason.BAD_DATE: _l("The date is not valid: write it as YYYY-MM-DD or DD/MM/YYYY."),
    Reason.FUTURE_DATE: _l("The date is in the future."),
    Reason.EXPIRED_DATE: _l("The date is older than the retention period (%(days)s days): this "
                            "feedback would already have been destroyed."),
    Reason.BAD_ROLE: _l("Unknown role: use physician, nurse, professional, clerk, manager, "
                        "super-user or other."),
    Reason.BAD_PHASE: _l("The phase must be 1, 2 or 3."),
    Reason.BAD_KIND: _l("Unknown origin: use survey, observation or import."),
}


def reason_message(reason: str) -> str:
    """A reason in the current language; the retention period is the configured one."""
    reason = Reason(reason)
    values = {"max": format_number(MAX_IMPORT_TEXT_LENGTH)}
    if reason is Reason.EXPIRED_DATE:
        values["days"] = format_number(retention_days(current_app.config)[IMPORTED])
    return str(REASON_MESSAGES[reason]) % values


class ImportFileError(Exception):
    """A file that cannot be read as a table; the message says why, translated."""


class RowsRejected(Exception):
    """An all-or-nothing run found rejected rows: nothing is written."""

    def __init__(self, report: "Report") -> None:
        super().__init__(f"{report.rejected} rejected rows")
        self.report = report


# --- Reading ---------------------------------------------------------------------------------

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


# --- Mapping columns to fields ---------------------------------------------------------------

@lru_cache(maxsize=4096)  # the same sector and role names come back on every row
def key(value: str) -> str:
    """How names are compared: no accents, no case, hyphens and underscores as spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[-_/.'’]", " ", plain).split())


# Column names that usually hold each field, compared with key().
COLUMN_NAMES = {
    "text": ("text", "texte", "comment", "comments", "commentaire", "commentaires", "feedback",
             "retroaction", "retroactions", "message", "verbatim", "observation", "remarque",
             "remarques", "description", "propos"),
    "date": ("date", "created at", "created", "date de saisie", "date de creation", "jour",
             "horodatage", "timestamp", "date heure", "submitted", "soumis le"),
    "establishment": ("establishment", "etablissement", "code etablissement",
                      "establishment code", "cisss", "ciusss"),
    "site": ("site", "installation", "hopital", "hospital", "lieu"),
    "sector": ("sector", "secteur", "unite", "unit", "service", "department", "departement",
               "code secteur", "sector code"),
    "role": ("role", "writer role", "titre d emploi", "fonction", "profession", "job",
             "role du repondant", "metier"),
    "phase": ("phase", "phase d adaptation"),
    "kind": ("kind", "type", "origin", "origine", "source", "nature", "provenance"),
}


def suggest_mapping(headers: list[str], remembered: dict[str, str] | None = None) -> dict:
    """A mapping field → column for these headers: the remembered one first, then by name."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for name, column in (remembered or {}).items():
        if name in FIELDS and column in headers and column not in used:
            mapping[name] = column
            used.add(column)
    keyed = {key(header): header for header in headers}
    for name in FIELDS:
        if name in mapping:
            continue
        for candidate in COLUMN_NAMES[name]:
            column = keyed.get(candidate)
            if column is not None and column not in used:
                mapping[name] = column
                used.add(column)
                break
    return mapping


def parse_mapping_options(options: Iterable[str]) -> dict[str, str]:
    """`column=field` pairs (the CLI's --map), as a field → column mapping."""
    mapping: dict[str, str] = {}
    for option in options:
        column, sep, name = option.rpartition("=")
        name = name.strip().lower()
        if not sep or not column.strip() or name not in FIELDS:
            raise ValueError(f"--map takes column=field, the field one of {', '.join(FIELDS)} "
                             f"(got {option!r})")
        mapping[name] = column.strip()
    return mapping


def remembered_mapping(establishment_id: int | None, source: str) -> dict[str, str] | None:
    row = db.session.scalar(select(ImportMapping).where(
        _same_establishment(ImportMapping.establishment_id, establishment_id),
        ImportMapping.source == source.strip()))
    return dict(row.mapping) if row else None


def remember_mapping(establishment_id: int | None, source: str,
                     mapping: dict[str, str]) -> ImportMapping:
    """Keep the mapping of a source for next time; the caller commits."""
    source = source.strip()
    row = db.session.scalar(select(ImportMapping).where(
        _same_establishment(ImportMapping.establishment_id, establishment_id),
        ImportMapping.source == source))
    if row is None:
        row = ImportMapping(establishment_id=establishment_id, source=source, mapping={})
        db.session.add(row)
    row.mapping = {name: column for name, column in mapping.items() if name in FIELDS}
    row.updated_at = utcnow()
    return row


def known_sources(establishment_id: int | None) -> list[str]:
    return list(db.session.scalars(
        select(ImportMapping.source)
        .where(_same_establishment(ImportMapping.establishment_id, establishment_id))
        .order_by(ImportMapping.updated_at.desc())
    ))


def _same_establishment(column, establishment_id: int | None):
    return column.is_(None) if establishment_id is None else column == establishment_id


# --- Checking rows ---------------------------------------------------------------------------

ROLE_NAMES = {
    WriterRole.PHYSICIAN: ("physician", "doctor", "md", "medecin", "medecin specialiste",
                           "omnipraticien", "resident", "residente"),
    WriterRole.NURSE: ("nurse", "nursing assistant", "nurse or nursing assistant", "infirmiere",
                       "infirmier", "inf", "infirmiere auxiliaire", "infirmier auxiliaire",
                       "infirmiere clinicienne", "infirmier clinicien", "inhalotherapeute",
                       "infirmiere ou infirmiere auxiliaire"),
    WriterRole.PROFESSIONAL: ("professional", "professionnel", "professionnelle",
                              "professionnel de la sante", "pharmacien", "pharmacienne",
                              "physiotherapeute", "ergotherapeute", "travailleur social",
                              "travailleuse sociale", "nutritionniste", "psychologue"),
    WriterRole.CLERK: ("clerk", "administrative staff", "admin", "administratif",
                       "administrative", "personnel administratif", "agent administratif",
                       "agente administrative", "commis", "adjointe administrative",
                       "secretaire", "secretaire medicale"),
    WriterRole.MANAGER: ("manager", "gestionnaire", "cadre", "chef de service", "chef d unite"),
    WriterRole.SUPER_USER: ("super user", "superuser", "super utilisateur", "superutilisateur",
                            "super utilisatrice"),
    WriterRole.OTHER: ("other", "autre", "autres"),
}
ROLE_KEYS = {key(name): role for role, names in ROLE_NAMES.items()
             for name in (*names, role.value)}

KIND_NAMES = {
    FeedbackKind.IMPORT: ("import", "imported", "importe", "importation", "fichier"),
    FeedbackKind.SURVEY: ("survey", "sondage", "questionnaire", "enquete", "formulaire", "form"),
    FeedbackKind.OBSERVATION: ("observation", "observations", "terrain", "field observation"),
}
KIND_KEYS = {key(name): kind for kind, names in KIND_NAMES.items() for name in names}

_PHASE = re.compile(r"^(?:phase\s*|p)?([123])(?:\.0+)?$")
_DAY_FIRST = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")
_YEAR_FIRST_SLASH = re.compile(
    r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")


def parse_moment(value: Cell) -> tuple[datetime, bool] | None:
    """A cell as an aware UTC datetime and whether it held a time of day; None when blank.

    Times without a zone are Québec times. Dates are ISO (2026-05-12, 2026-05-12 14:30,
    2026-05-12T14:30:00-04:00) or day first as French writes them (12/05/2026, 12-05-2026 14h30).
    Raises ValueError for anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment, timed = value, value.time() != time.min
    elif isinstance(value, date):
        moment, timed = datetime.combine(value, time.min), False
    elif isinstance(value, str):
        text = value.strip()
        match = _DAY_FIRST.match(text) or _YEAR_FIRST_SLASH.match(text)
        if match:
            a, b, c, hours, minutes, seconds = match.groups()
            year, month, day = ((int(c), int(b), int(a)) if match.re is _DAY_FIRST
                                else (int(a), int(b), int(c)))
            moment = datetime(year, month, day, int(hours or 0), int(minutes or 0),
                              int(seconds or 0))
            timed = hours is not None
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            timed = len(text) > 10
    else:
        raise ValueError("not a date")
    if moment.year < EARLIEST_YEAR:
        raise ValueError("too old")
    if moment.tzinfo is None:
        if not timed:
            return local_day_start(moment.date()), False
        moment = moment.replace(tzinfo=QUEBEC)
    return moment.astimezone(UTC), timed


@dataclass
class Directory:
    """The establishments, sites and sectors an import may name, looked up by key()."""

    establishments: dict[int, Establishment]
    establishment_keys: dict[str, int]
    sites: dict[tuple[int, str], int]
    sectors_of_site: dict[tuple[int, str], int]
    sectors: dict[tuple[int, str], list[tuple[int, int]]]  # → [(sector id, site id)]


def load_directory(establishment_ids: list[int] | None) -> Directory:
    """Everything the rows may refer to (None: every establishment), detached from the session.

    Inactive sites and sectors count: an import often brings history from before they closed.
    """
    stmt = select(Establishment)
    if establishment_ids is not None:
        stmt = stmt.where(Establishment.id.in_(establishment_ids))
    establishments = {e.id: e for e in db.session.scalars(stmt)}
    directory = Directory(establishments, {}, {}, {}, {})
    for establishment in establishments.values():
        directory.establishment_keys[key(establishment.code)] = establishment.id
        directory.establishment_keys.setdefault(key(establishment.name), establishment.id)
    rows = db.session.execute(
        select(Site.id, Site.establishment_id, Site.name).where(
            Site.establishment_id.in_(list(establishments)))
    )
    for site_id, establishment_id, name in rows:
        directory.sites.setdefault((establishment_id, key(name)), site_id)
    rows = db.session.execute(
        select(Sector.id, Sector.site_id, Site.establishment_id, Sector.code, Sector.name_fr,
               Sector.name_en)
        .join(Site, Site.id == Sector.site_id)
        .where(Site.establishment_id.in_(list(establishments)))
        .order_by(Sector.id)
    )
    for sector_id, site_id, establishment_id, *names in rows:
        for name in {key(n) for n in names}:
            directory.sectors_of_site.setdefault((site_id, name), sector_id)
            found = directory.sectors.setdefault((establishment_id, name), [])
            if (sector_id, site_id) not in found:
                found.append((sector_id, site_id))
    for establishment in establishments.values():
        db.session.expunge(establishment)  # commits in a long run must not expire them
    return directory


@dataclass(frozen=True, slots=True)
class ValidRow:
    line: int
    establishment_id: int
    site_id: int | None
    sector_id: int | None
    role: WriterRole
    phase: int
    created_at: datetime
    text: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reasons: tuple[Reason, ...]
    values: dict[str, str]


def content_hash(establishment_id: int, text: str, *fields: object) -> str:
    """SHA-256 of a row's normalised content and establishment: the same row is stored once."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    payload = "\x1f".join([str(establishment_id), normalised,
                           *("" if value is None else str(value) for value in fields)])
    return hashlib.sha256(payload.encode()).hexdigest()


class RowChecker:
    """Turns a row's cells into a ValidRow, or says why it cannot be imported."""

    def __init__(self, headers: list[str], mapping: dict[str, str], directory: Directory,
                 establishment_id: int | None, now: datetime, *,
                 periods: dict[str, int]) -> None:
        self.columns = {name: headers.index(column) for name, column in mapping.items()
                        if name in FIELDS and column in headers}
        self.directory = directory
        self.establishment_id = establishment_id
        self.now = now
        # A purge at `now` destroys imported feedback created before this moment: such a row
        # must not come back (Law 25), say by importing again an old file after a purge.
        self.expired_before = cutoffs(now, periods).moments[IMPORTED]

    def check(self, line: int, cells: list[Cell]) -> ValidRow | RejectedRow | None:
        """None for a blank row (spreadsheets often end with some)."""
        raw = {name: (cells[i] if i < len(cells) else None) for name, i in self.columns.items()}
        if all(_as_text(value).strip() == "" for value in cells):
            return None
        values = {name: _as_text(value).strip() for name, value in raw.items()}
        reasons: list[Reason] = []

        # Line breaks as one character, as the forms count them; the text itself is kept as is.
        text = values.get("text", "").replace("\r\n", "\n").replace("\r", "\n")
        if not text:
            reasons.append(Reason.MISSING_TEXT)
        elif len(text) > MAX_IMPORT_TEXT_LENGTH:
            reasons.append(Reason.TOO_LONG)

        establishment_id = self._establishment(values.get("establishment", ""))
        site_id = sector_id = None
        if establishment_id is None:
            reasons.append(Reason.UNKNOWN_ESTABLISHMENT)
        else:
            if site_name := values.get("site"):
                site_id = self.directory.sites.get((establishment_id, key(site_name)))
                if site_id is None:
                    reasons.append(Reason.UNKNOWN_SITE)
            if (sector_name := values.get("sector")) and Reason.UNKNOWN_SITE not in reasons:
                sector_id, site_id, problem = self._sector(establishment_id, site_id,
                                                           key(sector_name))
                if problem:
                    reasons.append(problem)

        moment = None
        try:
            parsed = parse_moment(raw.get("date"))
        except (ValueError, OverflowError):
            reasons.append(Reason.BAD_DATE)
        else:
            if parsed is not None:
                moment = parsed[0]
                if moment > self.now + FUTURE_TOLERANCE:
                    reasons.append(Reason.FUTURE_DATE)

        role = WriterRole.OTHER
        if role_name := values.get("role"):
            role = ROLE_KEYS.get(key(role_name))
            if role is None:
                reasons.append(Reason.BAD_ROLE)

        phase = None
        if phase_value := values.get("phase"):
            match = _PHASE.match("".join(phase_value.casefold().split()))
            if match is None:
                reasons.append(Reason.BAD_PHASE)
            else:
                phase = int(match.group(1))

        origin = FeedbackKind.IMPORT
        if kind_name := values.get("kind"):
            origin = KIND_KEYS.get(key(kind_name))
            if origin is None:
                reasons.append(Reason.BAD_KIND)

        # An imported comment is anonymous: like a survey comment, it keeps only its week.
        created_at = local_week_start((moment or self.now).astimezone(QUEBEC).date())
        # What the row would be stored with, compared as purge compares it (a row without a
        # date gets `now`, never expired).
        if moment is not None and created_at < self.expired_before:
            reasons.append(Reason.EXPIRED_DATE)

        if reasons:
            return RejectedRow(line, tuple(reasons), values)

        establishment = self.directory.establishments[establishment_id]
        return ValidRow(
            line=line,
            establishment_id=establishment_id,
            site_id=site_id,
            sector_id=sector_id,
            role=role,
            phase=phase or establishment.phase_on(created_at.astimezone(QUEBEC).date()),
            created_at=created_at,
            text=text,
            # What the file said, not what was inferred (a blank date or phase stays blank), so
            # the same file gives the same hashes whenever it is imported again.
            content_hash=content_hash(establishment_id, text,
                                      moment.isoformat() if moment else "", site_id, sector_id,
                                      role.value, phase, origin.value),
        )

    def _establishment(self, name: str) -> int | None:
        if not name:
            return self.establishment_id
        found = self.directory.establishment_keys.get(key(name))
        if self.establishment_id is not None and found != self.establishment_id:
            return None
        return found

    def _sector(self, establishment_id: int, site_id: int | None,
                name: str) -> tuple[int | None, int | None, Reason | None]:
        if site_id is not None:
            sector_id = self.directory.sectors_of_site.get((site_id, name))
            return sector_id, site_id, None if sector_id else Reason.UNKNOWN_SECTOR
        found = self.directory.sectors.get((establishment_id, name), [])
        if len(found) == 1:
            return found[0][0], found[0][1], None
        return None, None, Reason.AMBIGUOUS_SECTOR if found else Reason.UNKNOWN_SECTOR


# --- The report --------------------------------------------------------------------------------

@dataclass
class Report:
    """What a dry run found, or what a real run did."""

    total: int = 0  # rows read (blank rows aside)
    valid: int = 0  # new rows: to be imported, or imported
    duplicates: int = 0  # already stored, or repeated in the file
    rejected: int = 0
    imported: int = 0
    reasons: Counter = field(default_factory=Counter)
    rejections: list[dict] = field(default_factory=list)  # the first MAX_REPORTED

    def reject(self, row: RejectedRow) -> None:
        self.rejected += 1
        self.reasons.update(reason.value for reason in row.reasons)
        if len(self.rejections) < MAX_REPORTED:
            self.rejections.append({
                "line": row.line,
                "reasons": [reason.value for reason in row.reasons],
                "values": _reported_values(row.values),
            })

    def to_dict(self) -> dict:
        return {"total": self.total, "valid": self.valid, "duplicates": self.duplicates,
                "rejected": self.rejected, "imported": self.imported,
                "reasons": dict(self.reasons), "rejections": self.rejections}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Report":
        data = data or {}
        return cls(total=data.get("total", 0), valid=data.get("valid", 0),
                   duplicates=data.get("duplicates", 0), rejected=data.get("rejected", 0),
                   imported=data.get("imported", 0), reasons=Counter(data.get("reasons", {})),
                   rejections=list(data.get("rejections", [])))


def _reported_values(values: dict[str, str]) -> dict[str, str]:
    """A rejected row as the report keeps it: the text redacted and cut short, like any text."""
    kept = {}
    for name, value in values.items():
        if name == "text":
            value = redact(value[:MAX_IMPORT_TEXT_LENGTH])
            limit = REPORTED_TEXT_LENGTH
        else:
            limit = REPORTED_VALUE_LENGTH
        kept[name] = value if len(value) <= limit else value[: limit - 1] + "…"
    return kept


REJECTED_CSV_COLUMNS = ("line", "reasons", *FIELDS)


def rejected_rows(report: dict) -> Iterator[list[str]]:
    """The rejected rows of a report as CSV records (neutralise before writing them out)."""
    for item in report.get("rejections", []):
        yield [str(item["line"]), " ".join(reason_message(r) for r in item["reasons"]),
               *(item["values"].get(name, "") for name in FIELDS)]


# --- Running ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportSettings:
    mapping: dict[str, str]  # field → column
    establishment_id: int | None  # None: each row names its establishment
    valid_only: bool = False


def dry_run(path: Path, settings: ImportSettings,
            directory: Directory | None = None) -> Report:
    """Check every row and count what would be imported. Writes nothing."""
    return _first_pass(path, settings, directory, stage=None)


Progress = Callable[[int], None]


def run_import(path: Path, settings: ImportSettings, *, batch: int, stage_path: Path,
               progress: Progress | None = None, on_write: Callable[[], None] | None = None,
               directory: Directory | None = None) -> Report:
    """Check, analyse and stage every row, then insert the new ones; the caller commits.

    `batch`: the import's id, kept on its rows, which are cut into anonymity cohorts of their
    own as soon as they are written. Raises RowsRejected (nothing written) when rows are
    rejected and not settings.valid_only.
    """
    try:
        with open(stage_path, "w", encoding="utf-8") as stage:
            report = _first_pass(path, settings, directory, stage=stage, progress=progress)
        if report.rejected and not settings.valid_only:
            raise RowsRejected(report)
        if on_write:
            on_write()
        _write(stage_path, report, batch)
        return report
    finally:
        stage_path.unlink(missing_ok=True)


def _first_pass(path: Path, settings: ImportSettings, directory: Directory | None, *,
                stage: io.TextIOBase | None, progress: Progress | None = None) -> Report:
    if "text" not in settings.mapping:
        raise ImportFileError(_l("Choose the column that holds the text."))
    if settings.establishment_id is None and "establishment" not in settings.mapping:
        raise ImportFileError(_l("Choose the column that names the establishment."))
    if directory is None:
        scope = None if settings.establishment_id is None else [settings.establishment_id]
        directory = load_directory(scope)
    report = Report()
    themes = active_themes() if stage is not None else {}
    analyser = current_analyser(themes) if stage is not None else None
    seen: set[bytes] = set()
    with open_table(path) as table:
        checker = RowChecker(table.headers, settings.mapping, directory,
                             settings.establishment_id, utcnow(),
                             periods=retention_days(current_app.config))
        chunk: list[ValidRow] = []
        for line, cells in table.rows:
            checked = checker.check(line, cells)
            if checked is None:
                continue
            report.total += 1
            if report.total > MAX_ROWS:
                raise ImportFileError(_l("The file has more than %(max)s rows: split it.",
                                         max=f"{MAX_ROWS:,}"))
            if isinstance(checked, RejectedRow):
                report.reject(checked)
            else:
                chunk.append(checked)
                if len(chunk) >= CHUNK_SIZE:
                    _check_chunk(chunk, report, seen, settings, stage, analyser, themes)
                    chunk = []
            if progress and report.total % CHUNK_SIZE == 0:
                progress(report.total)
        _check_chunk(chunk, report, seen, settings, stage, analyser, themes)
    if progress:
        progress(report.total)
    return report


def _check_chunk(chunk: list[ValidRow], report: Report, seen: set[bytes],
                 settings: ImportSettings, stage: io.TextIOBase | None, analyser,
                 themes: dict[str, Theme]) -> None:
    """Count a chunk's duplicates (one query for the chunk), then analyse and stage the rest."""
    if not chunk:
        return
    stored = stored_hashes([row.content_hash for row in chunk])
    # Once a row is rejected, an all-or-nothing run will write nothing: analysing is wasted.
    analyse = stage is not None and (settings.valid_only or not report.rejected)
    lines = []
    for row in chunk:
        digest = bytes.fromhex(row.content_hash)
        if row.content_hash in stored or digest in seen:
            report.duplicates += 1
            continue
        seen.add(digest)
        report.valid += 1
        if analyse:
            lines.append(_staged(row, analyser, themes))
    if lines:
        stage.write("".join(lines))


def stored_hashes(hashes: list[str]) -> set[str]:
    """Which of these content hashes are already stored: one query for a whole chunk."""
    return set(db.session.scalars(select(Feedback.content_hash).where(
        Feedback.content_hash.in_(hashes))))


def _staged(row: ValidRow, analyser, themes: dict[str, Theme]) -> str:
    """One analysed row as a line of the staging file: only the redacted text is written."""
    result = analyser.analyse(row.text)
    return json.dumps([
        row.content_hash, row.establishment_id, row.site_id, row.sector_id, row.role.value,
        row.phase, row.created_at.isoformat(), analysed_columns(result),
        [[theme.id, confidence] for theme, confidence in analysed_themes(result, themes)],
    ], ensure_ascii=False) + "\n"


def _write(stage_path: Path, report: Report, batch: int) -> None:
    """Insert the staged rows chunk by chunk, in the session's transaction.

    The inserts go through the session's connection as plain Core statements (no ORM objects);
    the new rows of finished weeks are then cut into anonymity cohorts, and the summary tables of
    the weeks the rows fall in are recomputed, in the same transaction (as feedback.rollups asks
    of bulk writers).
    """
    # Rows of a week whose live answers are not cut yet join that week's cut (batch 0); rows of
    # weeks already cut form cohorts of their own, cut now, so that the cohorts others saw
    # before this import stay as they were.
    pending_from = local_week_start(anonymity.last_closed_week(utcnow()) + timedelta(days=7))
    weeks: set[tuple[int, date]] = set()
    with open(stage_path, encoding="utf-8") as stage:
        while lines := list(itertools.islice(stage, CHUNK_SIZE)):
            staged = [json.loads(line) for line in lines]
            weeks.update((row[1], rollups.week_of(datetime.fromisoformat(row[6])))
                         for row in staged)
            _insert_chunk(staged, report, batch, pending_from)
    if report.imported:
        anonymity.cut_batch(db.session, batch, current_app.config["ANONYMITY_THRESHOLD"],
                            utcnow())
        # The summary tables of every week the rows fall in (cutting refreshed some already).
        for establishment_id, week in sorted(weeks):
            rollups.rebuild_week(db.session.connection(), establishment_id, week)


def _insert_chunk(staged: list[list], report: Report, batch: int,
                  pending_from: datetime) -> None:
    rows = [
        {"content_hash": h, "ref": new_ref(), "establishment_id": e, "site_id": site,
         "sector_id": sector, "role": role, "phase": phase, "kind": IMPORTED,
         "created_at": (moment := datetime.fromisoformat(created_at)),
         "batch": anonymity.LIVE if moment >= pending_from else batch, **columns}
        for h, e, site, sector, role, phase, created_at, columns, _themes in staged
    ]
    connection = db.session.connection()
    # A concurrent import of the same rows may have stored some since the duplicate check:
    # those are skipped (ON CONFLICT DO NOTHING) and counted as duplicates.
    if connection.dialect.name == "postgresql":
        ids = _insert_feedback_postgresql(connection, rows)
    else:
        table = Feedback.__table__
        stmt = (sqlite.insert(table).on_conflict_do_nothing(index_elements=[table.c.content_hash])
                .returning(table.c.id, table.c.content_hash))
        ids = {content_hash: feedback_id
               for feedback_id, content_hash in connection.execute(stmt, rows)}
    report.imported += len(ids)
    report.duplicates += len(rows) - len(ids)
    report.valid -= len(rows) - len(ids)
    links = [
        {"feedback_id": ids[h], "theme_id": theme_id, "source": ThemeSource.AUTO.value,
         "confidence": confidence}
        for h, *_rest, themes in staged if h in ids
        for theme_id, confidence in themes
    ]
    if links:
        connection.execute(FeedbackTheme.__table__.insert(), links)


def _insert_feedback_postgresql(connection, rows: list[dict]) -> dict[str, int]:
    """The same INSERT … ON CONFLICT DO NOTHING RETURNING, one row a statement, pipelined.

    SQLAlchemy would send a chunk as one statement of some 14,000 parameters, which psycopg takes
    longer to parse than PostgreSQL to run; psycopg's own executemany pipelines one short
    prepared statement instead (three times faster). Same connection, same transaction; values
    go through the columns' own types (UTCDateTime: aware → naive UTC).
    """
    table = Feedback.__table__
    names = list(rows[0])
    converters = [table.c[name].type.bind_processor(connection.dialect) for name in names]
    values = [tuple(convert(row[name]) if convert else row[name]
                    for name, convert in zip(names, converters, strict=True)) for row in rows]
    sql = (f"INSERT INTO feedback ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
           " ON CONFLICT (content_hash) DO NOTHING RETURNING id, content_hash")
    ids: dict[str, int] = {}
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.executemany(sql, values, returning=True)
        while True:
            ids.update((content_hash, feedback_id) for feedback_id, content_hash in cursor)
            if not cursor.nextset():
                break
    return ids


def import_file(path: Path, settings: ImportSettings, *, source: str, filename: str,
                actor: User | None = None) -> tuple[ImportJob, Report]:
    """Import a file in this process (the CLI), recorded as a job; the caller commits.

    Raises RowsRejected (nothing written) when rows are rejected and not settings.valid_only.
    """
    job = ImportJob(establishment_id=settings.establishment_id,
                    user_id=actor.id if actor else None, filename=filename[:255],
                    status=ImportJobStatus.RUNNING, valid_only=settings.valid_only)
    db.session.add(job)
    db.session.flush()  # its id is the batch of its rows
    with tempfile.TemporaryDirectory(prefix="echo-import-") as folder:
        report = run_import(path, settings, batch=job.id,
                            stage_path=Path(folder) / "rows.jsonl")
    now = utcnow()
    job.status = ImportJobStatus.DONE
    job.total_rows = job.processed_rows = report.total
    job.imported, job.duplicates, job.rejected = (report.imported, report.duplicates,
                                                  report.rejected)
    job.created_at = job.finished_at = now
    job.report = {"source": source, "mapping": dict(settings.mapping), **report.to_dict()}
    if source:
        remember_mapping(settings.establishment_id, source, settings.mapping)
    audit.record("import.run", actor=actor, actor_email=actor.email if actor else "cli",
                 establishment_id=settings.establishment_id, target=job,
                 imported=report.imported, duplicates=report.duplicates,
                 rejected=report.rejected, valid_only=settings.valid_only)
    return job, report


# --- Jobs: the web pages' imports, run in the background ------------------------------------

def upload_folder(instance_path: str) -> Path:
    folder = Path(instance_path) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_upload(instance_path: str, save: Callable[[Path], None], extension: str) -> str:
    """Save an uploaded file under a random name in the instance folder; returns that name."""
    name = secrets.token_hex(16) + extension
    save(upload_folder(instance_path) / name)
    return name


def create_job(*, user: User, establishment: Establishment | None, filename: str,
               stored_as: str, source: str, table: Table) -> ImportJob:
    """The job of an uploaded file, waiting for its mapping and confirmation; the caller commits."""
    job = ImportJob(
        establishment_id=establishment.id if establishment else None, user_id=user.id,
        filename=filename.replace("\x00", "")[:255], status=ImportJobStatus.PENDING,
        report={"stored_as": stored_as, "source": source.strip(), "format": table.format,
                "encoding": table.encoding, "delimiter": table.delimiter,
                "headers": table.headers, "mapping": {}},
    )
    db.session.add(job)
    return job


def job_file(instance_path: str, job: ImportJob) -> Path | None:
    name = (job.report or {}).get("stored_as")
    if not name or "/" in name or "\\" in name:
        return None
    path = upload_folder(instance_path) / name
    return path if path.exists() else None


def set_job_mapping(job: ImportJob, mapping: dict[str, str]) -> None:
    job.report = {**(job.report or {}), "mapping": dict(mapping)}
    remember_mapping(job.establishment_id, job.report.get("source", ""), mapping)


def job_settings(job: ImportJob) -> ImportSettings:
    return ImportSettings(mapping=dict((job.report or {}).get("mapping", {})),
                          establishment_id=job.establishment_id, valid_only=job.valid_only)


def check_job(job: ImportJob, instance_path: str) -> Report:
    """Dry-run a job's file with its mapping and keep the report with the job; the caller commits.

    Nothing but the job is written.
    """
    path = job_file(instance_path, job)
    if path is None:
        raise ImportFileError(_l("The uploaded file is no longer available: upload it again."))
    report = dry_run(path, job_settings(job))
    job.report = {**(job.report or {}), "check": report.to_dict()}
    job.total_rows = report.total
    return report


def start_job(job: ImportJob, *, valid_only: bool, total_rows: int) -> bool:
    """Mark a waiting job as running; False if it was not waiting (a second click, say).

    One UPDATE checks and sets the status, so two requests never both start the same job.
    The caller commits, then calls run_in_background.
    """
    started = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status == ImportJobStatus.PENDING)
        .values(status=ImportJobStatus.RUNNING, valid_only=valid_only, total_rows=total_rows,
                processed_rows=0, report={**(job.report or {}), "stage": "checking",
                                          "heartbeat": utcnow().isoformat()})
        .execution_options(synchronize_session="fetch")
    ).rowcount
    return started == 1


RUNNING: dict[int, threading.Thread] = {}  # job id → thread (tests wait for them)


def run_in_background(app: Flask, job_id: int) -> threading.Thread:
    thread = threading.Thread(target=_run_job, args=(app, job_id), name=f"import-{job_id}",
                              daemon=True)
    RUNNING[job_id] = thread
    thread.start()
    return thread


def _run_job(app: Flask, job_id: int) -> None:
    """The body of an import thread: its own app context, hence its own session."""
    with app.app_context():
        try:
            run_job(job_id, app.instance_path)
        finally:
            db.session.remove()
            RUNNING.pop(job_id, None)


def run_job(job_id: int, instance_path: str) -> None:
    """Run a confirmed job to its end, recording progress and outcome; commits."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status is not ImportJobStatus.RUNNING:
        return
    path = job_file(instance_path, job)
    static = dict(job.report or {})
    actor = db.session.get(User, job.user_id) if job.user_id else None
    last = [0.0]

    def progress(processed: int) -> None:
        now = utcnow()
        if now.timestamp() - last[0] < 1 and processed < job.total_rows:
            return
        last[0] = now.timestamp()
        _update_job(job_id, processed_rows=processed,
                    report={**static, "stage": "checking", "heartbeat": now.isoformat()})

    def writing() -> None:
        _update_job(job_id, report={**static, "stage": "writing",
                                    "heartbeat": utcnow().isoformat()})

    outcome: dict = {}
    try:
        if path is None:
            raise ImportFileError(_l("The uploaded file is no longer available: upload it "
                                     "again."))
        report = run_import(path, job_settings(job), batch=job.id, progress=progress,
                            on_write=writing, stage_path=path.with_suffix(".stage"))
    except RowsRejected as rejected:
        db.session.rollback()
        report = rejected.report
        outcome = _outcome(report, ImportJobStatus.FAILED, str(_l(
            "%(n)s rows were rejected, so nothing was imported. Fix them, or import the valid "
            "rows only.", n=f"{report.rejected:,}")))
    except ImportFileError as error:
        db.session.rollback()
        report = Report()
        outcome = _outcome(report, ImportJobStatus.FAILED, str(error))
    except Exception as error:  # the import must end as failed, never stay "running"
        db.session.rollback()
        current_app.logger.error("import job %s failed", job_id, exc_info=error)
        report = Report()
        outcome = _outcome(report, ImportJobStatus.FAILED,
                           str(_l("The import failed and nothing was imported.")))
    else:
        outcome = _outcome(report, ImportJobStatus.DONE, "")
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
    static.pop("stored_as", None)
    static.pop("stage", None)
    static.pop("heartbeat", None)
    db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
        report={**static, **report.to_dict()}, **outcome))
    audit.record("import.run" if outcome["status"] is ImportJobStatus.DONE else "import.failed",
                 actor=actor, establishment_id=job.establishment_id, target=job,
                 imported=report.imported, duplicates=report.duplicates,
                 rejected=report.rejected, valid_only=job.valid_only)
    db.session.commit()  # the imported rows, the job's outcome and the audit entry, together


def _outcome(report: Report, status: ImportJobStatus, error: str) -> dict:
    return {"status": status, "error": error, "processed_rows": report.total,
            "imported": report.imported, "duplicates": report.duplicates,
            "rejected": report.rejected, "finished_at": utcnow()}


def _update_job(job_id: int, **values) -> None:
    """Progress, on a connection of its own: visible at once, whatever the import's transaction."""
    with db.engine.begin() as connection:
        connection.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))


STALE_PENDING = timedelta(days=1)
STALE_RUNNING = timedelta(minutes=30)


def expire_abandoned_jobs(instance_path: str, now: datetime) -> int:
    """Fail jobs left unconfirmed for a day, or whose thread died, and delete their files.

    The caller commits.
    """
    jobs = db.session.scalars(select(ImportJob).where(
        ImportJob.status.in_([ImportJobStatus.PENDING, ImportJobStatus.RUNNING])))
    expired = 0
    for job in jobs:
        heartbeat = (job.report or {}).get("heartbeat")
        last = datetime.fromisoformat(heartbeat) if heartbeat else job.created_at
        limit = STALE_RUNNING if job.status is ImportJobStatus.RUNNING else STALE_PENDING
        if now - last < limit or job.id in RUNNING:
            continue
        discard_job_file(instance_path, job)
        job.status = ImportJobStatus.FAILED
        job.error = str(_l("Abandoned before the end: nothing was imported by this job."))
        job.finished_at = now
        expired += 1
    return expired


def discard_job_file(instance_path: str, job: ImportJob) -> None:
    if (path := job_file(instance_path, job)) is not None:
        path.unlink(missing_ok=True)
        with suppress(OSError):
            path.with_suffix(".stage").unlink(missing_ok=True)
    job.report = {k: v for k, v in (job.report or {}).items() if k != "stored_as"}


def cancel_job(job: ImportJob, instance_path: str, now: datetime) -> None:
    """Drop a job that was never run, and its file; the caller commits."""
    discard_job_file(instance_path, job)
    job.status = ImportJobStatus.FAILED
    job.error = str(_l("Cancelled before it ran: nothing was imported."))
    job.finished_at = now
