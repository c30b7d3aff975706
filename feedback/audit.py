"""The audit trail: one function records every sensitive action. The caller commits."""

from typing import Any

from feedback.extensions import db
from feedback.models import AuditEntry, User

# Details describe the action (ids, codes, counts), never what people wrote.
_MAX_DETAIL_LENGTH = 120


def record(
    action: str,
    *,
    actor: User | None,
    establishment_id: int | None = None,
    target: Any = None,
    actor_email: str | None = None,
    **details: str | int | float | bool | None,
) -> AuditEntry:
    """Add an entry such as record("issue.status", actor=user, target=issue, to="resolved")."""
    for key, value in details.items():
        if not isinstance(value, str | int | float | bool | type(None)):
            raise TypeError(f"audit detail {key!r} must be a scalar")
        if isinstance(value, str) and len(value) > _MAX_DETAIL_LENGTH:
            raise ValueError(f"audit detail {key!r} is too long to be anything but free text")
    entry = AuditEntry(
        action=action,
        actor=actor,
        actor_email=actor_email if actor_email is not None else (actor.email if actor else ""),
        establishment_id=establishment_id,
        target_type=type(target).__name__.lower() if target is not None else "",
        # Feedback is named by its random reference: its id would tell when it was stored.
        target_id=str(getattr(target, "ref", None) or target.id) if target is not None else "",
        details=details,
    )
    db.session.add(entry)
    return entry
