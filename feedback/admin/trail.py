"""The audit trail in words: actions, fields and the ids they hold, named at display time."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from feedback.extensions import db
from feedback.issues import PRIORITY_LABELS, STATUS_LABELS
from feedback.labels import ACCOUNT_ROLE_LABELS, KIND_LABELS
from feedback.models import AuditEntry, Campaign, Establishment, Issue, Sector, Theme, User

# Readable names of the audit trail's actions; an action missing here is spelled out from its code.
ACTION_LABELS = {
    "login.success": _l("Signed in"),
    "login.failure": _l("Failed sign-in"),
    "login.sso": _l("Signed in through an identity provider"),
    "login.sso_refused": _l("Sign-in through an identity provider refused"),
    "login.sso_access_requested": _l("Account asked for after signing in through a provider"),
    "sso.provider_created": _l("Identity provider added"),
    "sso.provider_updated": _l("Identity provider changed"),
    "sso.provider_deleted": _l("Identity provider deleted"),
    "sso.identity_untied": _l("Account untied from the identity provider"),
    "user.created": _l("Account created"),
    "user.updated": _l("Account details changed"),
    "user.role_changed": _l("Role changed"),
    "user.establishment_changed": _l("Establishment of an account changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.reset_issued": _l("Password link issued"),
    "user.reset_mail_failed": _l("Password link could not be e-mailed"),
    "user.reset_used": _l("Password set through a link"),
    "user.password_changed": _l("Own password changed"),
    "user.signed_out_everywhere": _l("Signed out on every device"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "establishment.created": _l("Establishment created"),
    "establishment.updated": _l("Establishment changed"),
    "establishment.deactivated": _l("Establishment deactivated"),
    "establishment.reactivated": _l("Establishment reactivated"),
    "establishment.schedule": _l("Measurement schedule changed"),
    "sector.headcounts": _l("Staff headcounts changed"),
    "site.created": _l("Site created"),
    "site.updated": _l("Site changed"),
    "site.deactivated": _l("Site deactivated"),
    "site.reactivated": _l("Site reactivated"),
    "site.deleted": _l("Site deleted"),
    "sector.created": _l("Sector created"),
    "sector.updated": _l("Sector changed"),
    "sector.deactivated": _l("Sector deactivated"),
    "sector.reactivated": _l("Sector reactivated"),
    "sector.deleted": _l("Sector deleted"),
    "theme.created": _l("Theme created"),
    "theme.updated": _l("Theme changed"),
    "theme.deactivated": _l("Theme deactivated"),
    "theme.reactivated": _l("Theme reactivated"),
    "campaign.created": _l("Campaign created"),
    "campaign.updated": _l("Campaign changed"),
    "campaign.closed": _l("Campaign closed"),
    "campaign.reopened": _l("Campaign reopened"),
    "campaign.duplicated": _l("Campaign duplicated as the next pulse"),
    "campaign.questions": _l("Campaign questions changed"),
    "incident.created": _l("Incident recorded"),
    "incident.updated": _l("Incident updated"),
    "incident.deleted": _l("Incident deleted"),
    "followup.handled": _l("Follow-up contact handled"),
    "followup.reopened": _l("Follow-up contact reopened"),
    "followup.deleted": _l("Follow-up contact deleted"),
    "issue.create": _l("Issue created"),
    "issue.update": _l("Issue changed"),
    "issue.status": _l("Issue status changed"),
    "issue.attach": _l("Feedback added to an issue"),
    "issue.detach": _l("Feedback taken out of an issue"),
    "issue.request": _l("Issue requested from an observation"),
    "feedback.retheme": _l("Themes of a feedback corrected"),
    "learning.created": _l("Learning written"),
    "learning.updated": _l("Learning changed"),
    "learning.publish": _l("Learning published"),
    "learning.unpublish": _l("Learning withdrawn"),
    "report.note": _l("Report note written"),
    "export.download": _l("Data exported"),
    "import.run": _l("Comments imported"),
    "import.failed": _l("Comment import failed"),
    "sla.updated": _l("Service levels of the command centre changed"),
    "webhook.updated": _l("Teams/Slack webhook of an establishment set"),
    "webhook.removed": _l("Teams/Slack webhook of an establishment removed"),
    "notification.failed": _l("Notification could not be sent after its retries"),
    "audit.exported": _l("Audit trail exported"),
    "retention.purge": _l("Retention purge run"),
    "adoption.import": _l("EHR adoption indicators imported"),
    "summaries.repaired": _l("Summary tables repaired"),
}

# Words for the keys of an entry's details (and for the attribute names "fields" lists).
FIELD_LABELS = {
    "owner_id": _l("Owner"),
    "priority": _l("Priority"),
    "status": _l("Status"),
    "previous": _l("Status before"),
    "to": _l("Status after"),
    "duplicate_of": _l("Duplicate of"),
    "feedback": _l("Feedback"),
    "moved_from": _l("Moved from issue"),
    "issues": _l("Issues"),
    "themes": _l("Themes"),
    "role": _l("Role"),
    "role_change": _l("Role"),
    "establishment_change": _l("Establishment"),
    "establishment": _l("Establishment"),
    "establishment_id": _l("Establishment"),
    "fields": _l("Fields changed"),
    "code": _l("Code"),
    "name": _l("Name"),
    "name_fr": _l("Name (French)"),
    "name_en": _l("Name (English)"),
    "description_fr": _l("Description (French)"),
    "description_en": _l("Description (English)"),
    "keywords": _l("Keywords"),
    "email": _l("E-mail"),
    "locale": _l("Language"),
    "go_live": _l("Go-live date"),
    "phase2_day": _l("First day of phase 2"),
    "phase3_day": _l("First day of phase 3"),
    "anonymity_threshold": _l("Anonymity threshold"),
    "threshold": _l("Anonymity threshold"),
    "kind": _l("Kind"),
    "title_fr": _l("Title (French)"),
    "title_en": _l("Title (English)"),
    "intro_fr": _l("Introduction (French)"),
    "intro_en": _l("Introduction (English)"),
    "opens_on": _l("Opens on"),
    "closes_on": _l("Closes on"),
    "sectors": _l("Sectors"),
    "closed": _l("Closed"),
    "campaign": _l("Campaign"),
    "copy_of": _l("Copy of campaign"),
    "items": _l("Statements"),
    "recommend": _l("Recommendation question"),
    "comment": _l("Comment question"),
    "table": _l("Table"),
    "format": _l("Format"),
    "start": _l("From"),
    "end": _l("To"),
    "since": _l("From"),
    "until": _l("To"),
    "first": _l("First week"),
    "last": _l("Last week"),
    "week": _l("Week"),
    "weeks": _l("Weeks"),
    "rows": _l("Rows"),
    "count": _l("Count"),
    "created": _l("Created"),
    "replaced": _l("Replaced"),
    "imported": _l("Imported"),
    "rejected": _l("Rejected"),
    "duplicates": _l("Duplicates"),
    "valid_only": _l("Valid rows only"),
    "source": _l("Source"),
    "job": _l("Run"),
    "days": _l("Days"),
    "every_months": _l("Every (months)"),
    "changed": _l("Changed"),
    "themes_change": _l("Themes"),
    "channel": _l("Channel"),
    "attempts": _l("Attempts"),
    "reason": _l("Reason"),
    "provider": _l("Identity provider"),
    "issuer": _l("Issuer"),
    "client_id": _l("Client id"),
    "secret_changed": _l("Secret changed"),
    "enabled": _l("Enabled"),
    "host": _l("Host"),
    "prefix": _l("Prefix"),
    "sessions": _l("Sessions"),
    "serious_risk": _l("Serious risk of injury"),
    "filter_action": _l("Action filter"),
    "filter_establishment": _l("Establishment filter"),
    "anonymous": _l("Anonymous"),
    "period_start": _l("Period start"),
    "period_end": _l("Period end"),
    "active": _l("Active"),
    "total": _l("Total"),
    "P1": _l("P1 (acknowledge/resolve)"),
    "P2": _l("P2 (acknowledge/resolve)"),
    "P3": _l("P3 (acknowledge/resolve)"),
}

# Details that hold the id of something with a name: the kind names the table to read it from.
ID_KINDS = {
    "owner_id": "user", "user_id": "user",
    "establishment": "establishment", "establishment_id": "establishment",
    "filter_establishment": "establishment",
    "from_establishment": "establishment", "to_establishment": "establishment",
    "sector_id": "sector", "theme_id": "theme",
    "duplicate_of": "issue", "moved_from": "issue", "issue_id": "issue",
    "campaign": "campaign", "copy_of": "campaign",
}

# Codes shown through the label dictionaries the rest of the interface uses.
_CODE_LABELS = {
    "priority": {p.value: label for p, label in PRIORITY_LABELS.items()},
    "status": {s.value: label for s, label in STATUS_LABELS.items()},
    "previous": {s.value: label for s, label in STATUS_LABELS.items()},
    "to": {s.value: label for s, label in STATUS_LABELS.items()},
    "role": ACCOUNT_ROLE_LABELS,
    "from_role": ACCOUNT_ROLE_LABELS,
    "to_role": ACCOUNT_ROLE_LABELS,
    "kind": KIND_LABELS,
}

# Pairs written as two details, shown as one "before → after".
_PAIRS = (("from_role", "to_role", "role"),
          ("from_establishment", "to_establishment", "establishment"),
          ("previous", "to", "status"))


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else _spelled(action.replace(".", " "))


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else _spelled(key)


def _spelled(code: str) -> str:
    """An unknown code made readable: "owner_id" → "Owner id"."""
    text = code.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else code


@dataclass(frozen=True)
class Names:
    """The names of everything a page of entries refers to, read in one query per kind."""

    by_kind: dict[str, dict[int, str]]

    def of(self, kind: str, value: object) -> str | None:
        try:
            return self.by_kind.get(kind, {}).get(int(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None


def _ids(value: object) -> Iterable[int]:
    if isinstance(value, bool):
        return ()
    if isinstance(value, int):
        return (value,)
    if isinstance(value, str) and value.isdigit():
        return (int(value),)
    return ()


def names_for(entries: Iterable[AuditEntry], locale: str) -> Names:
    wanted: dict[str, set[int]] = {kind: set() for kind in set(ID_KINDS.values())}
    for entry in entries:
        if entry.actor_id is not None:
            wanted["user"].add(entry.actor_id)
        if entry.establishment_id is not None:
            wanted["establishment"].add(entry.establishment_id)
        for key, value in (entry.details or {}).items():
            kind = ID_KINDS.get(key) or ID_KINDS.get(key.removesuffix("_before")
                                                     .removesuffix("_after"))
            if kind:
                wanted[kind].update(_ids(value))
    en = locale == "en"
    columns = {
        "user": (User.id, User.name),
        "establishment": (Establishment.id, Establishment.name),
        "sector": (Sector.id, Sector.name_en if en else Sector.name_fr),
        "theme": (Theme.id, Theme.name_en if en else Theme.name_fr),
        "issue": (Issue.id, Issue.id),
        "campaign": (Campaign.id, Campaign.title_en if en else Campaign.title_fr),
    }
    by_kind: dict[str, dict[int, str]] = {}
    for kind, ids in wanted.items():
        if not ids:
            continue
        key, name = columns[kind]
        rows = db.session.execute(select(key, name).where(key.in_(ids))).all()
        by_kind[kind] = {row[0]: (f"#{row[1]}" if kind == "issue" else str(row[1]))
                         for row in rows}
    return Names(by_kind)


def value_text(key: str, value: object, names: Names) -> str:
    """One detail's value in words: a name for an id, a label for a code, yes/no, a list."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    kind = ID_KINDS.get(key)
    if kind:
        return names.of(kind, value) or _("#%(id)s (no longer exists)", id=value)
    labels = _CODE_LABELS.get(key)
    if labels is not None and value in labels:
        return str(labels[value])
    if key == "fields" and isinstance(value, str):
        return ", ".join(field_label(name) if name != "..." else "…"
                         for name in value.split(","))
    return str(value)


def details_items(details: dict | None, names: Names) -> list[tuple[str, str]]:
    """An entry's details as (label, words) pairs; before/after pairs read as one change."""
    details = dict(details or {})
    items: list[tuple[str, str]] = []
    for before_key, after_key, label_key in _PAIRS:
        if before_key in details and after_key in details:
            before, after = details.pop(before_key), details.pop(after_key)
            code_key = label_key if label_key != "establishment" else before_key
            items.append((field_label(label_key),
                          f"{value_text(code_key, before, names)} → "
                          f"{value_text(code_key, after, names)}"))
    for key in sorted(details):
        if key.endswith("_before") and (base := key.removesuffix("_before")) + "_after" in details:
            items.append((field_label(base),
                          f"{value_text(base, details[key], names)} → "
                          f"{value_text(base, details[base + '_after'], names)}"))
        elif key.endswith("_after") and key.removesuffix("_after") + "_before" in details:
            continue
        elif f"{key}_before" in details and f"{key}_after" in details:
            continue  # the before → after pair says it
        elif details[key] is None:
            continue  # an empty detail ("duplicate of: nothing") says nothing
        else:
            items.append((field_label(key), value_text(key, details[key], names)))
    return items


def details_text(details: dict | None, names: Names) -> str:
    return "; ".join(_("%(label)s: %(value)s", label=label, value=value)
                     for label, value in details_items(details, names))


def actor_text(entry: AuditEntry, names: Names) -> str:
    """The person who acted by name (with the address kept at the time), else the system."""
    name = names.of("user", entry.actor_id) if entry.actor_id is not None else None
    if name and entry.actor_email:
        return f"{name} ({entry.actor_email})"
    return name or entry.actor_email or _("System")


def establishment_text(entry: AuditEntry, names: Names) -> str:
    return names.of("establishment", entry.establishment_id) or ""


TARGET_LABELS = {
    "user": _l("Account"), "establishment": _l("Establishment"), "site": _l("Site"),
    "sector": _l("Sector"), "theme": _l("Theme"), "campaign": _l("Campaign"),
    "issue": _l("Issue"), "feedback": _l("Feedback"), "incident": _l("Incident"),
    "learning": _l("Learning"), "followupcontact": _l("Follow-up contact"),
    "ssoprovider": _l("Identity provider"), "apitoken": _l("API token"),
    "exportjob": _l("Export"), "reportnote": _l("Report note"),
}


def target_text(entry: AuditEntry) -> str:
    if not entry.target_type:
        return ""
    label = TARGET_LABELS.get(entry.target_type)
    return f"{label if label is not None else _spelled(entry.target_type)} #{entry.target_id}"
