"""The JSON API under /api/v1, and the profile pages of the tokens it is used with.

API requests authenticate with `Authorization: Bearer <token>` only: cookies are ignored, so the
API needs no CSRF token and a signed-in browser cannot be made to call it. A token acts with its
owner's role and establishment, through the same `role` checks and `scoped` queries as the pages.
Every error is an RFC 9457 problem (application/problem+json), including those of the app-wide
error handlers for anything under /api/. feedback/openapi.py describes it all.
"""

import functools
import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from feedback import insights, paging
from feedback.access import can_see, scoped
from feedback.accounts import tokens
from feedback.api import openapi
from feedback.api.parameters import (
    LIST_PARAMETERS,
    SUMMARY_GROUPS,
    SUMMARY_PARAMETERS,
    choice_parameter,
    cursor_from,
    date_parameter,
    encode_cursor,
    establishment_or_404,
    int_parameter,
    listed_establishment,
    summary_filter_from_query,
    unknown_parameters,
)
from feedback.api.problems import (
    NUL,
    PROBLEMS,
    UNSTORABLE,
    Invalid,
    field_error,
    parameter_error,
    problem,
)
from feedback.api.serialise import (
    FEEDBACK_LOADING,
    breakdown_json,
    feedback_json,
    json_moment,
    kpis_json,
    learning_json,
    scores_json,
)
from feedback.clock import local_today, utcnow
from feedback.extensions import csrf, db, limiter, login_manager
from feedback.forms import REF
from feedback.issues import kpis as kpi
from feedback.learnings import published_learnings
from feedback.models import (
    ApiToken,
    Establishment,
    Feedback,
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

# The API nests under "api" so its endpoints read api.v1.<verb> and a later version sits beside it.
bp = Blueprint("api", __name__)
v1 = Blueprint("v1", __name__, url_prefix="/api/v1")  # the API itself: tokens only
bp.register_blueprint(v1)
csrf.exempt(v1)  # the API reads no cookie, so there is no session to forge requests with


@v1.errorhandler(Invalid)
def _invalid(error: Invalid):
    return problem(422, errors=error.errors)


# Public operations; every other one needs a token.
PUBLIC_ENDPOINTS = {"api.v1.openapi_document", "api.v1.docs"}
MAX_BODY = 64 * 1024
BODY_FIELDS = ("text", "sector_id", "site_id", "affected_role", "priority", "client_uuid",
               "observed_at", "themes")


# --- Problem details (RFC 9457) ---------------------------------------------------------------


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


# --- Representations ----------------------------------------------------------------------------


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
                  "created_at": json_moment(token.created_at)},
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


@v1.get("/feedback")
@rate_limited
@requires(Role.SUPER_USER)
def list_feedback():
    """The listing of the managers' summaries, a page at a time, with its anonymity rules."""
    errors = unknown_parameters(LIST_PARAMETERS)
    establishment = listed_establishment(errors)
    limit = int_parameter("limit", errors, high=openapi.MAX_PAGE) or openapi.DEFAULT_PAGE
    sentiment = choice_parameter("sentiment", [s.value for s in SentimentLabel], errors)
    theme_id = None
    if code := request.args.get("theme"):
        theme_id = db.session.scalar(select(Theme.id).where(Theme.code == code))
        if theme_id is None:
            errors.append(parameter_error("theme", _("Unknown theme code.")))
    after = cursor_from(request.args.get("cursor"), errors)
    if establishment is None:
        raise Invalid(errors)
    selection = summary_filter_from_query(establishment, errors)  # raises with every error so far
    sentiment = SentimentLabel(sentiment) if sentiment else None
    rules = insights.listing_rules(selection)
    stmt = insights.listing(selection, theme_id, sentiment)
    if not current_user.has_role(Role.MANAGER):
        # As on the observations page: super-users read what they observed themselves.
        stmt = stmt.where(Feedback.author_id == current_user.id)
    if after:
        stmt = stmt.where(paging.after(insights.LISTING_KEYS, after))
    rows = list(db.session.scalars(stmt.limit(limit + 1).options(*FEEDBACK_LOADING)))
    page, more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(page[-1]) if more else None
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


@v1.get("/establishments/<code>/summary")
@rate_limited
@requires(Role.MANAGER)
def summary(code: str):
    """The managers' summary: the same aggregates, with the same anonymity threshold."""
    establishment = establishment_or_404(code)
    errors = unknown_parameters(SUMMARY_PARAMETERS)
    by = choice_parameter("by", list(SUMMARY_GROUPS), errors)
    selection = summary_filter_from_query(establishment, errors)
    figures = insights.SummaryFigures(selection, establishment)
    themes = figures.breakdown(by)
    # Survey scores have no sector breakdown: there, they are given for the whole selection.
    scores = figures.survey(by if by != "sector" else None)
    scope = selection.scope
    return {
        "establishment": establishment.code,
        "period": {"first_week": scope.first_week.isoformat(),
                   "last_day": scope.last_day.isoformat()},
        "threshold": selection.threshold,
        "themes": breakdown_json(themes),
        "survey": [scores_json(group) for group in scores],
    }


@v1.get("/establishments/<code>/issue-kpis")
@rate_limited
@requires(Role.MANAGER)
def issue_kpis(code: str):
    establishment = establishment_or_404(code)
    errors = unknown_parameters(("from", "to"))
    first = date_parameter("from", errors)
    last = date_parameter("to", errors)
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
    return kpis_json(kpis)


@v1.get("/establishments/<code>/learnings")
@rate_limited
@requires(Role.SUPER_USER)
def list_learnings(code: str):
    establishment = establishment_or_404(code)
    errors = unknown_parameters(("limit",))
    limit = int_parameter("limit", errors, high=openapi.MAX_PAGE) or openapi.DEFAULT_PAGE
    if errors:
        raise Invalid(errors)
    return {"items": [learning_json(learning)
                      for learning in published_learnings(establishment.id, limit=limit)]}


# --- Tokens, in the profile ---------------------------------------------------------------------


