"""Flask-WTF forms and their validators."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


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


class LanguageForm(FlaskForm):
    """The header's language switch: a POST, so it carries a CSRF token."""

    language = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token, for one-button actions such as signing out."""
