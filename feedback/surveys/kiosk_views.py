"""Kiosk mode: the survey on a unit's shared workstation, answered by one person after another.

The kiosk remembers nothing between people: no cookie is read or written (no session, so no
CSRF token kept in one: the signed one-time submission token still makes each form count once),
no page is cached, the browser is asked not to fill fields in, and the language a person picks
lasts until their thank-you page. The page goes back to the first question after the thank-you
page or after a minute without a touch (static/js/kiosk.js), so the next person starts at once.
The station's unit comes from its link (`?unite=`), set up once for the workstation.
"""

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from feedback import surveys
from feedback.clock import local_today
from feedback.extensions import csrf, db, limiter
from feedback.learnings import published_learnings
from feedback.models import Establishment, Sector
from feedback.security import keep_no_session
from feedback.surveys.views import bp, store_response, survey_form, survey_rate_limit

KIOSK_HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _establishment(code: str) -> Establishment:
    return db.first_or_404(
        select(Establishment).where(Establishment.code == code.upper(), Establishment.active))


def _station(sectors: list[Sector] | None = None) -> dict:
    """The workstation's unit, from its link (kept only when the campaign offers it)."""
    raw = request.args.get("unite", "")
    if raw.isdigit() and (sectors is None or any(s.id == int(raw) for s in sectors)):
        return {"unite": int(raw)}
    return {}


def _language() -> str:
    """The language a person picked on this kiosk page (`?lang=`), else the browser's; never
    anything kept from the person before."""
    languages = current_app.config["LANGUAGES"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    return request.accept_languages.best_match(languages, default=languages[0])


def _kiosk_response(body, status: int = 200):
    keep_no_session()
    response = make_response(body, status)
    response.headers.update(KIOSK_HEADERS)
    return response


@bp.route("/k/<code>", methods=["GET", "POST"])
@limiter.limit(survey_rate_limit, methods=["POST"])
@csrf.exempt  # no session to hold a CSRF token: the signed one-time token guards the form
def kiosk(code):
    establishment = _establishment(code)
    today = local_today()
    locale = _language()
    with force_locale(locale):
        campaign = surveys.open_campaign_of(establishment, today)
        if campaign is None:
            return _kiosk_response(render_template(
                "surveys/no_pulse.html", establishment=establishment))
        sectors = surveys.offered_sectors(campaign)
        station = _station(sectors)
        form = survey_form(campaign, sectors, locale, meta={"csrf": False})
        secret = current_app.config["SECRET_KEY"]
        expired = False
        if request.method == "GET":
            form.phase.data = establishment.phase_on(today)
            if station:
                form.sector.data = str(station["unite"])
            form.token.data = surveys.new_submission_token(campaign, secret)
        elif form.website.data:
            keep_no_session()
            return redirect(url_for(".kiosk_thanks", code=establishment.code, **station,
                                    lang=locale))
        elif form.validate_on_submit():
            nonce = surveys.read_submission_token(form.token.data or "", campaign, secret)
            if nonce is None:
                form.token.data = surveys.new_submission_token(campaign, secret)
                expired = True
            else:
                store_response(form, campaign, sectors, nonce, today)
                keep_no_session()
                return redirect(url_for(".kiosk_thanks", code=establishment.code, **station,
                                        lang=locale))
        return _kiosk_response(render_template(
            "surveys/kiosk.html", campaign=campaign, form=form, locale=locale,
            comment_max=surveys.COMMENT_MAX_LENGTH, expired=expired, station=station,
            home=url_for(".kiosk", code=establishment.code, **station),
            idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"]))


@bp.route("/k/<code>/merci")
def kiosk_thanks(code):
    establishment = _establishment(code)
    with force_locale(_language()):
        station = _station()
        return _kiosk_response(render_template(
            "surveys/kiosk_thanks.html", establishment=establishment,
            learnings=published_learnings(establishment.id, limit=3),
            home=url_for(".kiosk", code=establishment.code, **station),
            idle_seconds=current_app.config["KIOSK_THANKS_SECONDS"],
            title=_("Thank you")))
