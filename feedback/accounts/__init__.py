"""Accounts: creating users and checking credentials. The caller commits."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from feedback.accounts.passwords import password_problem
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import Establishment, LoginSession, Role, User

# Checked when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A user cannot be created as asked; str() is a translated explanation."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The user these credentials belong to (active or not), or None."""
    user = find_user(email)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password):
        return None
    return user


# A sign-in lasts this long at most (a shift, and then some): a forgotten or copied session
# ends by itself, and nothing is written on each request to keep it alive.
SESSION_LIFETIME = timedelta(hours=24)


def _session_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(user: User, now: datetime) -> str:
    """Record a new signed-in browser for `user`; return the secret its cookie will hold."""
    secret = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_session_hash(secret),
                                created_at=now))
    return secret


def end_session(secret: str | None, now: datetime) -> None:
    """Sign one browser out on the server (its cookie, copied or not, stops working)."""
    if secret:
        db.session.execute(update(LoginSession).where(
            LoginSession.token_hash == _session_hash(secret), LoginSession.ended_at.is_(None)
        ).values(ended_at=now))


def end_all_sessions(user: User, now: datetime) -> int:
    """Sign every browser of `user` out; returns how many were signed in."""
    return db.session.execute(update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    ).values(ended_at=now)).rowcount


def active_session_count(user: User, now: datetime) -> int:
    return db.session.scalar(select(func.count(LoginSession.id)).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None),
        LoginSession.created_at > now - SESSION_LIFETIME)) or 0


def after_new_password(user: User, *, actor: User, now: datetime) -> tuple[int, int]:
    """A new password ends every signed-in browser of the account and revokes its API tokens
    (whoever knew the old password may have opened either); returns how many of each."""
    from feedback.accounts.tokens import revoke_all

    return end_all_sessions(user, now), revoke_all(user, actor=actor, now=now)


def load_user(session_id: str, secret: str | None, now: datetime) -> User | None:
    """Flask-Login's loader: the browser's session must be open on the server, the account
    active, and the password unchanged since sign-in; anything else is signed out."""
    user_id, _, fingerprint = session_id.partition(".")
    if not user_id.isdigit() or not secret:
        return None
    user = db.session.scalar(
        select(User).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == int(user_id), User.active,
               LoginSession.token_hash == _session_hash(secret),
               LoginSession.ended_at.is_(None),
               LoginSession.created_at > now - SESSION_LIFETIME))
    if user is None or not hmac.compare_digest(user.session_fingerprint, fingerprint):
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    establishment: Establishment | None = None,
    locale: str = "fr",
) -> User:
    """Add a user after checking the e-mail is free and the password acceptable."""
    email = normalise_email(email)
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise AccountError(_("A user with this e-mail already exists."))
    if problem := password_problem(password):
        raise AccountError(problem)
    user = User(email=email, name=name.strip(), role=role, establishment=establishment,
                locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
