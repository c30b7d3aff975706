"""Flask-WTF forms and their validators."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from feedback.administration import ANONYMITY_BOUNDS
from feedback.imports import FIELD_LABELS
from feedback.labels import LANGUAGE_CHOICES, SITE_KIND_LABELS


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


class EstablishmentForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip],
                       validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    code = StringField(
        _l("Code"), filters=[strip, upper],
        validators=[DataRequired(_l("Enter a code.")), Length(max=20),
                    Regexp(r"^[A-Z0-9][A-Z0-9-]{1,19}$",
                           message=_l("Use 2 to 20 capital letters, digits or hyphens."))],
    )
    go_live = DateField(_l("Go-live date"),
                        validators=[InputRequired(_l("Enter the go-live date."))])
    phase2_day = IntegerField(
        _l("Phase 2 (appropriation) begins on day"), default=14,
        validators=[InputRequired(_l("Enter a number of days.")),
                    NumberRange(1, 730, _l("Enter a number from %(min)s to %(max)s."))],
    )
    phase3_day = IntegerField(
        _l("Phase 3 (change management) begins on day"), default=60,
        validators=[InputRequired(_l("Enter a number of days.")),
                    NumberRange(2, 1095, _l("Enter a number from %(min)s to %(max)s."))],
    )
    anonymity_threshold = IntegerField(
        _l("Anonymity threshold (leave empty for the network's default)"),
        validators=[Optional(), NumberRange(*ANONYMITY_BOUNDS,
                                            _l("Enter a number from %(min)s to %(max)s."))],
    )
    submit = SubmitField(_l("Save"))

    def validate_phase3_day(self, field):
        if self.phase2_day.data and field.data and field.data <= self.phase2_day.data:
            raise ValidationError(_l("Phase 3 must begin after phase 2."))


class SiteForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip],
                       validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    kind = SelectField(_l("Kind of site"),
                       choices=[SelectChoice(k, v) for k, v in SITE_KIND_LABELS.items()],
                       validators=[InputRequired(_l("Choose a kind of site."))],
                       invalid_choice_message=_l("Choose a kind of site."))
    submit = SubmitField(_l("Save"))


class SectorForm(FlaskForm):
    code = StringField(
        _l("Code"), filters=[strip, lower],
        validators=[DataRequired(_l("Enter a code.")), Length(max=40),
                    Regexp(r"^[a-z0-9][a-z0-9_-]{1,39}$", message=_l(
                        "Use 2 to 40 lowercase letters, digits, hyphens or underscores."))],
        render_kw={"list": "sector-codes", "autocomplete": "off"},
    )
    name_fr = StringField(_l("Name (French)"), filters=[strip],
                          validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    name_en = StringField(_l("Name (English)"), filters=[strip],
                          validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    submit = SubmitField(_l("Save"))


class UserForm(FlaskForm):
    """Invite someone, or change a person's details; the view fills role and establishment."""

    name = StringField(_l("Full name"), filters=[strip],
                       validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    email = EmailField(_l("E-mail"), filters=[strip],
                       validators=[DataRequired(_l("Enter an e-mail.")),
                                   Email(_l("Enter a valid e-mail.")), Length(max=254)])
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Choose a role."))],
                       invalid_choice_message=_l("Choose one of the roles listed."))
    # 0 stands for "network-wide" (no establishment).
    establishment = SelectField(_l("Establishment"), coerce=int,
                                invalid_choice_message=_l("Choose an establishment from the list."))
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="fr")
    submit = SubmitField(_l("Save"))


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = SearchField(_l("Name or e-mail"), filters=[strip], validators=[Length(max=100)])
    role = SelectField(_l("Role"), validators=[Optional()])
    establishment = SelectField(_l("Establishment"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], choices=[
        SelectChoice("", _l("All")), SelectChoice("active", _l("Active")),
        SelectChoice("inactive", _l("Deactivated"))])


class ThemeForm(FlaskForm):
    code = StringField(
        _l("Code"), filters=[strip, lower],
        validators=[DataRequired(_l("Enter a code.")), Length(max=40),
                    Regexp(r"^[a-z0-9][a-z0-9_-]{1,39}$", message=_l(
                        "Use 2 to 40 lowercase letters, digits, hyphens or underscores."))],
    )
    name_fr = StringField(_l("Name (French)"), filters=[strip],
                          validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    name_en = StringField(_l("Name (English)"), filters=[strip],
                          validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    description_fr = TextAreaField(_l("Description (French)"), filters=[strip],
                                   validators=[Length(max=2000)])
    description_en = TextAreaField(_l("Description (English)"), filters=[strip],
                                   validators=[Length(max=2000)])
    keywords = TextAreaField(_l("Keywords and phrases, one a line, in French and English"),
                             validators=[Length(max=20000)], render_kw={"rows": 8})
    submit = SubmitField(_l("Save"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = SearchField(_l("Who (e-mail)"), filters=[strip], validators=[Length(max=254)])
    establishment = SelectField(_l("Establishment"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_until(self, field):
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must not be before the start date."))


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

IMPORT_EXTENSIONS = ("csv", "txt", "xlsx")


def without_nul(value: str | None) -> str | None:
    """No NUL character: PostgreSQL cannot store it in text."""
    return value.replace("\x00", "") if isinstance(value, str) else value
EVERY_ROW = 0  # the establishment choice "each row names its own"


class ImportUploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[
        FileRequired(_l("Choose a file.")),
        FileAllowed(IMPORT_EXTENSIONS, _l("Choose a CSV file or an Excel workbook (.xlsx).")),
    ], render_kw={"accept": ".csv,.txt,.xlsx"})
    source = StringField(
        _l("Source of the file"), filters=[strip, without_nul],
        validators=[DataRequired(_l("Name where the file comes from.")), Length(max=120)],
        render_kw={"list": "import-sources", "autocomplete": "off"},
    )
    establishment = SelectField(_l("Establishment"), coerce=int,
                                invalid_choice_message=_l("Choose an establishment from the list."))
    submit = SubmitField(_l("Read the file"))


def _column_field(name: str) -> SelectField:
    """A choice among the file's columns ("" for none: the field is not in the file)."""
    return SelectField(FIELD_LABELS[name], default="",
                       invalid_choice_message=_l("Choose a column of the file."))


class ImportMappingForm(FlaskForm):
    """Which column holds each field; the view fills the choices with the file's columns."""

    text = _column_field("text")
    date = _column_field("date")
    establishment = _column_field("establishment")
    site = _column_field("site")
    sector = _column_field("sector")
    role = _column_field("role")
    phase = _column_field("phase")
    kind = _column_field("kind")
    submit = SubmitField(_l("Check the file"))

    def validate_text(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the column that holds the text."))

    def mapping(self) -> dict[str, str]:
        return {name: self[name].data for name in FIELD_LABELS if self[name].data}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        seen: dict[str, str] = {}
        for name in FIELD_LABELS:
            column = self[name].data
            if column and column in seen:
                self[name].errors.append(_l("This column is already chosen for “%(field)s”.",
                                            field=FIELD_LABELS[seen[column]]))
                valid = False
            elif column:
                seen[column] = name
        return valid


IMPORT_MODES = {
    "all": _l("All or nothing: import only if every row is valid"),
    "valid_only": _l("Valid rows only: import them, and download the rejected ones"),
}


class ImportRunForm(FlaskForm):
    mode = RadioField(_l("How to import"), choices=_choices(IMPORT_MODES), default="all",
                      validators=[InputRequired(_l("Choose how to import."))],
                      invalid_choice_message=_l("Choose how to import."))
    submit = SubmitField(_l("Import"))


# --- Managers' summaries, corrections, learnings and the one-month update (issue 6) ----------


REF = re.compile(r"[0-9a-z]{12}")


def ref_list(value: str | None) -> list[str] | None:
    """"#k3m9x2p7q1ab, 8h2…" → the feedback references; None when something else was typed."""
    if not value:
        return []
    parts = [part for part in value.lower().replace("#", " ").replace(",", " ").split() if part]
    return list(dict.fromkeys(parts)) if all(REF.fullmatch(part) for part in parts) else None


