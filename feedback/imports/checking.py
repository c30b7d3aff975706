"""Checking imported rows: dates, establishments, sites, sectors, roles; the report of what was
rejected and why."""

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from feedback.analysis import MAX_TEXT_LENGTH, redact
from feedback.clock import QUEBEC, local_day_start, local_week_start
from feedback.extensions import db
from feedback.imports.mapping import FIELDS, key
from feedback.imports.reading import Cell, _as_text
from feedback.models import (
    Establishment,
    FeedbackKind,
    Sector,
    Site,
    WriterRole,
)
from feedback.privacy import cutoffs

# Imported rows are stored as this kind, whatever their origin: they follow its retention period.
IMPORTED = FeedbackKind.IMPORT.value


# Longer than any form allows (observations 2,000, survey comments 1,000), well within what the
# pipeline accepts: a text this long in a spreadsheet is more likely a pasted document than a voice.
MAX_IMPORT_TEXT_LENGTH = 5_000
assert MAX_IMPORT_TEXT_LENGTH <= MAX_TEXT_LENGTH


# The report keeps this many rejected rows (every reason is still counted).
MAX_REPORTED = 10_000


REPORTED_TEXT_LENGTH = 300


REPORTED_VALUE_LENGTH = 60


# A date this far ahead of now is a typing mistake (time zones of the sending tool aside).
FUTURE_TOLERANCE = timedelta(days=1)


EARLIEST_YEAR = 2000


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


def reason_message(reason: str, retention: Mapping[str, int]) -> str:
    """A reason in the current language, naming the installation's retention period."""
    values = {"max": format_number(MAX_IMPORT_TEXT_LENGTH),
              "days": format_number(retention[IMPORTED])}
    return str(REASON_MESSAGES[Reason(reason)]) % values


class RowsRejected(Exception):
    """An all-or-nothing run found rejected rows: nothing is written."""

    def __init__(self, report: "Report") -> None:
        super().__init__(f"{report.rejected} rejected rows")
        self.report = report


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


def rejected_rows(report: dict, retention: Mapping[str, int]) -> Iterator[list[str]]:
    """The rejected rows of a report as CSV records (neutralise before writing them out)."""
    for item in report.get("rejections", []):
        yield [str(item["line"]), " ".join(reason_message(r, retention) for r in item["reasons"]),
               *(item["values"].get(name, "") for name in FIELDS)]
