"""View helpers every area shares: safe redirects, query arguments, the signed-in session, the
establishments a user sees, and summary filters with their finished weeks cut."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, format_datetime, format_number
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from feedback import accounts, audit, insights, paging
from feedback.access import scoped
from feedback.accounts import resets, sso
from feedback.admin import effective_threshold
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.insights import anonymity
from feedback.mail import MailError, mail_enabled, send_mail
from feedback.models import Establishment, IdentityProvider, User


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    """A local path to go back to after a form, never another site (open redirect) nor a
    header of its own (a line break in a Location header)."""
    if target and target.isprintable():
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for(default_endpoint)


class InvalidParameter(BadRequest):
    """A query-string value a page cannot use: a 400 that says which, in the reader's words."""


# Beyond this, a page number or an id is a typing mistake (ids are 32-bit in PostgreSQL).
MAX_PAGE = 100_000
MAX_ID = 2**31 - 1


def page_number() -> int:
    """The ?page= of a list, from 1 (missing: 1); anything else is a 400 saying so."""
    raw = request.args.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise InvalidParameter(_("The page number must be a whole number from 1 to %(max)s.",
                                 max=format_number(MAX_PAGE)))
    return int(raw)


def id_argument(name: str) -> int | None:
    """An optional ?name=<id> filter; a value that is no id is a 400 saying so."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise InvalidParameter(_("The filter “%(name)s” must be chosen from its list.",
                                 name=name))
    return int(raw)


def keyset_page(stmt, keys, values_of, per_page: int) -> paging.KeysetPage:
    """The page of a long list that ?cursor= names (none: the first); a cursor this list did
    not make is a 400 saying so."""
    try:
        return paging.keyset_page(stmt, keys, values_of, request.args.get("cursor") or None,
                                  per_page)
    except paging.InvalidCursor:
        raise InvalidParameter(_("This link to a page of the list is not valid (altered or "
                                 "cut short): start again from the first page.")) from None


def offset_page(stmt, per_page: int) -> paging.OffsetPage:
    """The ?page= of a list whose count stops at paging.COUNT_LIMIT."""
    return paging.offset_page(stmt, page_number(), per_page)


def public_url(endpoint: str, **values) -> str:
    """An absolute link for posters and e-mails: PUBLIC_BASE_URL when set (behind a proxy)."""
    if base := current_app.config.get("PUBLIC_BASE_URL"):
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def visible_establishments() -> list[Establishment]:
    """The establishments the signed-in user may see, by name."""
    return list(db.session.scalars(
        scoped(select(Establishment), Establishment.id).order_by(Establishment.name)))


def threshold_of(establishments: list[Establishment]) -> int:
    """The anonymity threshold of these establishments' figures (pooled: the strictest)."""
    return insights.anonymity_threshold(establishments, current_app.config["ANONYMITY_THRESHOLD"])


def summary_selection(establishment: Establishment, first_day, last_day,
                      **narrowing) -> insights.SummaryFilter:
    """A summary filter of one establishment. Its finished weeks are cut by the queue's task
    (tasks.cut_cohorts), never by a page: a read writes nothing and waits on no cut."""
    return insights.summary_filter(establishment, first_day, last_day,
                                    threshold=current_app.config["ANONYMITY_THRESHOLD"],
                                    now=utcnow(), **narrowing)


# The session key of the browser's server-side session (see accounts.open_session).
SESSION_KEY = "sid"


def load_user(session_id: str):
    """Flask-Login's loader: the account, if this browser's server-side session is open."""
    return accounts.load_user(session_id, session.get(SESSION_KEY), utcnow())


def local_passwords(providers: list[IdentityProvider] | None = None) -> bool:
    """Whether Écho passwords open accounts here (see accounts.sso.local_passwords_allowed)."""
    if providers is None:
        providers = sso.enabled_providers()
    return sso.local_passwords_allowed(current_app.config["LOCAL_PASSWORDS"], providers)


def sign_in(user) -> None:
    """A fresh session for `user` on this browser, known to the server."""
    lang = session.get("lang")
    session.clear()  # a fresh session on sign-in (no fixation)
    if lang:
        session["lang"] = lang
    session[SESSION_KEY] = accounts.open_session(user, utcnow())
    login_user(user)


def requested_establishment() -> Establishment | None:
    """The user's own establishment, or the one a network-wide user asked for (None: not yet).

    Asking for another establishment than one's own is a 404, like any object of another one.
    """
    ident = request.values.get("establishment", "")
    if not current_user.network_wide:
        if ident and ident != str(current_user.establishment_id):
            abort(404)
        return current_user.establishment
    if not ident:
        return None
    establishment = (db.session.get(Establishment, int(ident))
                     if ident.isdigit() and int(ident) <= MAX_ID else None)
    if establishment is None:
        abort(404)
    return establishment


def default_period(establishment: Establishment) -> tuple[date, date]:
    """From go-live to the last finished week with data (or today when none has any yet)."""
    threshold = effective_threshold(establishment, current_app.config["ANONYMITY_THRESHOLD"])
    week = insights.last_full_week(establishment.id, threshold,
                                   anonymity.last_closed_week(utcnow()))
    last = week + timedelta(days=6) if week else local_today()
    return establishment.go_live, max(last, establishment.go_live)


def choose_establishment(endpoint: str):
    return render_template("dashboard/choose.html", establishments=visible_establishments(),
                           endpoint=endpoint)


def send_link_mail(user: User, url: str, expires_at, *, invitation: bool) -> None:
    """The e-mail, in the person's own language, with the link and when it stops working."""
    with force_locale(user.locale):
        subject = (_("Your Écho account") if invitation
                   else _("Choose a new password for Écho"))
        body = "\n\n".join([
            _("Hello %(name)s,", name=user.name),
            _("An Écho account has been created for you. To choose your password, open this "
              "link:") if invitation else _("To choose a new password for Écho, open this link:"),
            url,
            _("The link works once, until %(expires)s (Québec time).",
              expires=format_datetime(expires_at)) + "\n"
            + _("Your sign-in e-mail is %(email)s.", email=user.email),
            _("If you did not expect this message, ignore it: your account stays as it is."),
            "— Écho",
        ]) + "\n"
    send_mail(current_app.config, to=user.email, subject=subject, body=body)


def notify_access_request(admins: list[User], email: str, provider_name: str) -> None:
    """E-mail each admin, in their language, that `email` asks for an account (when mail is on;
    the request is in the audit trail either way)."""
    if not mail_enabled(current_app.config):
        return
    for admin in admins:
        with force_locale(admin.locale):
            subject = _("Écho: %(email)s asks for an account", email=email)
            body = "\n\n".join([
                _("Hello %(name)s,", name=admin.name),
                _("%(email)s signed in through %(provider)s, whose e-mail it verified, but has no "
                  "Écho account. If this person needs one, create it on the People page, with "
                  "their role and establishment:", email=email, provider=provider_name),
                public_url("admin.person_new"),
                "— Écho",
            ]) + "\n"
        try:
            send_mail(current_app.config, to=admin.email, subject=subject, body=body)
        except MailError as error:
            current_app.logger.warning("access request not mailed to user %s: %s", admin.id,
                                       error)


def deliver_reset_link(user: User, *, invitation: bool, back: str) -> Response:
    """Issue a link for `user` (admin action), commit, then e-mail it or show it once.

    When the mail server refuses, the failure is audited and the link is shown instead, so an
    admin is never stuck.
    """
    hours, now = current_app.config["PASSWORD_RESET_HOURS"], utcnow()
    token = resets.issue_reset(user, actor=current_user, valid_for=timedelta(hours=hours),
                               now=now)
    db.session.commit()
    url = public_url("account.reset", token=token)
    expires_at = now + timedelta(hours=hours)
    if mail_enabled(current_app.config):
        try:
            send_link_mail(user, url, expires_at, invitation=invitation)
        except MailError as error:
            current_app.logger.warning("reset link for user %s not mailed: %s", user.id, error)
            audit.record("user.reset_mail_failed", actor=current_user,
                         establishment_id=user.establishment_id, target=user)
            db.session.commit()
            flash(_("The mail server did not accept the message: pass the link on yourself."),
                  "error")
        else:
            flash(_("A link was e-mailed to %(email)s. It works once, for %(hours)d hours.",
                    email=user.email, hours=hours), "success")
            return redirect(back)
    return private_response(make_response(render_template(
        "account/link_issued.html", person=user, url=url, hours=hours, invitation=invitation,
        back=back,
    )))


def private_response(response: Response) -> Response:
    """Pages holding a one-time link: never cached, never sent as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
