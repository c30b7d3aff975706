"""The confidentiality-incident register's form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from feedback.forms import strip


class IncidentForm(FlaskForm):
    """An entry of the confidentiality-incident register (Law 25, section 3.8)."""

    establishment = SelectField(_l("Establishment concerned"), coerce=int,
                                invalid_choice_message=_l("Choose an establishment from the list."))
    occurred_on = DateField(_l("Date of the incident (if known)"), validators=[Optional()])
    discovered_on = DateField(_l("Date it was discovered"),
                              validators=[InputRequired(_l("Enter the date of discovery."))])
    description = TextAreaField(_l("Description of the incident"), filters=[strip],
                                validators=[DataRequired(_l("Describe the incident.")),
                                            Length(max=5000)])
    information_kinds = TextAreaField(_l("Personal information concerned"), filters=[strip],
                                      validators=[Length(max=2000)])
    people_affected = IntegerField(_l("Number of people concerned (if known)"),
                                   validators=[Optional(), NumberRange(
                                       min=0, message=_l("Enter zero or more."))])
    risk_assessment = TextAreaField(_l("Assessment of the risk of serious injury"),
                                    filters=[strip], validators=[Length(max=5000)])
    serious_risk = BooleanField(_l("The incident presents a risk of serious injury"))
    cai_notified_on = DateField(_l("Commission d'accès à l'information notified on"),
                                validators=[Optional()])
    people_notified_on = DateField(_l("People concerned notified on"), validators=[Optional()])
    measures = TextAreaField(_l("Measures taken"), filters=[strip],
                             validators=[Length(max=5000)])
    submit = SubmitField(_l("Save"))
