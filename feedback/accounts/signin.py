"""Signing in (with a password, or through an identity provider) and out."""

from flask import (
    Blueprint,
    abort,
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
from feedback.accounts import authenticate, end_session, normalise_email, record_login, sso
from feedback.accounts.forms import LoginForm
from feedback.accounts.oidc import OidcRefusal
from feedback.clock import utcnow
from feedback.extensions import db, limiter
from feedback.forms import PostForm
from feedback.models import IdentityProvider
from feedback.web import (
    SESSION_KEY,
    local_passwords,
    notify_access_request,
    public_url,
    safe_next,
    sign_in,
)

bp = Blueprint("auth", __name__)

# Session keys: the sign-in under way at a provider, and the sign-out page of the provider a
# session was opened through (offered again on the sign-in page after signing out of Écho).
PENDING_KEY, PROVIDER_SIGN_OUT_KEY = "sso", "sso_sign_out"
# Someone the provider verified but who has no account yet, who may ask the admins for one.
ACCESS_KEY = "sso_access"


def _account_key() -> str:
    # Any e-mail, known or not, is counted the same way: throttling reveals no account.
    return "login-account:" + normalise_email(request.form.get("email", ""))


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_account_key,
               methods=["POST"], deduct_when=lambda response: response.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    providers = sso.enabled_providers()
    local = local_passwords(providers)
    form = LoginForm() if local else None
    if form is not None and providers:
        # The provider's button comes first: the e-mail field does not take the focus from it.
        form.email.render_kw = {"autocomplete": "username"}
    if request.method == "POST" and not local:
        flash(_("Passwords are switched off: sign in through your organisation."), "error")
    elif form is not None and form.validate_on_submit():
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
    return render_template("auth/login.html", form=form, providers=providers,
                           next=request.args.get("next"), access=session.get(ACCESS_KEY),
                           access_form=PostForm(),
                           provider_sign_out=session.pop(PROVIDER_SIGN_OUT_KEY, None))


def _provider_settings() -> dict:
    config = current_app.config
    return {"secret_key": config["SECRET_KEY"], "ttl": config["SSO_METADATA_TTL"],
            "timeout": config["SSO_HTTP_TIMEOUT"]}


def _refused(refusal: OidcRefusal, provider: IdentityProvider | None):
    """Record a refused sign-in with its reason, say why, and go back to the sign-in page."""
    sso.record_refusal(refusal, provider)
    db.session.commit()
    current_app.logger.info("single sign-on refused: %s (provider %s)", refusal.reason,
                            provider.id if provider else "-")
    message = sso.refusal_message(refusal)
    if refusal.reason == "provider_unreachable" and local_passwords():
        message += " " + _("You can also sign in with your Écho password.")
    if refusal.reason == "unknown_email" and provider is not None:
        # The address is verified by the provider: it may ask for an account (once).
        session[ACCESS_KEY] = {"email": refusal.email, "provider": provider.id}
    flash(message, "error")
    return redirect(url_for("auth.login"))


@bp.get("/login/sso/<int:provider_id>")
@limiter.limit(_login_rate_limit)
def sso_start(provider_id: int):
    """Send the browser to the provider's sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    provider = db.session.get(IdentityProvider, provider_id)
    if provider is None or not provider.enabled:
        abort(404)
    try:
        url, pending = sso.begin(provider, public_url("auth.sso_callback"),
                                 **_provider_settings())
    except OidcRefusal as refusal:
        return _refused(refusal, provider)
    session[PENDING_KEY] = {**pending, "next": safe_next(request.args.get("next"))}
    return redirect(url)


@bp.get("/login/sso/callback")
@limiter.limit(_login_rate_limit)
def sso_callback():
    """The provider sends the browser back here: verify its answer, then sign the person in."""
    # Taken out at once: a state works once, whatever happens next.
    kept = session.pop(PENDING_KEY, None)
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    provider = None
    try:
        provider, claims = sso.finish(kept, request.args.to_dict(), public_url("auth.sso_callback"),
                                      **_provider_settings())
        user = sso.account_for(claims, provider)
    except OidcRefusal as refusal:
        return _refused(refusal, provider)
    # Read now, while the provider's document is fresh in the cache: signing out later needs
    # no request to a provider that may be down by then.
    try:
        sign_out_url = sso.sign_out_page(provider, public_url("auth.login"),
                                         **_provider_settings())
    except OidcRefusal:
        sign_out_url = None  # signing in succeeded; only the offer to sign out there is lost
    sign_in(user)
    if sign_out_url:
        session[PROVIDER_SIGN_OUT_KEY] = {"name": provider.name, "url": sign_out_url}
    sso.record_sign_in(user, provider)
    db.session.commit()
    return redirect(safe_next(kept.get("next")))


@bp.post("/login/sso/request-access")
@limiter.limit(_login_rate_limit)
def sso_request_access():
    """Tell the admins that someone their provider verified asks for an Écho account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    access = session.get(ACCESS_KEY)
    provider = db.session.get(IdentityProvider, access["provider"]) if access else None
    if provider is None or not PostForm().validate_on_submit():
        return redirect(url_for("auth.login"))
    session.pop(ACCESS_KEY)
    admins = sso.request_access(access["email"], provider)
    db.session.commit()
    notify_access_request(admins, access["email"], provider.name)
    flash(_("Your request is sent to Écho's administrators. They will tell you when your account "
            "is ready."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/logout")
@login_required
def logout():
    if PostForm().validate_on_submit():
        provider_sign_out = session.get(PROVIDER_SIGN_OUT_KEY)
        end_session(session.get(SESSION_KEY), utcnow())
        db.session.commit()
        logout_user()
        session.clear()
        if provider_sign_out:
            session[PROVIDER_SIGN_OUT_KEY] = provider_sign_out
        flash(_("You are signed out."), "info")
    response = redirect(url_for("auth.login"))
    # A shared workstation: the next person must not find this person's pages in the cache.
    # Unsent offline observations stay queued (they are sent under their author's next sign-in).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response
