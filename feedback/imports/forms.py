"""Import forms: the upload, the column mapping, and how to run."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    ValidationError,
)

from feedback.forms import choices_from, strip, without_nul
from feedback.imports.mapping import FIELD_LABELS

IMPORT_EXTENSIONS = ("csv", "txt", "xlsx")


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
    mode = RadioField(_l("How to import"), choices=choices_from(IMPORT_MODES), default="all",
                      validators=[InputRequired(_l("Choose how to import."))],
                      invalid_choice_message=_l("Choose how to import."))
    submit = SubmitField(_l("Import"))
