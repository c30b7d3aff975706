"""The summaries' filters, the theme correction, the report's notes and the comparison's form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    Length,
    Optional,
    ValidationError,
)

from feedback.forms import MultiCheckboxField, choices_from, normalise_newlines, optional_int, strip

REPORT_NOTE_MAX = 2000


class SummaryFilterForm(FlaskForm):
    """The summary's filters, read from the query string (a GET form: no CSRF token).

    Dates are widened to whole Québec weeks (Monday to Sunday) by the summaries.
    """

    class Meta:
        csrf = False

    establishment = SelectField(_l("Establishment"), coerce=optional_int, validate_choice=False)
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    phase = SelectField(_l("Phase"), validate_choice=False)
    role = SelectField(_l("Role"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    sentiment = SelectField(_l("Sentiment"), validate_choice=False)
    apply = SubmitField(_l("Apply"))

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The end must not be before the start."))

    def value(self, name: str) -> str:
        """A filter's value if it is one of its choices, else "" (bad links still work)."""
        field = self[name]
        allowed = {str(choice.value) for choice in field.choices or []}
        data = "" if field.data is None else str(field.data)
        return data if data in allowed else ""


class RethemeForm(FlaskForm):
    """A manager's correction of a feedback's themes (they become manual themes)."""

    themes = MultiCheckboxField(_l("Themes"),
                                invalid_choice_message=_l("Choose themes from the list."))
    next = HiddenField()
    submit = SubmitField(_l("Save the themes"))

    def validate_themes(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one theme."))


class ReportNoteForm(FlaskForm):
    """The narrative a manager saves with a one-month update."""

    highlights = TextAreaField(_l("Highlights"), filters=[normalise_newlines, strip],
                               validators=[Length(max=REPORT_NOTE_MAX)], render_kw={"rows": 4})
    success_factors = TextAreaField(_l("Success factors"), filters=[normalise_newlines, strip],
                                    validators=[Length(max=REPORT_NOTE_MAX)],
                                    render_kw={"rows": 4})
    summary = TextAreaField(_l("Summary"), filters=[normalise_newlines, strip],
                            validators=[Length(max=REPORT_NOTE_MAX)], render_kw={"rows": 4})
    submit = SubmitField(_l("Save the notes"))


COMPARE_PERIODS = {
    "golive": _l("Since each go-live"),
    "month1": _l("First month after each go-live"),
    "recent": _l("Last 4 weeks with data"),
}


class CompareForm(FlaskForm):
    class Meta:
        csrf = False

    period = SelectField(_l("Period"), choices=choices_from(COMPARE_PERIODS), validate_choice=False)
    phase = SelectField(_l("Phase"), validate_choice=False)
    role = SelectField(_l("Role"), validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    apply = SubmitField(_l("Apply"))

    def value(self, name: str) -> str:
        field = self[name]
        allowed = {str(choice.value) for choice in field.choices or []}
        data = "" if field.data is None else str(field.data)
        return data if data in allowed else ""
