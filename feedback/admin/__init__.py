"""Setting up the network: establishments, sites, sectors, people and themes. The caller commits.

Every change is recorded in the audit trail. Nothing that feedback may point at is ever deleted
once used: it is deactivated, which hides it from forms and keeps it in history. Who may do what
is decided here too (`check_*`), so views and commands cannot forget a rule.
"""

import re
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, select

from feedback import audit
from feedback.clock import local_day_start
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Establishment,
    Feedback,
    Issue,
    Role,
    Sector,
    Site,
    SiteKind,
    SurveyResponse,
    Theme,
    User,
    campaign_sector,
)

# An establishment may raise or lower the network's anonymity threshold only within these bounds.
ANONYMITY_BOUNDS = (3, 50)
ESTABLISHMENT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
MAX_KEYWORDS = 200
MAX_KEYWORD_LENGTH = 80


class AdminError(ValueError):
    """A change breaks a rule of the domain; str() is a translated explanation.

    `field` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# -- Query helpers other areas reuse: what forms may offer ------------------------------------


def active_establishments() -> list[Establishment]:
    return list(db.session.scalars(
        select(Establishment).where(Establishment.active).order_by(Establishment.name)
    ))


def active_sites(establishment_id: int) -> list[Site]:
    """The sites of an establishment that forms may offer, by name."""
    return list(db.session.scalars(
        select(Site).where(Site.establishment_id == establishment_id, Site.active)
        .order_by(Site.name)
    ))


def active_sectors(establishment_id: int, site_id: int | None = None) -> list[Sector]:
    """The sectors forms may offer: active sectors of active sites, by site then French name."""
    stmt = (
        select(Sector).join(Site, Site.id == Sector.site_id)
        .where(Site.establishment_id == establishment_id, Site.active, Sector.active)
        .order_by(Site.name, Sector.name_fr)
    )
    if site_id is not None:
        stmt = stmt.where(Site.id == site_id)
    return list(db.session.scalars(stmt))


def sector_choices(establishment_id: int, locale: str) -> list[tuple[int, str]]:
    """(id, "Sector — site") pairs for a select field."""
    return [(sector.id, sector.label(locale))
            for sector in active_sectors(establishment_id)]


def effective_threshold(establishment: Establishment | None, default: int) -> int:
    """The anonymity threshold that applies to an establishment (its override or the default)."""
    if establishment is None or establishment.anonymity_threshold is None:
        return default
    return establishment.anonymity_threshold


# -- Permissions -----------------------------------------------------------------------------


def may_manage_establishment(actor: User, establishment_id: int) -> bool:
    """Sites and sectors: network admins anywhere, an establishment's admins at home."""
    return actor.has_role(Role.ADMIN) and (
        actor.network_wide or actor.establishment_id == establishment_id
    )


def assignable_roles(actor: User) -> list[Role]:
    """Roles `actor` may give: never above their own."""
    return [role for role in Role if role.rank <= actor.role.rank]


def check_may_manage_user(actor: User, user: User) -> None:
    """Raise PermissionError unless `actor` may change `user` at all."""
    if not actor.has_role(Role.ADMIN):
        raise PermissionError("only admins manage people")
    if actor.network_wide:
        return
    if user.establishment_id != actor.establishment_id or user.role.rank > actor.role.rank:
        raise PermissionError("outside the admin's establishment")


def check_assignment(actor: User, role: Role, establishment: Establishment | None) -> None:
    if role not in assignable_roles(actor):
        raise PermissionError("role above the actor's own")
    if not actor.network_wide and (establishment is None
                                   or establishment.id != actor.establishment_id):
        raise PermissionError("establishment admins keep people in their establishment")


# -- Establishments --------------------------------------------------------------------------


def field_list(names: list[str]) -> str:
    """Changed field names for an audit detail, within its length limit."""
    text = ",".join(names)
    return text if len(text) <= 120 else text[:116].rsplit(",", 1)[0] + ",..."


def _scalar(value: object) -> str | int | None:
    return value.isoformat() if isinstance(value, date) else value  # type: ignore[return-value]


def changed_fields(obj: object, values: dict) -> list[str]:
    """Set the attributes that differ; return their names (for the audit trail)."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _check_establishment(code: str, phase2_day: int, phase3_day: int,
                         anonymity_threshold: int | None, current: Establishment | None) -> None:
    if not ESTABLISHMENT_CODE.match(code):
        raise AdminError(_("Use 2 to 20 capital letters, digits or hyphens."), "code")
    taken = select(Establishment.id).where(Establishment.code == code)
    if current is not None:
        taken = taken.where(Establishment.id != current.id)
    if db.session.scalar(taken) is not None:
        raise AdminError(_("Another establishment already uses this code."), "code")
    if not 0 < phase2_day < phase3_day:
        raise AdminError(_("Phase 3 must begin after phase 2, and phase 2 after go-live."),
                         "phase3_day")
    low, high = ANONYMITY_BOUNDS
    if anonymity_threshold is not None and not low <= anonymity_threshold <= high:
        raise AdminError(_("The threshold must be between %(low)d and %(high)d.",
                           low=low, high=high), "anonymity_threshold")


def create_establishment(
    actor: User, *, name: str, code: str, go_live: date, phase2_day: int = 14,
    phase3_day: int = 60, anonymity_threshold: int | None = None,
) -> Establishment:
    code = code.strip().upper()
    _check_establishment(code, phase2_day, phase3_day, anonymity_threshold, None)
    establishment = Establishment(
        name=name.strip(), code=code, go_live=go_live, phase2_day=phase2_day,
        phase3_day=phase3_day, anonymity_threshold=anonymity_threshold,
    )
    db.session.add(establishment)
    db.session.flush()
    audit.record("establishment.created", actor=actor, establishment_id=establishment.id,
                 target=establishment, code=code)
    return establishment


def update_establishment(
    actor: User, establishment: Establishment, *, name: str, code: str, go_live: date,
    phase2_day: int, phase3_day: int, anonymity_threshold: int | None,
) -> list[str]:
    code = code.strip().upper()
    _check_establishment(code, phase2_day, phase3_day, anonymity_threshold, establishment)
    settings = ("code", "go_live", "phase2_day", "phase3_day", "anonymity_threshold")
    before = {name: getattr(establishment, name) for name in settings}
    changed = changed_fields(establishment, {
        "name": name.strip(), "code": code, "go_live": go_live, "phase2_day": phase2_day,
        "phase3_day": phase3_day, "anonymity_threshold": anonymity_threshold,
    })
    if changed:
        details: dict = {"fields": field_list(changed)}
        # Settings read before → after; the name is listed in "fields" only.
        for setting in (name for name in settings if name in changed):
            details[f"{setting}_before"] = _scalar(before[setting])
            details[f"{setting}_after"] = _scalar(getattr(establishment, setting))
        audit.record("establishment.updated", actor=actor, establishment_id=establishment.id,
                     target=establishment, **details)
    return changed


def set_establishment_active(actor: User, establishment: Establishment, active: bool) -> None:
    if establishment.active == active:
        return
    establishment.active = active
    audit.record("establishment.reactivated" if active else "establishment.deactivated",
                 actor=actor, establishment_id=establishment.id, target=establishment)


# -- Sites and sectors -----------------------------------------------------------------------


def create_site(actor: User, establishment: Establishment, *, name: str, kind: SiteKind) -> Site:
    site = Site(establishment=establishment, name=name.strip(), kind=kind)
    db.session.add(site)
    db.session.flush()
    audit.record("site.created", actor=actor, establishment_id=establishment.id, target=site)
    return site


def update_site(actor: User, site: Site, *, name: str, kind: SiteKind) -> list[str]:
    changed = changed_fields(site, {"name": name.strip(), "kind": kind})
    if changed:
        audit.record("site.updated", actor=actor, establishment_id=site.establishment_id,
                     target=site, fields=field_list(changed))
    return changed


def set_site_active(actor: User, site: Site, active: bool) -> None:
    """Hide or show a site; its sectors keep their own state and come back with it."""
    if site.active == active:
        return
    site.active = active
    audit.record("site.reactivated" if active else "site.deactivated", actor=actor,
                 establishment_id=site.establishment_id, target=site)


def site_in_use(site: Site) -> bool:
    """Whether anything points at the site (then it can only be deactivated)."""
    return bool(
        db.session.scalar(select(exists().where(Sector.site_id == site.id)))
        or db.session.scalar(select(exists().where(Feedback.site_id == site.id)))
    )


def delete_site(actor: User, site: Site) -> None:
    """Remove a site created by mistake; refused once it has sectors or feedback."""
    if site_in_use(site):
        raise AdminError(_("This site has sectors or feedback: deactivate it instead."))
    audit.record("site.deleted", actor=actor, establishment_id=site.establishment_id, target=site)
    db.session.delete(site)
    db.session.flush()


def _check_sector_code(site: Site, code: str, current: Sector | None) -> None:
    if not SLUG.match(code):
        raise AdminError(_("Use 2 to 40 lowercase letters, digits, hyphens or underscores."),
                         "code")
    taken = select(Sector.id).where(Sector.site_id == site.id, Sector.code == code)
    if current is not None:
        taken = taken.where(Sector.id != current.id)
    if db.session.scalar(taken) is not None:
        raise AdminError(_("This site already has a sector with this code."), "code")


def create_sector(actor: User, site: Site, *, code: str, name_fr: str, name_en: str) -> Sector:
    code = code.strip().lower()
    _check_sector_code(site, code, None)
    sector = Sector(site=site, code=code, name_fr=name_fr.strip(), name_en=name_en.strip())
    db.session.add(sector)
    db.session.flush()
    audit.record("sector.created", actor=actor, establishment_id=site.establishment_id,
                 target=sector, code=code)
    return sector


def update_sector(actor: User, sector: Sector, *, code: str, name_fr: str,
                  name_en: str) -> list[str]:
    code = code.strip().lower()
    _check_sector_code(sector.site, code, sector)
    changed = changed_fields(sector, {"code": code, "name_fr": name_fr.strip(),
                                "name_en": name_en.strip()})
    if changed:
        audit.record("sector.updated", actor=actor, establishment_id=sector.site.establishment_id,
                     target=sector, fields=field_list(changed))
    return changed


def set_sector_active(actor: User, sector: Sector, active: bool) -> None:
    if sector.active == active:
        return
    sector.active = active
    audit.record("sector.reactivated" if active else "sector.deactivated", actor=actor,
                 establishment_id=sector.site.establishment_id, target=sector)


def sector_in_use(sector: Sector) -> bool:
    """Whether feedback, a survey response, an issue or a campaign points at the sector."""
    return any(
        db.session.scalar(select(exists().where(column == sector.id)))
        for column in (Feedback.sector_id, SurveyResponse.sector_id, Issue.sector_id,
                       campaign_sector.c.sector_id)
    )


def delete_sector(actor: User, sector: Sector) -> None:
    """Remove a sector created by mistake; refused once anything points at it."""
    if sector_in_use(sector):
        raise AdminError(_("This sector has history: deactivate it instead."))
    audit.record("sector.deleted", actor=actor, establishment_id=sector.site.establishment_id,
                 target=sector, code=sector.code)
    db.session.delete(sector)
    db.session.flush()


# -- People ----------------------------------------------------------------------------------


# -- Themes ----------------------------------------------------------------------------------


def normalise_keywords(text: str) -> str:
    """One keyword or phrase a line: trimmed, single-spaced, without blanks or repeats."""
    seen: dict[str, str] = {}
    for line in text.splitlines():
        keyword = " ".join(line.split())
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    keywords = list(seen.values())
    if len(keywords) > MAX_KEYWORDS:
        raise AdminError(_("Keep to %(max)d keywords or phrases.", max=MAX_KEYWORDS), "keywords")
    if any(len(keyword) > MAX_KEYWORD_LENGTH for keyword in keywords):
        raise AdminError(_("Keep each keyword or phrase under %(max)d characters.",
                           max=MAX_KEYWORD_LENGTH), "keywords")
    return "\n".join(keywords)


def keyword_count(keywords: str) -> int:
    return sum(1 for line in keywords.splitlines() if line.strip())


def create_theme(
    actor: User, *, code: str, name_fr: str, name_en: str, description_fr: str = "",
    description_en: str = "", keywords: str = "",
) -> Theme:
    """Add a theme; its keywords apply to new feedback at once (see tagging.current_analyser)."""
    code = code.strip().lower()
    if not SLUG.match(code):
        raise AdminError(_("Use 2 to 40 lowercase letters, digits, hyphens or underscores."),
                         "code")
    if db.session.scalar(select(Theme.id).where(Theme.code == code)) is not None:
        raise AdminError(_("Another theme already uses this code."), "code")
    theme = Theme(code=code, name_fr=name_fr.strip(), name_en=name_en.strip(),
                  description_fr=description_fr.strip(), description_en=description_en.strip(),
                  keywords=normalise_keywords(keywords))
    db.session.add(theme)
    db.session.flush()
    audit.record("theme.created", actor=actor, target=theme, code=code,
                 keywords=keyword_count(theme.keywords))
    return theme


def update_theme(
    actor: User, theme: Theme, *, name_fr: str, name_en: str, description_fr: str,
    description_en: str, keywords: str,
) -> list[str]:
    keywords_before = keyword_count(theme.keywords)
    names_before = {"name_fr": theme.name_fr, "name_en": theme.name_en}
    changed = changed_fields(theme, {
        "name_fr": name_fr.strip(), "name_en": name_en.strip(),
        "description_fr": description_fr.strip(), "description_en": description_en.strip(),
        "keywords": normalise_keywords(keywords),
    })
    if changed:
        audit.record("theme.updated", actor=actor, target=theme, code=theme.code,
                     fields=field_list(changed), keywords=keyword_count(theme.keywords),
                     keywords_before=keywords_before,
                     keywords_after=keyword_count(theme.keywords),
                     # A theme's name is a label of the interface, not something people wrote.
                     **{f"{name}_{when}": value for name in names_before if name in changed
                        for when, value in (("before", names_before[name]),
                                            ("after", getattr(theme, name)))})
    return changed


def set_theme_active(actor: User, theme: Theme, active: bool) -> None:
    """A deactivated theme is no longer given to new feedback; stored tags stay."""
    if theme.active == active:
        return
    theme.active = active
    audit.record("theme.reactivated" if active else "theme.deactivated", actor=actor,
                 target=theme, code=theme.code)


# -- Audit trail -----------------------------------------------------------------------------


def find_audit_entries(
    *, action: str | None = None, actor: str | None = None, establishment_id: int | None = None,
    network_only: bool = False, since: date | None = None, until: date | None = None,
) -> Select:
    """Audit entries, newest first, filtered; `since` and `until` are Québec days, inclusive."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor:
        stmt = stmt.where(func.lower(AuditEntry.actor_email).contains(actor.lower(),
                                                                      autoescape=True))
    if network_only:
        stmt = stmt.where(AuditEntry.establishment_id.is_(None))
    elif establishment_id is not None:
        stmt = stmt.where(AuditEntry.establishment_id == establishment_id)
    if since:
        stmt = stmt.where(AuditEntry.at >= local_day_start(since))
    if until:
        stmt = stmt.where(AuditEntry.at < local_day_start(until + timedelta(days=1)))
    return stmt


# -- Effective settings ----------------------------------------------------------------------


