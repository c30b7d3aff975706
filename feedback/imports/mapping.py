"""Which column holds which field: suggested from the headers, remembered per source."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import (
    ImportMapping,
)

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
