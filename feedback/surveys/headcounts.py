"""Staff headcounts per sector, the denominators of response rates: typed in by an admin, or read
from a CSV file (site, sector code, headcount), all rows or none. The caller commits."""

import csv
import io

from flask_babel import gettext as _

from feedback import audit
from feedback.extensions import db
from feedback.models import Establishment, Sector, User

MAX_HEADCOUNT = 100_000
MAX_CSV_BYTES = 512 * 1024
CSV_COLUMNS = ("site", "sector", "headcount")


class HeadcountError(ValueError):
    """A headcount file that cannot be used; the message says where and why, for people."""


def establishment_sectors(establishment: Establishment) -> list[Sector]:
    """The active sectors of the establishment's active sites, by site then name."""
    return [sector for site in establishment.sites if site.active
            for sector in site.sectors if sector.active]


def set_headcounts(actor: User, establishment: Establishment,
                   values: dict[Sector, int | None]) -> int:
    """Store each sector's headcount (None: unknown); returns how many changed. Audited once."""
    changed = 0
    # Totals before → after say the size of a change without listing every sector.
    total_before = sum(sector.headcount or 0 for sector in values)
    for sector, value in values.items():
        if sector.site.establishment_id != establishment.id:
            raise ValueError("a sector of another establishment")
        if sector.headcount != value:
            sector.headcount = value
            changed += 1
    if changed:
        audit.record("sector.headcounts", actor=actor, establishment_id=establishment.id,
                     changed=changed, total_before=total_before,
                     total_after=sum(sector.headcount or 0 for sector in values))
    db.session.flush()
    return changed


def read_headcount_csv(data: bytes, establishment: Establishment) -> dict[Sector, int]:
    """Each row's sector and headcount; any bad row makes the whole file refused, saying where."""
    if len(data) > MAX_CSV_BYTES:
        raise HeadcountError(_("The file is too large for a list of headcounts."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HeadcountError(_("Save the file as CSV in UTF-8.")) from None
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if sorted(header) != sorted(CSV_COLUMNS):
        raise HeadcountError(_("The first line must name the columns %(columns)s.",
                               columns=", ".join(CSV_COLUMNS)))
    reader.fieldnames = header
    by_key: dict[tuple[str, str], Sector] = {
        (sector.site.name.casefold(), sector.code.casefold()): sector
        for site in establishment.sites for sector in site.sectors}
    result: dict[Sector, int] = {}
    for line, row in enumerate(reader, start=2):
        site, code = (row.get("site") or "").strip(), (row.get("sector") or "").strip()
        raw = (row.get("headcount") or "").strip().replace(" ", "").replace("\u00a0", "")
        sector = by_key.get((site.casefold(), code.casefold()))
        if sector is None:
            raise HeadcountError(_("Line %(line)d: no sector %(code)s at site %(site)s.",
                                   line=line, code=code or "—", site=site or "—"))
        if not raw.isdigit() or int(raw) > MAX_HEADCOUNT:
            raise HeadcountError(_("Line %(line)d: the headcount must be a whole number from 0 "
                                   "to %(max)d.", line=line, max=MAX_HEADCOUNT))
        if sector in result:
            raise HeadcountError(_("Line %(line)d: sector %(code)s at site %(site)s is "
                                   "already given above.", line=line, code=code, site=site))
        result[sector] = int(raw)
    if not result:
        raise HeadcountError(_("The file has no headcount."))
    return result

