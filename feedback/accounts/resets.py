"""One-time password-reset (and invitation) links: random, stored hashed, expiring, single use.

The caller commits. Only the SHA-256 of a token reaches the database, so a copy of the database
cannot be used to take over an account.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from feedback import audit
from feedback.accounts.passwords import password_problem
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import PasswordReset, User


class ResetError(ValueError):
    """A new password is refused; str() is a translated explanation."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset(
    user: User, *, actor: User | None, valid_for: timedelta, now: datetime | None = None
) -> str:
    """Create a link for `user` and return its token (shown or mailed once, never stored).

    Older unused links of the same user stop working: only the newest one is valid.
    """
    now = now or utcnow()
    _expire_open_links(user, now)
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(
        user=user, token_hash=token_hash(token), created_at=now, expires_at=now + valid_for,
        created_by_id=actor.id if actor else None,
    ))
    audit.record("user.reset_issued", actor=actor, establishment_id=user.establishment_id,
                 target=user)
    db.session.flush()
    return token


def find_valid_reset(token: str, now: datetime | None = None) -> PasswordReset | None:
    """The unused, unexpired link of an active account this token opens, or None."""
    now = now or utcnow()
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(PasswordReset)
        .join(User, User.id == PasswordReset.user_id)
        .where(PasswordReset.token_hash == token_hash(token), PasswordReset.used_at.is_(None),
               PasswordReset.expires_at > now, User.active)
    )


def use_reset(reset: PasswordReset, new_password: str, now: datetime | None = None) -> User:
    """Set the new password and spend the link; raise ResetError if the password is refused."""
    now = now or utcnow()
    if problem := password_problem(new_password):
        raise ResetError(problem)
    user = reset.user
    user.set_password(new_password)
    reset.used_at = now
    _expire_open_links(user, now)
    audit.record("user.reset_used", actor=user, establishment_id=user.establishment_id,
                 target=user)
    return user


def expire_open_links(user: User, now: datetime | None = None) -> None:
    """Make every unused link of `user` unusable (after a password change, say)."""
    _expire_open_links(user, now or utcnow())


def _expire_open_links(user: User, now: datetime) -> None:
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None),
               PasswordReset.expires_at > now)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
