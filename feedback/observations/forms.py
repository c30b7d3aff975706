"""The observation form (what a super-user logs on the floor) and the observation list's filters."""

import uuid
from datetime import UTC, datetime, timedelta

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    ValidationError,
)

from feedback.clock import utcnow
from feedback.forms import MultiCheckboxField, choices_from, normalise_newlines, strip
from feedback.issues import PRIORITY_LABELS
from feedback.labels import ROLE_LABELS
from feedback.models import Priority

OBSERVATION_MAX_LENGTH = 2000


# How far an offline observation's own time is trusted: a phone left offline for a weekend is
# fine, a clock set years off is not.
OBSERVED_AT_MAX_AGE = timedelta(days=30)


OBSERVED_AT_MAX_AHEAD = timedelta(minutes=5)


class ObservationForm(FlaskForm):
    """A field observation: the plain form, and each item of an offline sync, validate here."""

    location = SelectField(
        _l("Where"), invalid_choice_message=_l("Choose a place from the list."),
        validators=[InputRequired(_l("Choose where you saw it."))],
    )
    text = TextAreaField(
        _l("What did you see?"), filters=[normalise_newlines, strip],
        validators=[DataRequired(_l("Describe what you saw."))],
        render_kw={"rows": 5, "maxlength": OBSERVATION_MAX_LENGTH},
    )
    affected_role = RadioField(
        _l("Who was affected?"), choices=choices_from(ROLE_LABELS), validate_choice=False,
        validators=[InputRequired(_l("Choose who was affected.")),
                    AnyOf(list(ROLE_LABELS), message=_l("Choose who was affected."))],
    )
    priority = RadioField(
        _l("Priority (optional)"), default="", validate_choice=False,
        choices=[SelectChoice("", _l("Not set")),
                 *(SelectChoice(p.value, label) for p, label in PRIORITY_LABELS.items())],
        validators=[AnyOf(["", *(p.value for p in Priority)],
                          message=_l("Choose a priority from the list."))],
    )
    themes = MultiCheckboxField(_l("Themes"))
    # "1" once the observer has seen the suggested themes: their choice then replaces them.
    themes_reviewed = HiddenField()
    client_uuid = HiddenField(validators=[
        DataRequired(_l("The identifier of this observation is missing. Reload the page."))
    ])
    observed_at = HiddenField()
    submit = SubmitField(_l("Send the observation"))

    def validate_text(self, field):
        if field.data and len(field.data) > OBSERVATION_MAX_LENGTH:
            raise ValidationError(_l(
                "Keep the observation to %(max)s characters or fewer (it has %(length)s).",
                max=format_number(OBSERVATION_MAX_LENGTH), length=format_number(len(field.data)),
            ))

    def validate_client_uuid(self, field):
        try:
            valid = str(uuid.UUID(field.data)) == field.data.lower()
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise ValidationError(_l("The identifier of this observation is not valid."))

    def validate_observed_at(self, field):
        """Offline items carry the time they were written (ISO 8601); the plain form does not."""
        if not field.data:
            return
        try:
            moment = datetime.fromisoformat(field.data.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ValidationError(_l("The time of the observation is not valid."))
        now = utcnow()
        if moment > now + OBSERVED_AT_MAX_AHEAD:
            raise ValidationError(_l("The time of the observation is in the future."))
        if moment < now - OBSERVED_AT_MAX_AGE:
            raise ValidationError(_l("This observation is more than %(days)d days old.",
                                    days=OBSERVED_AT_MAX_AGE.days))

    def observed_moment(self) -> datetime | None:
        """The validated time of an offline observation, in UTC (None: now)."""
        if not self.observed_at.data:
            return None
        moment = datetime.fromisoformat(self.observed_at.data.replace("Z", "+00:00"))
        return min(moment.astimezone(UTC), utcnow())


class ObservationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    sector = SelectField(_l("Sector"), validate_choice=False)
    priority = SelectField(_l("Priority"), validate_choice=False)
    role = SelectField(_l("Who was affected"), validate_choice=False,
                       choices=choices_from({"": _l("Everyone"), **ROLE_LABELS}))
    triage = SelectField(_l("Issue"), validate_choice=False, choices=choices_from({
        "": _l("All observations"), "untriaged": _l("Not linked to an issue"),
        "linked": _l("Linked to an issue"),
    }))
    apply = SubmitField(_l("Apply"))
