"""Issue forms: opening, status changes, evidence, and the command centre's list filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    ValidationError,
)

from feedback.forms import MultiCheckboxField, choices_from, normalise_newlines, optional_int, strip
from feedback.issues import PRIORITY_LABELS
from feedback.models import Priority


class IssueForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[DataRequired(_l("Give the issue a title.")),
                                    Length(max=200)])
    description = TextAreaField(_l("Description"), filters=[normalise_newlines, strip],
                                validators=[Length(max=5000)], render_kw={"rows": 4})
    priority = RadioField(
        _l("Priority"), validate_choice=False,
        choices=[SelectChoice(p.value, label) for p, label in PRIORITY_LABELS.items()],
        validators=[InputRequired(_l("Choose a priority.")),
                    AnyOf([p.value for p in Priority], message=_l("Choose a priority."))],
    )
    sector = SelectField(_l("Sector"), coerce=optional_int,
                         invalid_choice_message=_l("Choose a sector from the list."))
    themes = MultiCheckboxField(_l("Themes"))
    owner = SelectField(_l("Owner"), coerce=optional_int,
                        invalid_choice_message=_l("Choose an owner from the list."))
    submit = SubmitField(_l("Save the issue"))


class IssueStatusForm(FlaskForm):
    status = SelectField(_l("New status"),
                         invalid_choice_message=_l("This status is not possible now."))
    note = TextAreaField(_l("Note"), filters=[normalise_newlines, strip],
                         validators=[Length(max=5000)], render_kw={"rows": 3})
    duplicate_of = SelectField(_l("Duplicate of"), coerce=optional_int,
                               invalid_choice_message=_l("Choose an issue from the list."))
    submit = SubmitField(_l("Change the status"))

    def validate_note(self, field):
        if self.status.data in ("resolved", "wont_fix") and not field.data:
            raise ValidationError(_l("Say what was done, or why nothing will be."))

    def validate_duplicate_of(self, field):
        if self.status.data == "duplicate" and field.data is None:
            raise ValidationError(_l("Choose the issue this one duplicates."))


class EvidenceForm(FlaskForm):
    """Attach a feedback to an issue, or take it out."""

    feedback = StringField(widget=widgets.HiddenInput(), validators=[InputRequired()])


ISSUE_SORTS = {
    "priority": _l("Priority, oldest first"),
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "evidence": _l("Most reported"),
}


ISSUE_AGES = {
    "": _l("Any age"),
    "lt1d": _l("Less than 24 hours"),
    "gt1d": _l("More than 24 hours"),
    "gt3d": _l("More than 3 days"),
    "gt7d": _l("More than 7 days"),
}


KPI_PERIODS = {
    "golive": _l("Since go-live"),
    "month1": _l("First month after go-live"),
    "30d": _l("Last 30 days"),
    "7d": _l("Last 7 days"),
}


class IssueFilterForm(FlaskForm):
    """The issue list's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    establishment = SelectField(_l("Establishment"), coerce=optional_int, validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    priority = SelectField(_l("Priority"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    age = SelectField(_l("Age"), choices=choices_from(ISSUE_AGES), validate_choice=False)
    sort = SelectField(_l("Sort by"), choices=choices_from(ISSUE_SORTS), validate_choice=False)
    period = SelectField(_l("Period of the indicators"), choices=choices_from(KPI_PERIODS),
                         validate_choice=False)
    apply = SubmitField(_l("Apply"))

    def value(self, name: str) -> str:
        """A filter's value if it is one of its choices, else its default (bad links still work)."""
        field = self[name]
        allowed = {str(choice.value) for choice in field.choices or []}
        data = "" if field.data is None else str(field.data)
        return data if data in allowed else ""
