"""Personal API tokens: shown once, stored as a SHA-256 hash, acting with their owner's role and
establishment (a token has no rights of its own: change the person, and their tokens follow).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from feedback import audit
from feedback.extensions import db
from feedback.models import ApiToken, User

TOKEN_PREFIX = "echo_"
# What the profile shows of a token so people can tell them apart: "echo_" and 7 characters.
SHOWN_LENGTH = 12
MAX_ACTIVE_TOKENS = 10
# last_used_at is a hint for people, not an audit: one write a minute at most per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be issued; the message says why, translated."""


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def issue_token(user: User, name: str, *, now: datetime) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it and its secret, which is never stored.

    The caller commits, then shows the secret once.
    """
    count = db.session.scalar(select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    if count >= MAX_ACTIVE_TOKENS:
        raise TokenError(_l("You already have %(n)d active tokens: revoke one first.",
                            n=MAX_ACTIVE_TOKENS))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), token_hash=hash_token(secret),
                     prefix=secret[:SHOWN_LENGTH], created_at=now)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor=user, establishment_id=user.establishment_id,
                 target=token, prefix=token.prefix)
    return token, secret


def revoke_token(token: ApiToken, *, actor: User, now: datetime) -> None:
    """Revoke a token for good; the caller commits."""
    if token.revoked_at is None:
        token.revoked_at = now
        audit.record("api_token.revoked", actor=actor,
                     establishment_id=token.user.establishment_id, target=token,
                     prefix=token.prefix)


def revoke_all(user: User, *, actor: User, now: datetime) -> int:
    """Revoke every active token of `user` (after a password change or reset); the caller
    commits. Returns how many."""
    tokens = active_tokens(user)
    for token in tokens:
        revoke_token(token, actor=actor, now=now)
    return len(tokens)


def authenticate(secret: str, *, now: datetime) -> ApiToken | None:
    """The active token with this secret, its owner active; None otherwise.

    Records when the token was last used (at most once a minute); the caller commits.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token
