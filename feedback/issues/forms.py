"""Issue forms: opening, status changes, evidence, and the command centre's list filters."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
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
    NumberRange,
    ValidationError,
)

from feedback.forms import MultiCheckboxField, choices_from, normalise_newlines, optional_int, strip
from feedback.issues import PRIORITY_LABELS
from feedback.issues.board import MAX_SLA_HOURS
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


class SlaForm(FlaskForm):
    """An establishment's service levels: hours to pick up and to resolve, per priority."""

    p1_ack = IntegerField(_l("P1: picked up within (hours)"))
    p1_resolve = IntegerField(_l("P1: resolved within (hours)"))
    p2_ack = IntegerField(_l("P2: picked up within (hours)"))
    p2_resolve = IntegerField(_l("P2: resolved within (hours)"))
    p3_ack = IntegerField(_l("P3: picked up within (hours)"))
    p3_resolve = IntegerField(_l("P3: resolved within (hours)"))
    save_sla = SubmitField(_l("Save the service levels"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self._hour_fields():
            field.validators = [
                InputRequired(_l("Give a number of hours.")),
                NumberRange(min=1, max=MAX_SLA_HOURS,
                            message=_l("Between 1 and %(max)d hours.", max=MAX_SLA_HOURS)),
            ]

    def _hour_fields(self):
        return [self[f"{p.value.lower()}_{kind}"] for p in Priority for kind in ("ack", "resolve")]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for p in Priority:
            ack, resolve = self[f"{p.value.lower()}_ack"], self[f"{p.value.lower()}_resolve"]
            if not ack.errors and not resolve.errors and resolve.data < ack.data:
                resolve.errors.append(_l("Resolving cannot take less time than picking up."))
                valid = False
        return valid

    def levels(self) -> dict[Priority, tuple[int, int]]:
        return {p: (self[f"{p.value.lower()}_ack"].data, self[f"{p.value.lower()}_resolve"].data)
                for p in Priority}

    def fill(self, levels: dict[Priority, tuple[int, int]]) -> None:
        for p, (ack, resolve) in levels.items():
            self[f"{p.value.lower()}_ack"].data = ack
            self[f"{p.value.lower()}_resolve"].data = resolve


class WebhookForm(FlaskForm):
    """An establishment's Teams or Slack incoming webhook."""

    url = StringField(_l("Incoming webhook address (Teams or Slack)"), filters=[strip],
                      validators=[Length(max=500, message=_l("At most 500 characters."))])
    remove = BooleanField(_l("Remove the webhook"))
    save_webhook = SubmitField(_l("Save the webhook"))

    def validate_url(self, field):
        if self.remove.data:
            return
        if not field.data:
            raise ValidationError(_l("Give the webhook's address, or tick “Remove”."))
        parts = urlsplit(field.data)
        if parts.scheme != "https" or not parts.hostname:
            raise ValidationError(_l("The webhook address must start with https://."))
