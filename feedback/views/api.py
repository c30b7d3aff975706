"""The JSON API under /api/v1 (issue 7), and the profile pages of the tokens it is used with.

API requests authenticate with `Authorization: Bearer <token>` only: cookies are ignored, so the
API needs no CSRF token and a signed-in browser cannot be made to call it. A token acts with its
owner's role and establishment, through the same `role` checks and `scoped` queries as the pages.
Every error is an RFC 9457 problem (application/problem+json), including those of the app-wide
error handlers for anything under /api/. feedback/openapi.py describes it all.
"""

import base64
import binascii
import functools
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from http import HTTPStatus
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from wtforms import SelectChoice

from feedback import insights, openapi
from feedback.access import can_see, scoped
from feedback.accounts import tokens
from feedback.clock import QUEBEC, local_today, utcnow
from feedback.extensions import csrf, db, limiter, login_manager
from feedback.forms import REF
from feedback.insights import rollups
from feedback.issues import kpis as kpi
from feedback.learnings import published_learnings
from feedback.models import (
    ApiToken,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Learning,
    Priority,
    Role,
    Sector,
    SentimentLabel,
    Site,
    Theme,
    WriterRole,
)
from feedback.observations import ObservationExists, record_observation
from feedback.observations.forms import ObservationForm
from feedback.tagging import active_themes
from feedback.web import default_period, summary_selection

bp = Blueprint("api", __name__)  # the profile's token pages: cookies and CSRF, like any page
v1 = Blueprint("v1", __name__, url_prefix="/api/v1")  # the API itself: tokens only
bp.register_blueprint(v1)
csrf.exempt(v1)  # the API reads no cookie, so there is no session to forge requests with

NUL = "\x00"
UNSTORABLE = _l("This holds a NUL character, which cannot be stored.")

# Public operations; every other one needs a token.
PUBLIC_ENDPOINTS = {"api.v1.openapi_document", "api.v1.docs"}
MAX_BODY = 64 * 1024
BODY_FIELDS = ("text", "sector_id", "site_id", "affected_role", "priority", "client_uuid",
               "observed_at", "themes")


# --- Problem details (RFC 9457) ---------------------------------------------------------------

PROBLEMS = {
    400: ("bad-request", _l("Bad request"), _l("The request could not be understood.")),
    401: ("unauthorized", _l("Authentication required"),
          _l("Send a valid API token: Authorization: Bearer <token>. Tokens are created in "
             "your profile.")),
    403: ("forbidden", _l("Access denied"),
          _l("Your role does not give access to this operation.")),
    404: ("not-found", _l("Not found"),
          _l("This does not exist, or is not part of your establishment.")),
    405: ("method-not-allowed", _l("Method not allowed"),
          _l("This operation does not accept this HTTP method.")),
    409: ("conflict", _l("Conflict"), _l("This conflicts with what is already stored.")),
    413: ("too-large", _l("Too large"), _l("What you sent is larger than the API accepts.")),
    415: ("unsupported-media-type", _l("Unsupported media type"),
          _l("Send the body as JSON, with Content-Type: application/json.")),
    422: ("validation", _l("Invalid data"), _l("Some of the data is not valid: see errors.")),
    429: ("rate-limited", _l("Too many requests"),
          _l("Too many requests with this token: wait the number of seconds in Retry-After, "
             "then try again.")),
    500: ("server-error", _l("Something went wrong"),
          _l("The error has been logged. Please try again in a moment.")),
}


def problem(status: int, detail: str | None = None, *, errors: list[dict] | None = None,
            headers: dict | None = None) -> Response:
    if status in PROBLEMS:
        slug, title, default_detail = PROBLEMS[status]
        kind = url_for("api.v1.docs", _anchor=f"problem-{slug}")
    else:  # RFC 9457: no type of our own, the status phrase as title
        kind, title = "about:blank", HTTPStatus(status).phrase
        default_detail = PROBLEMS[500][2] if status >= 500 else title
    body = {
        "type": kind,
        "title": str(title),
        "status": status,
        "detail": str(detail or default_detail),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = make_response(json.dumps(body, ensure_ascii=False), status)
    response.mimetype = "application/problem+json"
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="echo"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_for(error: HTTPException) -> Response:
    """An HTTP error raised anywhere under /api/, as a problem (the app's error handler calls it).

    A description given on purpose (abort(404, description=...)) is kept; werkzeug's stock
    English descriptions are replaced by ours, translated.
    """
    code = error.code or 500
    detail = error.description if "description" in vars(error) else None
    headers = {}
    if code == 405 and (allowed := getattr(error, "valid_methods", None)):
        headers["Allow"] = ", ".join(allowed)
    if code == 429:
        detail = None  # Flask-Limiter's message names the limit; ours says what to do
    return problem(code, detail, headers=headers)


class Invalid(Exception):
    """Invalid input, reported as one 422 problem listing every error."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors)
        self.errors = errors


def field_error(name: str, message: str) -> dict:
    return {"detail": str(message), "pointer": f"#/{name}"}


def parameter_error(name: str, message: str) -> dict:
    return {"detail": str(message), "parameter": name}


@v1.errorhandler(Invalid)
def _invalid(error: Invalid):
    return problem(422, errors=error.errors)


# --- Authentication, roles, rate limit --------------------------------------------------------

@v1.before_request
def authenticate():
    """Who the request acts for: the token's owner, never the session cookie."""
    request.max_content_length = MAX_BODY
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None  # the documentation: read-only, the same for everyone
    g._login_user = login_manager.anonymous_user()  # Flask-Login's current_user for this request
    if nul := [name for name, value in request.args.items(multi=True)
               if NUL in name or NUL in value]:
        # PostgreSQL refuses NUL in text: say so instead of failing on the query.
        return problem(422, errors=[parameter_error(name, UNSTORABLE) for name in nul])
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return problem(401)
    token = tokens.authenticate(secret.strip(), now=utcnow())
    if token is None:
        response = problem(401, _("This token is unknown or has been revoked."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="echo", error="invalid_token"'
        return response
    db.session.commit()  # last_used_at
    g.api_token = token
    g._login_user = token.user
    return None


def requires(role: Role) -> Callable:
    """Let through tokens whose owner holds `role` or a higher one; others get 403."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                return problem(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "120 per minute")


def _rate_key() -> str:
    token = g.get("api_token")
    return f"api-token:{token.id}" if token is not None else f"api-ip:{request.remote_addr}"


# One budget per token, shared by every operation.
rate_limited = limiter.shared_limit(_rate_limit, scope="api", key_func=_rate_key)


# --- Reading parameters -------------------------------------------------------------------------

def _int_parameter(name: str, errors: list[dict], *, low: int = 1,
                   high: int = openapi.MAX_ID) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors.append(parameter_error(name, _("Give a whole number from %(low)s to %(high)s.",
                                              low=low, high=high)))
        return None
    return value


def _date_parameter(name: str, errors: list[dict]) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        if len(raw) != 10:  # fromisoformat also reads 20260512 and week dates
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(parameter_error(name, _("Give a date as YYYY-MM-DD.")))
        return None


def _choice_parameter(name: str, allowed: list[str], errors: list[dict]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        errors.append(parameter_error(name, _("Use one of: %(values)s.",
                                              values=", ".join(allowed))))
        return None
    return raw


def _establishment_or_404(code: str) -> Establishment:
    if NUL in code or len(code) > 20:
        abort(404)
    establishment = db.session.scalar(
        select(Establishment).where(Establishment.code == code.strip().upper()))
    if establishment is None or not can_see(establishment.id):
        abort(404)
    return establishment


# --- Representations ----------------------------------------------------------------------------

def _moment(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def feedback_json(feedback: Feedback, listed: bool = False) -> dict:
    """A feedback as the API shows it, named by its random reference (never its id).

    Survey and imported comments are anonymous: as in the managers' listing page and export,
    they show only what their anonymity cohort shares (role, sector, phase, the week) and never
    their time or day. Outside a listing (a single comment), none of these.
    """
    anonymous = feedback.kind in insights.ANONYMOUS_KINDS
    role = feedback.role.value
    rules = insights.ListingRules
    shows_role = not anonymous or (listed and rules.shows_role(feedback))
    shows_place = not anonymous or (listed and rules.shows_sector(feedback))
    shows_phase = not anonymous or (listed and rules.shows_phase(feedback))
    cohort = feedback.cohort if anonymous and listed else None
    observation = feedback.observation
    return {
        "ref": feedback.ref,
        "establishment": feedback.establishment.code,
        "kind": feedback.kind.value,
        "text": feedback.text,
        "language": feedback.language,
        "sentiment": feedback.sentiment.value,
        "polarity": feedback.polarity,
        "themes": [{"code": link.theme.code, "confidence": link.confidence,
                    "source": link.source.value} for link in feedback.themes],
        "site": ({"id": feedback.site.id, "name": feedback.site.name}
                 if feedback.site and shows_place else None),
        "sector": ({"id": feedback.sector.id, "code": feedback.sector.code,
                    "name_fr": feedback.sector.name_fr, "name_en": feedback.sector.name_en}
                   if feedback.sector and shows_place else None),
        "role": role if shows_role else None,
        "phase": feedback.phase if shows_phase else None,
        "created_at": None if anonymous else _moment(feedback.created_at),
        "created_on": (None if anonymous
                       else feedback.created_at.astimezone(QUEBEC).date().isoformat()),
        "week_of": (cohort.week.isoformat() if cohort is not None else None) if anonymous
        else rollups.monday(feedback.created_at.astimezone(QUEBEC).date()).isoformat(),
        "issue_id": feedback.issue_id,
        "observation": {
            "priority": observation.priority.value if observation.priority else None,
            "affected_role": (observation.affected_role.value if observation.affected_role
                              else None),
            "client_uuid": observation.client_uuid,
        } if observation else None,
    }


FEEDBACK_LOADING = (
    selectinload(Feedback.establishment), selectinload(Feedback.site),
    selectinload(Feedback.sector), selectinload(Feedback.observation),
    selectinload(Feedback.themes).selectinload(FeedbackTheme.theme),
    selectinload(Feedback.cohort),
)


def _kpis_json(kpis: kpi.IssueKpis) -> dict:
    return {
        "start": _moment(kpis.start), "end": _moment(kpis.end),
        "received": kpis.received, "resolved": kpis.resolved, "duplicates": kpis.duplicates,
        "priority_received": kpis.priority_received,
        "priority_resolved": kpis.priority_resolved,
        "priority_resolved_within_24h": kpis.priority_resolved_within_24h,
        "priority_waiting": kpis.priority_waiting,
        "median_hours_to_resolution": kpis.median_hours_to_resolution,
        "resolved_share": kpis.resolved_share,
        "priority_resolved_share": kpis.priority_resolved_share,
        "priority_within_24h_share": kpis.priority_within_24h_share,
        "backlog": kpis.backlog,
        "backlog_by_theme": [{"theme": row.theme.code, "open": row.open,
                              "priority": row.priority} for row in kpis.backlog_by_theme],
        "backlog_without_theme": kpis.backlog_without_theme,
    }


def _learning_json(learning: Learning) -> dict:
    return {
        "id": learning.id, "title": learning.title, "learned": learning.learned,
        "action": learning.action, "action_owner": learning.action_owner,
        "action_on": learning.action_on.isoformat() if learning.action_on else None,
        "phase": learning.phase, "published_at": _moment(learning.published_at),
        "themes": sorted(theme.code for theme in learning.themes),
    }


# --- Documentation --------------------------------------------------------------------------

def _server_url() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + "/"


@v1.get("/openapi.json")
@rate_limited
def openapi_document():
    response = make_response(json.dumps(openapi.document(_server_url()), ensure_ascii=False,
                                        indent=1))
    response.mimetype = "application/json"
    return response


@v1.get("/docs")
@rate_limited
def docs():
    document = openapi.document(_server_url())
    return render_template("api/docs.html", document=document,
                           schemas=document["components"]["schemas"],
                           problems={slug: (title, detail)
                                     for slug, title, detail in PROBLEMS.values()})


# --- Operations -----------------------------------------------------------------------------

@v1.get("/me")
@rate_limited
@requires(Role.SUPER_USER)
def me():
    token: ApiToken = g.api_token
    return {
        "name": current_user.name, "email": current_user.email,
        "role": current_user.role.value,
        "establishment": current_user.establishment.code if current_user.establishment else None,
        "token": {"name": token.name, "prefix": token.prefix,
                  "created_at": _moment(token.created_at)},
    }


@v1.get("/establishments")
@rate_limited
@requires(Role.SUPER_USER)
def list_establishments():
    establishments = db.session.scalars(
        scoped(select(Establishment), Establishment.id)
        .options(selectinload(Establishment.sites).selectinload(Site.sectors))
        .order_by(Establishment.code)
    )
    today = local_today()
    return {"items": [{
        "code": e.code, "name": e.name, "go_live": e.go_live.isoformat(),
        "phase": e.phase_on(today), "active": e.active,
        "sites": [{
            "id": site.id, "name": site.name, "kind": site.kind.value, "active": site.active,
            "sectors": [{"id": s.id, "code": s.code, "name_fr": s.name_fr,
                         "name_en": s.name_en, "active": s.active} for s in site.sectors],
        } for site in e.sites],
    } for e in establishments]}


LIST_PARAMETERS = ("establishment", "since", "until", "phase", "role", "sector", "kind", "theme",
                   "sentiment", "limit", "cursor")
SUMMARY_PARAMETERS = ("since", "until", "phase", "role", "sector", "kind", "by")
SUMMARY_GROUPS = ("week", "phase", "sector", "role_group")


def _summary_filter(establishment: Establishment, errors: list[dict]) -> insights.SummaryFilter:
    """The summaries' own filter, from the query string: whole Québec weeks, the threshold."""
    since = _date_parameter("since", errors)
    until = _date_parameter("until", errors)
    phase = _int_parameter("phase", errors, high=3)
    role = _choice_parameter("role", [r.value for r in WriterRole], errors)
    sector_id = _int_parameter("sector", errors)
    kind = _choice_parameter("kind", [k.value for k in FeedbackKind], errors)
    if since and until and until < since:
        errors.append(parameter_error("until", _("The last day must not be before the first.")))
    if errors:
        raise Invalid(errors)
    # Without dates, the summary page's own period: from go-live to the last week with data.
    default_first, default_last = default_period(establishment)
    first, last = since or default_first, until or default_last
    return summary_selection(
        establishment, first, max(first, last), phase=phase,
        role=WriterRole(role) if role else None, sector_id=sector_id,
        kind=FeedbackKind(kind) if kind else None)


def _unknown_parameters(allowed: tuple[str, ...]) -> list[dict]:
    return [parameter_error(name, _("Unknown parameter."))
            for name in sorted(set(request.args) - set(allowed))]


def _listed_establishment(errors: list[dict]) -> Establishment | None:
    code = request.args.get("establishment", "")
    if not code:
        if current_user.network_wide:
            errors.append(parameter_error("establishment", _(
                "Choose an establishment (its code): your account is network-wide.")))
        return current_user.establishment
    establishment = db.session.scalar(
        select(Establishment).where(Establishment.code == code.strip().upper()))
    if establishment is None or not can_see(establishment.id):
        errors.append(parameter_error("establishment", _("Unknown establishment, or not yours.")))
        return None
    return establishment


@v1.get("/feedback")
@rate_limited
@requires(Role.SUPER_USER)
def list_feedback():
    """The listing of the managers' summaries, a page at a time, with its anonymity rules."""
    errors = _unknown_parameters(LIST_PARAMETERS)
    establishment = _listed_establishment(errors)
    limit = _int_parameter("limit", errors, high=openapi.MAX_PAGE) or openapi.DEFAULT_PAGE
    sentiment = _choice_parameter("sentiment", [s.value for s in SentimentLabel], errors)
    theme_id = None
    if code := request.args.get("theme"):
        theme_id = db.session.scalar(select(Theme.id).where(Theme.code == code))
        if theme_id is None:
            errors.append(parameter_error("theme", _("Unknown theme code.")))
    after = _cursor(request.args.get("cursor"), errors)
    if establishment is None:
        raise Invalid(errors)
    selection = _summary_filter(establishment, errors)  # raises with every error so far
    sentiment = SentimentLabel(sentiment) if sentiment else None
    rules = insights.listing_rules(selection)
    stmt = insights.listing(selection, theme_id, sentiment)
    if not current_user.has_role(Role.MANAGER):
        # As on the observations page: super-users read what they observed themselves.
        stmt = stmt.where(Feedback.author_id == current_user.id)
    if after:
        moment, last_ref = after
        stmt = stmt.where(or_(Feedback.created_at < moment,
                              and_(Feedback.created_at == moment, Feedback.ref > last_ref)))
    rows = list(db.session.scalars(stmt.limit(limit + 1).options(*FEEDBACK_LOADING)))
    page, more = rows[:limit], len(rows) > limit
    next_cursor = _encode_cursor(page[-1]) if more else None
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    scope = selection.scope
    return {
        "period": {"first_week": scope.first_week.isoformat(),
                   "last_day": scope.last_day.isoformat()},
        "anonymous_hidden": not rules.anonymous_visible,
        "anonymous_withheld": rules.protection.withheld,
        "items": [feedback_json(item, listed=True) for item in page],
        "next_cursor": next_cursor,
        "next": (url_for(".list_feedback", **args, cursor=next_cursor, _external=True)
                 if next_cursor else None),
    }


def _encode_cursor(feedback: Feedback) -> str:
    raw = json.dumps([feedback.created_at.isoformat(), feedback.ref]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor(value: str | None, errors: list[dict]) -> tuple[datetime, str] | None:
    if not value:
        return None
    try:
        moment, last_ref = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        moment = datetime.fromisoformat(moment)
        if moment.tzinfo is None or not isinstance(last_ref, str) \
                or not REF.fullmatch(last_ref):
            raise ValueError(value)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        errors.append(parameter_error("cursor", _(
            "This cursor is not valid: use next_cursor from the previous page.")))
        return None
    return moment, last_ref


@v1.get("/feedback/<ref>")
@rate_limited
@requires(Role.SUPER_USER)
def get_feedback(ref: str):
    if not REF.fullmatch(ref):
        abort(404)
    stmt = scoped(select(Feedback).where(Feedback.ref == ref), Feedback.establishment_id)
    if not current_user.has_role(Role.MANAGER):
        stmt = stmt.where(Feedback.author_id == current_user.id)
    feedback = db.session.scalar(stmt.options(*FEEDBACK_LOADING))
    if feedback is None:
        abort(404)
    return feedback_json(feedback)


@v1.post("/feedback")
@rate_limited
@requires(Role.SUPER_USER)
def create_observation():
    """Record an observation through the observation form's own validation and domain call."""
    if not request.is_json:
        return problem(415)
    payload = request.get_json(silent=True)
    if payload is None:
        return problem(400, _("The body is not valid JSON."))
    if not isinstance(payload, dict):
        raise Invalid([field_error("", _("Send a JSON object."))])
    form, location_field, place = _observation_form(payload)
    themes = active_themes()
    form.themes.choices = [SelectChoice(code, code) for code in themes]
    if not form.validate():
        raise Invalid([
            field_error(location_field if name == "location" else name, message)
            for name, messages in form.errors.items() for message in messages
        ])
    establishment, site, sector = place
    try:
        feedback = record_observation(
            establishment=establishment, author=current_user._get_current_object(),
            text=form.text.data, client_uuid=form.client_uuid.data.lower(),
            affected_role=WriterRole(form.affected_role.data),
            priority=Priority(form.priority.data) if form.priority.data else None,
            site=site, sector=sector, added_themes=form.themes.data or None,
            created_at=form.observed_moment(), themes=themes,
        )
    except ObservationExists as exists:
        if exists.feedback.author_id != current_user.id:
            return problem(409, _("This client_uuid belongs to another observation."))
        return feedback_json(exists.feedback), 200
    db.session.commit()
    response = make_response(feedback_json(feedback), 201)
    response.headers["Location"] = url_for(".get_feedback", ref=feedback.ref)
    return response


def _observation_form(payload: dict) -> tuple[ObservationForm, str, tuple | None]:
    """The observation form filled from a JSON body; type errors are reported at once."""
    errors = [field_error(name, _("Unknown field.")) for name in sorted(payload)
              if name not in BODY_FIELDS]
    strings = {}
    for name in ("text", "affected_role", "client_uuid", "observed_at"):
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            errors.append(field_error(name, _("Give a string.")))
        elif value is not None and NUL in value:
            errors.append(field_error(name, UNSTORABLE))
        elif value is not None:
            strings[name] = value
    priority = payload.get("priority")
    if priority is not None and not isinstance(priority, str):
        errors.append(field_error("priority", _("Give P1, P2, P3 or null.")))
    themes = payload.get("themes") or []
    if not isinstance(themes, list) or not all(isinstance(code, str) for code in themes) \
            or len(themes) > 20:
        errors.append(field_error("themes", _("Give a list of theme codes.")))
        themes = []
    ids = {}
    for name in ("sector_id", "site_id"):
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) \
                or not 0 < value <= openapi.MAX_ID:
            errors.append(field_error(name, _("Give the id of a sector or site.")))
        else:
            ids[name] = value
    location_field = "sector_id" if "sector_id" in ids or "site_id" not in ids else "site_id"
    if not errors and not ids:
        errors.append(field_error("sector_id", _("Give sector_id or site_id: where it was "
                                                 "seen.")))
    if errors:
        raise Invalid(errors)

    place, location = _place(ids.get("sector_id"), ids.get("site_id"))
    formdata = MultiDict([
        ("text", strings.get("text", "")),
        ("affected_role", strings.get("affected_role", "")),
        ("priority", priority or ""),
        ("client_uuid", strings.get("client_uuid") or str(uuid.uuid4())),
        ("observed_at", strings.get("observed_at", "")),
        ("location", location),
        *(("themes", code) for code in themes),
    ])
    form = ObservationForm(formdata=formdata, meta={"csrf": False})
    form.location.choices = [SelectChoice(location, location)] if place else []
    return form, location_field, place


def _place(sector_id: int | None, site_id: int | None) -> tuple[tuple | None, str]:
    """Where an observation was made, if the token's owner may report from there (active)."""
    if sector_id is not None:
        sector = db.session.get(Sector, sector_id)
        ok = (sector is not None and sector.active and sector.site.active
              and sector.site.establishment.active and can_see(sector.site.establishment_id)
              and (site_id is None or sector.site_id == site_id))
        return ((sector.site.establishment, sector.site, sector) if ok else None,
                f"sector-{sector_id}")
    site = db.session.get(Site, site_id)
    ok = (site is not None and site.active and site.establishment.active
          and can_see(site.establishment_id))
    return (site.establishment, site, None) if ok else None, f"site-{site_id}"


def _protection_json(protection: insights.Protection) -> dict:
    return {"suppressed": protection.suppressed,
            "reason": protection.hidden.value if protection.hidden else None,
            "withheld": protection.withheld}


def _group_key(key: object) -> object:
    return key.isoformat() if isinstance(key, date) else key


def _sentiment_json(sentiment: insights.Sentiment | None) -> dict | None:
    if sentiment is None:
        return None
    return {"negative": sentiment.negative, "neutral": sentiment.neutral,
            "positive": sentiment.positive, "mean_polarity": sentiment.mean_polarity}


def _breakdown_json(breakdown: insights.ThemeBreakdown) -> dict:
    return {
        "by": breakdown.by,
        **_protection_json(breakdown.selection),
        "groups": [{
            "key": _group_key(group.key),
            **_protection_json(group.protection),
            "total": group.total,
            "responses": group.responses,
            "by_kind": ({kind.value: count for kind, count in group.by_kind.items()}
                        if group.by_kind is not None else None),
            "themes": [{
                "code": figure.theme.code, "count": figure.count, "share": figure.share,
                "responses": figure.responses, "sentiment": _sentiment_json(figure.sentiment),
                "sentiment_suppressed": figure.sentiment_protection.suppressed,
            } for figure in (group.themes or {}).values()],
        } for group in breakdown.groups],
    }


def _scores_json(scores: insights.SurveyScores) -> dict:
    recommend = scores.recommend
    return {
        "key": _group_key(scores.key),
        **_protection_json(scores.protection),
        "responses": scores.responses,
        "recommend": {
            **_protection_json(recommend.protection),
            "answers": recommend.answers, "promoters": recommend.promoters,
            "passives": recommend.passives, "detractors": recommend.detractors,
            "score": recommend.score,
        } if recommend is not None else None,
        "items": [{
            "item": item.item, **_protection_json(item.protection), "answers": item.answers,
            "mean": item.mean,
            "distribution": list(item.distribution) if item.distribution else None,
        } for item in scores.items or []],
    }


@v1.get("/establishments/<code>/summary")
@rate_limited
@requires(Role.MANAGER)
def summary(code: str):
    """The managers' summary: the same aggregates, with the same anonymity threshold."""
    establishment = _establishment_or_404(code)
    errors = _unknown_parameters(SUMMARY_PARAMETERS)
    by = _choice_parameter("by", list(SUMMARY_GROUPS), errors)
    selection = _summary_filter(establishment, errors)
    themes = insights.theme_breakdown(selection, by)
    # Survey scores have no sector breakdown: there, they are given for the whole selection.
    scores = insights.survey_scores(selection, by if by != "sector" else None)
    scope = selection.scope
    return {
        "establishment": establishment.code,
        "period": {"first_week": scope.first_week.isoformat(),
                   "last_day": scope.last_day.isoformat()},
        "threshold": selection.threshold,
        "themes": _breakdown_json(themes),
        "survey": [_scores_json(group) for group in scores],
    }


@v1.get("/establishments/<code>/issue-kpis")
@rate_limited
@requires(Role.MANAGER)
def issue_kpis(code: str):
    establishment = _establishment_or_404(code)
    errors = _unknown_parameters(("from", "to"))
    first = _date_parameter("from", errors)
    last = _date_parameter("to", errors)
    if errors:
        raise Invalid(errors)
    today = local_today()
    # The issues page's default period: from go-live to today.
    first = first or establishment.go_live
    last = last or max(today, first)
    if last < first:
        raise Invalid([parameter_error("to", _("The last day must not be before the first."))])
    if (last - first) > timedelta(days=3660):
        raise Invalid([parameter_error("to", _("Ask for ten years at most."))])
    kpis = kpi.issue_kpis([establishment.id], *kpi.local_period(first, last))
    return _kpis_json(kpis)


@v1.get("/establishments/<code>/learnings")
@rate_limited
@requires(Role.SUPER_USER)
def list_learnings(code: str):
    establishment = _establishment_or_404(code)
    errors = _unknown_parameters(("limit",))
    limit = _int_parameter("limit", errors, high=openapi.MAX_PAGE) or openapi.DEFAULT_PAGE
    if errors:
        raise Invalid(errors)
    return {"items": [_learning_json(learning)
                      for learning in published_learnings(establishment.id, limit=limit)]}


# --- Tokens, in the profile ---------------------------------------------------------------------


