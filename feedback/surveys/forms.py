"""Campaign forms, and the one-minute survey built from a campaign's questions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from feedback.forms import strip
from feedback.labels import AGREEMENT_LABELS, PHASE_LABELS
from feedback.surveys import COMMENT_MAX_LENGTH, CONTACT_MAX_LENGTH
from feedback.surveys.headcounts import MAX_HEADCOUNT

MAX_CAMPAIGN_DAYS = 120


class CampaignForm(FlaskForm):
    """A survey campaign: titles and introductions in both languages, dates, sectors, questions."""

    establishment = SelectField(_l("Establishment"), coerce=int,
                                invalid_choice_message=_l("Choose an establishment from the list."))
    title_fr = StringField(_l("Title (French)"), filters=[strip],
                           validators=[DataRequired(_l("Give the survey a title.")),
                                       Length(max=200)])
    title_en = StringField(_l("Title (English)"), filters=[strip],
                           validators=[DataRequired(_l("Give the survey a title.")),
                                       Length(max=200)])
    intro_fr = TextAreaField(_l("Introduction (French)"), filters=[strip],
                             validators=[Length(max=2000)])
    intro_en = TextAreaField(_l("Introduction (English)"), filters=[strip],
                             validators=[Length(max=2000)])
    opens_on = DateField(_l("Opens on"),
                         validators=[InputRequired(_l("Enter the opening date."))])
    closes_on = DateField(_l("Closes on"),
                          validators=[InputRequired(_l("Enter the closing date."))])
    sectors = SelectMultipleField(_l("Only these sectors (none selected: every sector)"),
                                  coerce=int,
                                  invalid_choice_message=_l("Choose sectors from the list."))
    submit = SubmitField(_l("Save"))

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date must not be before the opening date."))
        if (self.opens_on.data and field.data
                and (field.data - self.opens_on.data).days > MAX_CAMPAIGN_DAYS):
            raise ValidationError(_l("A campaign lasts at most %(days)d days.",
                                     days=MAX_CAMPAIGN_DAYS))


class QuestionForm(Form):
    """The wording of one question of a campaign, in both languages."""

    fr = TextAreaField(_l("French"), filters=[strip],
                       validators=[DataRequired(_l("Write the question.")), Length(max=300)])
    en = TextAreaField(_l("English"), filters=[strip],
                       validators=[DataRequired(_l("Write the question.")), Length(max=300)])


class InstrumentForm(FlaskForm):
    """The questions of a campaign: each item keeps its theme, only the wording changes."""

    items = FieldList(FormField(QuestionForm))
    recommend = FormField(QuestionForm)
    comment = FormField(QuestionForm)
    submit = SubmitField(_l("Save the questions"))


class SurveyForm(FlaskForm):
    """The one-minute survey; the agreement items are added per campaign by survey_form_class."""

    role = RadioField(_l("Your role"), validators=[InputRequired(_l("Choose your role."))],
                      invalid_choice_message=_l("Choose one of the roles listed."))
    sector = SelectField(_l("Your sector"), validators=[InputRequired(_l("Choose your sector."))],
                         invalid_choice_message=_l("This sector is not part of this survey."))
    phase = RadioField(_l("Where is your team in the change?"), coerce=int,
                       choices=[SelectChoice(n, label) for n, label in PHASE_LABELS.items()],
                       validators=[InputRequired(_l("Choose a phase."))],
                       invalid_choice_message=_l("Choose a phase."))
    recommend = RadioField(coerce=int, choices=[SelectChoice(n, str(n)) for n in range(11)],
                           validators=[Optional()],
                           invalid_choice_message=_l("Choose a number from 0 to 10."))
    comment = TextAreaField()
    contact = StringField(
        _l("If you want someone to get back to you: your e-mail or phone (optional)"),
        filters=[strip], validators=[Optional(), Length(max=CONTACT_MAX_LENGTH)],
    )
    # Left empty by people; bots fill every field.
    website = StringField(_l("Leave this field empty"))
    token = HiddenField()

    def validate_comment(self, field):
        if field.data and len(field.data) > COMMENT_MAX_LENGTH:
            raise ValidationError(_l(
                "Keep your comment under %(max)d characters (it has %(length)d).",
                max=COMMENT_MAX_LENGTH, length=len(field.data),
            ))

    def item_fields(self):
        return [field for field in self if field.name.startswith("item_")]


def survey_form_class(instrument: dict, locale: str) -> type[SurveyForm]:
    """A SurveyForm with one 1–5 agreement question per item of the campaign's instrument."""

    class CampaignSurveyForm(SurveyForm):
        pass

    for item in instrument["items"]:
        setattr(CampaignSurveyForm, f"item_{item['code']}", RadioField(
            item["en" if locale == "en" else "fr"], coerce=int,
            choices=[SelectChoice(n, label) for n, label in AGREEMENT_LABELS],
            validators=[InputRequired(_l("Choose an answer from 1 to 5."))],
            invalid_choice_message=_l("Choose an answer from 1 to 5."),
        ))
    return CampaignSurveyForm


class HeadcountFileForm(FlaskForm):
    """A CSV of headcounts: site, sector (its code), headcount."""

    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a file.")),
        FileAllowed(["csv", "txt"], _l("Choose a CSV file.")),
    ])
    submit = SubmitField(_l("Import the headcounts"))


class HeadcountForm(FlaskForm):
    """One headcount per sector; the fields are added per establishment by headcount_form_class."""

    submit = SubmitField(_l("Save the headcounts"))

    def sector_fields(self):
        return [field for field in self if field.name.startswith("sector_")]


def headcount_form_class(sectors, locale: str) -> type[HeadcountForm]:
    """A HeadcountForm with one optional whole number per sector."""
    class EstablishmentHeadcountForm(HeadcountForm):
        pass

    for sector in sectors:
        setattr(EstablishmentHeadcountForm, f"sector_{sector.id}", IntegerField(
            sector.label(locale),
            validators=[Optional(), NumberRange(0, MAX_HEADCOUNT, _l(
                "Enter a whole number from 0 to %(max)d.", max=MAX_HEADCOUNT))],
        ))
    return EstablishmentHeadcountForm


class ScheduleForm(FlaskForm):
    """An establishment's measurement pulses: fixed days after go-live, then a repeat."""

    pulse_days = StringField(_l("Pulses on these days after go-live"), filters=[strip],
                             validators=[DataRequired(_l("Give at least one day, e.g. 7, 30, 90.")),
                                         Length(max=100)])
    pulse_every_months = IntegerField(
        _l("Then one pulse every (months; 0: none)"),
        validators=[InputRequired(_l("Enter a number of months.")),
                    NumberRange(0, 24, _l("Enter a number from %(min)s to %(max)s."))])
    submit = SubmitField(_l("Save the schedule"))

    def validate_pulse_days(self, field):
        from feedback.surveys.schedule import ScheduleError, parse_pulse_days

        try:
            parse_pulse_days(field.data or "")
        except ScheduleError as error:
            raise ValidationError(str(error)) from None
