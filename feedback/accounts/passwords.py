"""The password policy: a minimum length and no common password."""

from functools import cache
from importlib.resources import files

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10


@cache
def common_passwords() -> frozenset[str]:
    path = files("feedback.accounts").joinpath("data/common_passwords.txt")
    text = path.read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Why a password is refused, as a translatable message, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(min)d characters.", min=MIN_LENGTH))
    if password.casefold() in common_passwords() or len(set(password)) < 4:
        return str(_l("This password is too common. Choose a less predictable one."))
    return None
