"""Signing in and out."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from feedback import audit
from feedback.accounts import authenticate, end_session, normalise_email, record_login
from feedback.accounts.forms import LoginForm
from feedback.clock import utcnow
from feedback.extensions import db, limiter
from feedback.forms import PostForm
from feedback.web import SESSION_KEY, safe_next, sign_in

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    # Any e-mail, known or not, is counted the same way: throttling reveals no account.
    return "login-account:" + normalise_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_account_key,
               methods=["POST"], deduct_when=lambda response: response.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            # One message for a wrong e-mail and a wrong password: no account enumeration.
            form.password.errors.append(_("E-mail or password incorrect."))
            audit.record("login.failure", actor=None, actor_email=normalise_email(form.email.data))
            db.session.commit()
        elif not user.active:
            form.email.errors.append(
                _("This account is deactivated. Contact your Écho administrator.")
            )
        else:
            sign_in(user)
            record_login(user)
            audit.record("login.success", actor=user, establishment_id=user.establishment_id)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    if PostForm().validate_on_submit():
        end_session(session.get(SESSION_KEY), utcnow())
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."), "info")
    response = redirect(url_for("auth.login"))
    # A shared workstation: the next person must not find this person's pages in the cache.
    # Unsent offline observations stay queued (they are sent under their author's next sign-in).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response
