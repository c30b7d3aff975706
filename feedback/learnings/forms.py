"""The learning form: what was heard, what was done, and the evidence."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    ValidationError,
)

from feedback.forms import MultiCheckboxField, normalise_newlines, optional_int, ref_list, strip
from feedback.labels import PHASE_LABELS

LEARNING_TEXT_MAX = 2000


class LearningForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[DataRequired(_l("Give the learning a title.")),
                                    Length(max=200)])
    learned = TextAreaField(
        _l("What we heard and learned"), filters=[normalise_newlines, strip],
        validators=[DataRequired(_l("Say what you heard and learned.")),
                    Length(max=LEARNING_TEXT_MAX)],
        render_kw={"rows": 4},
    )
    action = TextAreaField(_l("What we changed"), filters=[normalise_newlines, strip],
                           validators=[Length(max=LEARNING_TEXT_MAX)], render_kw={"rows": 3})
    action_owner = StringField(_l("Who made the change"), filters=[strip],
                               validators=[Length(max=120)])
    action_on = DateField(_l("When"), validators=[Optional()])
    title_en = StringField(_l("Title in English"), filters=[strip],
                           validators=[Length(max=200)])
    learned_en = TextAreaField(_l("What we heard and learned, in English"),
                               filters=[normalise_newlines, strip],
                               validators=[Length(max=LEARNING_TEXT_MAX)], render_kw={"rows": 3})
    action_en = TextAreaField(_l("What we changed, in English"),
                              filters=[normalise_newlines, strip],
                              validators=[Length(max=LEARNING_TEXT_MAX)], render_kw={"rows": 2})
    phase = SelectField(_l("Phase"), coerce=optional_int,
                        choices=[SelectChoice("", _l("No particular phase")),
                                 *(SelectChoice(n, label) for n, label in PHASE_LABELS.items())],
                        invalid_choice_message=_l("Choose a phase from the list."))
    themes = MultiCheckboxField(_l("Themes"),
                                invalid_choice_message=_l("Choose themes from the list."))
    feedback = StringField(_l("Feedback references (evidence)"), filters=[strip],
                           validators=[Length(max=500)])
    issues = SelectMultipleField(_l("Issues (evidence)"), coerce=int,
                                 invalid_choice_message=_l("Choose issues from the list."))
    submit = SubmitField(_l("Save the draft"))

    def validate_title_en(self, field):
        if not field.data and (self.learned_en.data or self.action_en.data):
            raise ValidationError(_l("Give the English version a title too, or leave it all "
                                     "empty."))

    def validate_learned_en(self, field):
        if not field.data and (self.title_en.data or self.action_en.data):
            raise ValidationError(_l("Say in English what you heard, or leave the English "
                                     "version empty."))

    def validate_action_en(self, field):
        if not field.data and self.title_en.data and self.action.data:
            raise ValidationError(_l("Say in English what was changed too: the English "
                                     "version is shown whole or not at all."))

    def validate_feedback(self, field):
        if ref_list(field.data) is None:
            raise ValidationError(_l("Write feedback references separated by commas, as shown "
                                     "after # in the lists (12 letters and digits)."))
