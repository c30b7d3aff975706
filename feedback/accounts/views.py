"""A signed-in user's own profile (password, language, where they are signed in, API tokens), and
the public pages of one-time password links: asking for one, and using one.
"""

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from feedback import audit
from feedback.access import role_required
from feedback.accounts import (
    active_session_count,
    after_new_password,
    end_all_sessions,
    find_user,
    resets,
    tokens,
)
from feedback.accounts.forms import (
    ApiTokenForm,
    NewPasswordForm,
    PasswordChangeForm,
    ProfileLanguageForm,
    ResetRequestForm,
)
from feedback.accounts.passwords import MIN_LENGTH
from feedback.clock import utcnow
from feedback.extensions import db, limiter
from feedback.forms import PostForm
from feedback.labels import ACCOUNT_ROLE_LABELS
from feedback.mail import MailError, mail_enabled
from feedback.models import ApiToken, Role
from feedback.web import local_passwords, private_response, public_url, send_link_mail, sign_in

bp = Blueprint("account", __name__)


def _reset_rate_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


# -- Profile ---------------------------------------------------------------------------------


def _render_profile(password_form=None, language_form=None):
    if language_form is None:
        language_form = ProfileLanguageForm(language=current_user.locale)
    return render_template("account/profile.html",
                           password_form=password_form or PasswordChangeForm(),
                           language_form=language_form, min_length=MIN_LENGTH,
                           role_label=ACCOUNT_ROLE_LABELS[current_user.role.value],
                           sessions=active_session_count(current_user, utcnow()),
                           sign_out_form=PostForm())


@bp.route("/account")
@role_required(Role.SUPER_USER)
def profile():
    return _render_profile()


@bp.post("/account/password")
@role_required(Role.SUPER_USER)
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Choose a password different from the current one."))
        else:
            user = current_user._get_current_object()
            user.set_password(form.new_password.data)
            _sessions, revoked = after_new_password(user, actor=user, now=utcnow())
            sign_in(user)  # this browser stays signed in, with a new session; the others end
            resets.expire_open_links(user)
            audit.record("user.password_changed", actor=current_user,
                         establishment_id=current_user.establishment_id, target=current_user)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            if revoked:
                flash(ngettext("Your API token was revoked with the old password: create a new "
                               "one if you need it.",
                               "Your %(num)d API tokens were revoked with the old password: "
                               "create new ones if you need them.", revoked), "info")
            return redirect(url_for(".profile"))
    return _render_profile(password_form=form), 422


@bp.post("/account/sessions/end")
@role_required(Role.SUPER_USER)
def end_sessions():
    """Sign out everywhere: every browser of this account, this one included."""
    if PostForm().validate_on_submit():
        user = current_user._get_current_object()
        count = end_all_sessions(user, utcnow())
        audit.record("user.signed_out_everywhere", actor=user,
                     establishment_id=user.establishment_id, target=user, sessions=count)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out on every device."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for(".profile"))


@bp.post("/account/language")
@role_required(Role.SUPER_USER)
def change_language():
    form = ProfileLanguageForm()
    if form.validate_on_submit():
        current_user.locale = form.language.data
        session["lang"] = form.language.data
        db.session.commit()
        with force_locale(form.language.data):
            flash(_("Language saved."), "success")
        return redirect(url_for(".profile"))
    return _render_profile(language_form=form), 422


# -- One-time password links -----------------------------------------------------------------


def _passwords_off():
    flash(_("Passwords are switched off: sign in through your organisation."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_reset_rate_limit, methods=["POST"])
def request_reset():
    """Ask for a link by e-mail. The answer is the same whether the account exists or not."""
    if not local_passwords():
        return _passwords_off()
    form = ResetRequestForm()
    can_mail = mail_enabled(current_app.config)
    if can_mail and form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.active:
            hours, now = current_app.config["PASSWORD_RESET_HOURS"], utcnow()
            token = resets.issue_reset(user, actor=None, valid_for=timedelta(hours=hours),
                                       now=now)
            db.session.commit()
            try:
                send_link_mail(user, public_url("account.reset", token=token),
                                now + timedelta(hours=hours), invitation=False)
            except MailError as error:
                current_app.logger.warning("reset link for user %s not mailed: %s", user.id,
                                           error)
        flash(_("If an active account uses this address, a link is on its way. "
                "It works once, for %(hours)d hours.",
                hours=current_app.config["PASSWORD_RESET_HOURS"]), "info")
        return redirect(url_for("auth.login"))
    return render_template("account/reset_request.html", form=form, can_mail=can_mail)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_rate_limit, methods=["POST"])
def reset(token):
    """Choose a new password through a one-time link."""
    if not local_passwords():
        return _passwords_off()
    link = resets.find_valid_reset(token)
    if link is None:
        # Unknown, used, expired or of a deactivated account: one answer for all.
        return private_response(make_response(render_template("account/reset_invalid.html"), 404))
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = resets.use_reset(link, form.new_password.data)
        after_new_password(user, actor=user, now=utcnow())
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        session["lang"] = user.locale
        with force_locale(user.locale):
            flash(_("Your password is set. Sign in with it now."), "success")
        return redirect(url_for("auth.login"))
    return private_response(make_response(render_template("account/reset.html", form=form,
                                                  person=link.user, min_length=MIN_LENGTH)))


@bp.app_context_processor
def token_helpers() -> dict:
    """For templates/account/_tokens.html, which the profile page includes."""

    def my_api_tokens() -> list[ApiToken]:
        return tokens.active_tokens(current_user) if current_user.is_authenticated else []

    return {"my_api_tokens": my_api_tokens}


def _no_store(response: Response) -> Response:
    """A page holding a secret: never cached, never sent as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/account/tokens/new", methods=["GET", "POST"])
@role_required(Role.SUPER_USER)
def new_token():
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            token, secret = tokens.issue_token(current_user._get_current_object(),
                                                   form.name.data, now=utcnow())
        except tokens.TokenError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            # Shown in this response only: the secret is in no session, no redirect, no log.
            return _no_store(make_response(render_template(
                "api/token_new.html", form=None, token=token, secret=secret)))
    status = 422 if form.errors else 200
    return render_template("api/token_new.html", form=form, token=None, secret=None), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@role_required(Role.SUPER_USER)
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    tokens.revoke_token(token, actor=current_user._get_current_object(), now=utcnow())
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer opens the API.", name=token.name),
          "success")
    return redirect(url_for("account.profile", _anchor="api-tokens"))
