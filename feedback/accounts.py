"""Accounts: creating users and checking credentials. The caller commits."""

import hmac

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from .clock import utcnow
from .extensions import db
from .models import Establishment, Role, User
from .passwords import password_problem

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


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: a deactivated account, or a session opened before the password
    changed, is signed out at its next request."""
    user_id, _, fingerprint = session_id.partition(".")
    if not user_id.isdigit():
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id), User.active))
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
