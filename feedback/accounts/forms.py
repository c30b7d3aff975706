"""Signing in, passwords, the profile's language, and API tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    ValidationError,
)

from feedback.accounts.passwords import password_problem
from feedback.forms import strip
from feedback.labels import LANGUAGE_CHOICES


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your e-mail.")), Email(_l("Enter a valid e-mail.")),
                    Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class NewPasswordForm(FlaskForm):
    """A new password, typed twice, checked against the password policy."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password, again"),
        validators=[DataRequired(_l("Type the new password again.")),
                    EqualTo("new_password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change the password"))

    def validate_new_password(self, field):
        if problem := password_problem(field.data or ""):
            raise ValidationError(problem)


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileLanguageForm(FlaskForm):
    language = SelectField(_l("Interface language"), choices=LANGUAGE_CHOICES)
    save = SubmitField(_l("Save the language"))


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), filters=[strip],
        validators=[DataRequired(_l("Enter your e-mail.")), Email(_l("Enter a valid e-mail.")),
                    Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    submit = SubmitField(_l("Send me a link"))


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name of the token"), filters=[strip],
        validators=[DataRequired(_l("Name the token after what will use it.")),
                    Length(max=80, message=_l("Keep the name under %(max)d characters."))],
        render_kw={"autocomplete": "off"},
    )
    submit = SubmitField(_l("Create the token"))
