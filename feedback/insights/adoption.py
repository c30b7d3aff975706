"""The EHR's adoption indicators, imported per establishment and week from a CSV an admin uploads.

The file is read whole and checked line by line before anything is written: a file with one bad
line stores nothing, and says what is wrong on which line. Importing the same file twice gives
the same rows; a line for a week already imported replaces that week.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from feedback import audit
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights.rollups import monday
from feedback.models import AdoptionWeek, Establishment, User

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
COLUMNS = ("establishment", "week", "users_connected", "users_total", "physician_orders_pct",
           "secure_chats_per_day", "tickets_received", "tickets_resolved")
INDICATORS = COLUMNS[2:]
# Column names as an EHR report or a French spreadsheet may write them.
ALIASES = {
    "etablissement": "establishment", "établissement": "establishment",
    "semaine": "week", "week_of": "week",
    "utilisateurs_connectes": "users_connected", "utilisateurs_connectés": "users_connected",
    "utilisateurs_total": "users_total", "utilisateurs_totaux": "users_total",
    "ordonnances_medecins_pct": "physician_orders_pct",
    "ordonnances_médecins_pct": "physician_orders_pct",
    "clavardages_par_jour": "secure_chats_per_day",
    "billets_recus": "tickets_received", "billets_reçus": "tickets_received",
    "billets_resolus": "tickets_resolved", "billets_résolus": "tickets_resolved",
}
TEMPLATE = ("establishment,week,users_connected,users_total,physician_orders_pct,"
            "secure_chats_per_day,tickets_received,tickets_resolved\n"
            "MCQ,2026-05-11,4210,5120,72.5,1830,640,590\n")


@dataclass
class AdoptionImport:
    """What a file holds: its valid weeks, or the errors of its bad lines."""

    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    created: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _number(text: str, *, integer: bool) -> float | int | None:
    text = text.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a French decimal comma
    value = float(text)
    if integer:
        if not value.is_integer():
            raise ValueError
        return int(value)
    return value


def read_adoption_csv(content: bytes, allowed: dict[str, Establishment],
                      today: date) -> AdoptionImport:
    """Check a CSV of adoption indicators; `allowed`: the establishments (by code) the admin
    may import for."""
    result = AdoptionImport()
    if len(content) > MAX_BYTES:
        result.errors.append((0, _("The file is larger than 2 MB.")))
        return result
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            result.errors.append((0, _("The file is not a text file in UTF-8.")))
            return result
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        result.errors.append((1, _("The file is empty.")))
        return result
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in ("establishment", "week") if c not in names]
    if missing:
        result.errors.append((1, _("Missing column(s): %(columns)s. Expected: %(expected)s.",
                                   columns=", ".join(missing), expected=", ".join(COLUMNS))))
        return result
    unknown = [h for h, n in zip(header, names, strict=True) if n not in COLUMNS]
    if unknown:
        result.errors.append((1, _("Unknown column(s): %(columns)s. Expected: %(expected)s.",
                                   columns=", ".join(unknown), expected=", ".join(COLUMNS))))
        return result
    seen: dict[tuple[str, date], int] = {}
    for line, values in enumerate(reader, start=2):
        if line > MAX_LINES + 1:
            result.errors.append((line, _("The file has more than %(num)d lines.",
                                          num=MAX_LINES)))
            break
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            result.errors.append((line, _("This line has %(found)d values; the header has "
                                          "%(expected)d.", found=len(values),
                                          expected=len(names))))
            continue
        cells = dict(zip(names, values, strict=True))
        problems = []
        code = cells["establishment"].strip()
        establishment = allowed.get(code.upper())
        if establishment is None:
            problems.append(_("unknown establishment “%(code)s” (or not yours)", code=code))
        try:
            day = date.fromisoformat(cells["week"].strip())
        except ValueError:
            problems.append(_("the week must be a date written YYYY-MM-DD"))
            day = None
        if day and day > today:
            problems.append(_("the week is in the future"))
        row: dict = {}
        for name in INDICATORS:
            if name not in cells:
                row[name] = None
                continue
            try:
                value = _number(cells[name], integer=name not in (
                    "physician_orders_pct", "secure_chats_per_day"))
            except ValueError:
                problems.append(_("%(column)s must be a number", column=name))
                continue
            if value is not None and value < 0:
                problems.append(_("%(column)s cannot be negative", column=name))
            row[name] = value
        pct = row.get("physician_orders_pct")
        if pct is not None and pct > 100:
            problems.append(_("physician_orders_pct is a percentage, from 0 to 100"))
        connected, total = row.get("users_connected"), row.get("users_total")
        if connected is not None and total is not None and connected > total:
            problems.append(_("users_connected cannot exceed users_total"))
        if all(row.get(name) is None for name in INDICATORS) and not problems:
            problems.append(_("no indicator given"))
        if establishment and day:
            key = (establishment.code, monday(day))
            if key in seen:
                problems.append(_("the same week as line %(line)d", line=seen[key]))
            else:
                seen[key] = line
        if problems:
            result.errors.append((line, "; ".join(problems)))
            continue
        result.rows.append({"establishment_id": establishment.id, "week": monday(day),
                            **row})
    if not result.rows and not result.errors:
        result.errors.append((1, _("The file holds no line of figures.")))
    return result


def store_adoption(result: AdoptionImport, *, actor: User, source: str) -> AdoptionImport:
    """Write a checked file's weeks (new, or replacing the same weeks); the caller commits."""
    if not result.ok:
        raise ValueError("only a file without errors is stored")
    now = utcnow()
    for row in result.rows:
        week = db.session.get(AdoptionWeek, (row["establishment_id"], row["week"]))
        values = {name: row[name] for name in INDICATORS}
        pct = values.pop("physician_orders_pct")
        values["physician_order_share"] = pct / 100 if pct is not None else None
        if week is None:
            db.session.add(AdoptionWeek(
                establishment_id=row["establishment_id"], week=row["week"], source=source,
                imported_by_id=actor.id, imported_at=now, **values))
            result.created += 1
            continue
        if all(_same(getattr(week, name), value) for name, value in values.items()):
            result.unchanged += 1
            continue
        for name, value in values.items():
            setattr(week, name, value)
        week.source, week.imported_by_id, week.imported_at = source, actor.id, now
        result.replaced += 1
    db.session.flush()
    for establishment_id in sorted({row["establishment_id"] for row in result.rows}):
        weeks = [row["week"] for row in result.rows if row["establishment_id"] == establishment_id]
        audit.record("adoption.import", actor=actor, establishment_id=establishment_id,
                     source=source[:200], weeks=len(weeks), first=min(weeks).isoformat(),
                     last=max(weeks).isoformat(), created=result.created,
                     replaced=result.replaced)
    return result


def _same(stored, value) -> bool:
    if stored is None or value is None:
        return stored is value
    return abs(float(stored) - float(value)) < 1e-9


def adoption_weeks(establishment_id: int, first_week: date,
                   last_week: date) -> dict[date, AdoptionWeek]:
    """The imported weeks of an establishment within a period, by Monday."""
    return {row.week: row for row in db.session.scalars(
        select(AdoptionWeek).where(AdoptionWeek.establishment_id == establishment_id,
                                   AdoptionWeek.week.between(first_week, last_week)))}


def recent_adoption(establishment_ids: list[int], limit: int = 60) -> list[AdoptionWeek]:
    return list(db.session.scalars(
        select(AdoptionWeek).where(AdoptionWeek.establishment_id.in_(establishment_ids))
        .order_by(AdoptionWeek.week.desc(), AdoptionWeek.establishment_id).limit(limit)))

