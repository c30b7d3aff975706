"""Flask-WTF forms and their validators."""

import re

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectMultipleField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
)


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class LanguageForm(FlaskForm):
    """The header's language switch: a POST, so it carries a CSRF token."""

    language = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions such as signing out."""


# -- Administration, account and privacy (issue 9) -------------------------------------------


def upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


def lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


# --- Observations and issues (the command centre) -------------------------------------------


def normalise_newlines(value: str | None) -> str | None:
    """Browsers send line breaks as CRLF but count them as one character against maxlength."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def optional_int(value) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; choice_group renders them, as chips with layout="chips"."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# --- Imports and API tokens (issue 7) --------------------------------------------------------


def without_nul(value: str | None) -> str | None:
    """No NUL character: PostgreSQL cannot store it in text."""
    return value.replace("\x00", "") if isinstance(value, str) else value


# --- Managers' summaries, corrections, learnings and the one-month update (issue 6) ----------


REF = re.compile(r"[0-9a-z]{12}")


def ref_list(value: str | None) -> list[str] | None:
    """"#k3m9x2p7q1ab, 8h2…" → the feedback references; None when something else was typed."""
    if not value:
        return []
    parts = [part for part in value.lower().replace("#", " ").replace(",", " ").split() if part]
    return list(dict.fromkeys(parts)) if all(REF.fullmatch(part) for part in parts) else None


