"""Administration forms: establishments, sites, sectors, people, themes, identity providers,
audit trail filters."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
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

from feedback.admin import ANONYMITY_BOUNDS
from feedback.forms import lower, strip, upper
from feedback.labels import LANGUAGE_CHOICES, SITE_KIND_LABELS


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


def _claim_name(label, default: str):
    return StringField(label, default=default, filters=[strip], validators=[
        DataRequired(_l("Enter the name of a claim.")), Length(max=64),
        Regexp(r"^[A-Za-z0-9_:.-]+$", message=_l("A claim name has no spaces."))])


class IdentityProviderForm(FlaskForm):
    """An OpenID provider; the client secret is write-only (empty: keep the stored one)."""

    name = StringField(_l("Name on the sign-in button"), filters=[strip],
                       validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    # 0 stands for "the whole network".
    establishment = SelectField(_l("Who signs in through it"), coerce=int,
                                invalid_choice_message=_l("Choose an establishment from the list."))
    issuer = StringField(
        _l("Issuer URL"), filters=[strip],
        validators=[DataRequired(_l("Enter the provider's issuer URL.")), Length(max=500)],
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    client_id = StringField(_l("Client ID"), filters=[strip],
                            validators=[DataRequired(_l("Enter the client ID.")),
                                        Length(max=255)],
                            render_kw={"autocomplete": "off", "spellcheck": "false"})
    client_secret = PasswordField(_l("Client secret"), validators=[Length(max=500)],
                                  render_kw={"autocomplete": "new-password"})
    email_claim = _claim_name(_l("Claim holding the e-mail"), "email")
    verified_claim = _claim_name(_l("Claim saying the e-mail is verified"), "email_verified")
    enabled = BooleanField(_l("People can sign in through it"), default=True)
    submit = SubmitField(_l("Save"))

    def validate_issuer(self, field):
        parts = urlsplit(field.data or "")
        # Plain HTTP only for a provider on this machine (a test or a local proxy).
        local = parts.hostname in ("localhost", "127.0.0.1", "::1")
        if not parts.netloc or parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ValidationError(_l("Enter an https:// address, as the provider publishes it."))
        if parts.query or parts.fragment:
            raise ValidationError(_l("An issuer URL has no query and no fragment."))


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
