"""What every area's forms share: field filters, the checkbox group and the one-button forms."""

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


class LanguageForm(FlaskForm):
    """The header's language switch: a POST, so it carries a CSRF token."""

    language = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions such as signing out."""


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; choice_group renders them, as chips with layout="chips"."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# -- Filters: what a field holds once the browser's input is tidied --------------------------


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


def lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def normalise_newlines(value: str | None) -> str | None:
    """Browsers send line breaks as CRLF but count them as one character against maxlength."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def without_nul(value: str | None) -> str | None:
    """No NUL character: PostgreSQL cannot store it in text."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def optional_int(value) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


REF = re.compile(r"[0-9a-z]{12}")


def ref_list(value: str | None) -> list[str] | None:
    """"#k3m9x2p7q1ab, 8h2…" → the feedback references; None when something else was typed."""
    if not value:
        return []
    parts = [part for part in value.lower().replace("#", " ").replace(",", " ").split() if part]
    return list(dict.fromkeys(parts)) if all(REF.fullmatch(part) for part in parts) else None


def choices_from(labels: dict) -> list[SelectChoice]:
    """A select field's choices from one of the label dictionaries (feedback.labels)."""
    return [SelectChoice(value, label) for value, label in labels.items()]
