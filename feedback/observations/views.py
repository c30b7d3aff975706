"""Super-users' field observations: a phone-first form that keeps working without the network.

The plain form posts like any other. With JavaScript, observations go into the browser's queue
(IndexedDB) first and reach the server through `sync`, which stores each client UUID once.
"""

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import format_number, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from wtforms import SelectChoice

from feedback.access import feedback_or_404, role_required, scoped
from feedback.clock import local_today, utcnow
from feedback.errors import render_error
from feedback.extensions import db, limiter
from feedback.forms import PostForm, normalise_newlines
from feedback.issues import PRIORITY_LABELS, STATUS_LABELS
from feedback.labels import ROLE_LABELS
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    ObservationDetail,
    Priority,
    Role,
    Sector,
    Site,
    Theme,
    WriterRole,
)
from feedback.observations import (
    ObservationExists,
    observations_of_day,
    record_observation,
    request_issue,
)
from feedback.observations.forms import (
    OBSERVATION_MAX_LENGTH,
    ObservationFilterForm,
    ObservationForm,
)
from feedback.paging import Key
from feedback.tagging import active_themes, suggest_themes
from feedback.web import id_argument, keyset_page

bp = Blueprint("observations", __name__, url_prefix="/observations")

SYNC_BATCH_MAX = 50
PER_PAGE = 25
OBSERVATION_KEYS = (Key(Feedback.created_at, descending=True, kind=datetime),
                    Key(Feedback.id, descending=True, kind=int))
# What the browser's queue sends for each observation: the form's own field names.
SYNC_FIELDS = ("location", "text", "affected_role", "priority", "themes_reviewed", "observed_at")
JSON_ENDPOINTS = ("observations.sync", "observations.themes", "observations.token")


@bp.context_processor
def labels() -> dict:
    return {"status_labels": STATUS_LABELS, "priority_labels": PRIORITY_LABELS,
            "role_labels": ROLE_LABELS}


@dataclass(frozen=True)
class Place:
    establishment: Establishment
    site: Site
    sector: Sector | None


def _places() -> tuple[list[SelectChoice], dict[str, Place]]:
    """The active sites and sectors the user may report from: select choices and their meaning."""
    locale = str(get_locale())
    sites = db.session.scalars(
        scoped(
            select(Site)
            .join(Establishment)
            .where(Site.active, Establishment.active)
            .options(selectinload(Site.sectors), selectinload(Site.establishment))
            .order_by(Establishment.name, Site.name),
            Site.establishment_id,
        )
    )
    choices = [SelectChoice("", _("Choose a place"))]
    places: dict[str, Place] = {}
    for site in sites:
        group = (f"{site.establishment.code} · {site.name}" if current_user.network_wide
                 else site.name)
        choices.append(SelectChoice(f"site-{site.id}", _("%(site)s — whole site", site=site.name),
                                    optgroup=group))
        places[f"site-{site.id}"] = Place(site.establishment, site, None)
        for sector in sorted((s for s in site.sectors if s.active), key=lambda s: s.name(locale)):
            choices.append(SelectChoice(f"sector-{sector.id}", sector.name(locale),
                                        optgroup=group))
            places[f"sector-{sector.id}"] = Place(site.establishment, site, sector)
    return choices, places


def _prepare(form: ObservationForm, location_choices: list[SelectChoice],
             themes: dict[str, Theme]) -> None:
    locale = str(get_locale())
    form.location.choices = location_choices
    form.themes.choices = [SelectChoice(code, theme.name(locale)) for code, theme in themes.items()]


def _last_location() -> str:
    """Where this observer last reported from: most rounds stay on the same unit."""
    row = db.session.execute(scoped(
        select(Feedback.site_id, Feedback.sector_id)
        .where(Feedback.author_id == current_user.id, Feedback.kind == FeedbackKind.OBSERVATION)
        .order_by(Feedback.created_at.desc())
        .limit(1),
        Feedback.establishment_id,  # lets the (establishment, kind, created_at) index serve
    )).first()
    if row is None:
        return ""
    return f"sector-{row.sector_id}" if row.sector_id else f"site-{row.site_id}"


def _record(form: ObservationForm, places: dict[str, Place], themes: dict[str, Theme]) -> Feedback:
    place = places[form.location.data]
    return record_observation(
        establishment=place.establishment,
        author=current_user._get_current_object(),
        text=form.text.data,
        client_uuid=form.client_uuid.data.lower(),
        affected_role=WriterRole(form.affected_role.data),
        priority=Priority(form.priority.data) if form.priority.data else None,
        site=place.site,
        sector=place.sector,
        # Once the observer has seen the suggested chips, their choice is the final one.
        chosen_themes=form.themes.data if form.themes_reviewed.data == "1" else None,
        added_themes=form.themes.data if form.themes_reviewed.data != "1" else None,
        created_at=form.observed_moment(),
        themes=themes,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.SUPER_USER)
def new():
    location_choices, places = _places()
    themes = active_themes()
    form = ObservationForm()
    _prepare(form, location_choices, themes)
    if form.validate_on_submit():
        try:
            _record(form, places, themes)
        except ObservationExists as exists:
            if exists.feedback.author_id == current_user.id:
                flash(_("This observation was already recorded."), "info")
                return redirect(url_for(".new"))
            form.client_uuid.data = ""
            flash(_("This form was already used. Check your observation and send it again."),
                  "error")
        else:
            db.session.commit()
            flash(_("Observation recorded. Thank you."), "success")
            return redirect(url_for(".new"))
    elif request.method == "GET":
        form.location.data = form.location.data or _last_location()
    if not form.client_uuid.data or form.client_uuid.errors:
        form.client_uuid.data = str(uuid.uuid4())
    # A page showing a one-time message must not become the offline copy of the form.
    cacheable = not session.get("_flashes")
    response = current_app.make_response(render_template(
        "observations/new.html", form=form, max_length_text=format_number(OBSERVATION_MAX_LENGTH),
    ))
    if cacheable and request.method == "GET":
        response.headers["X-Echo-Offline"] = "cache"
    return response


def _json_error(message: str, status: int, code: str = "invalid"):
    return jsonify(error=code, message=message), status


def json_sign_in_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """JSON endpoints answer 401 in JSON, so the browser's queue knows to wait for a sign-in."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _json_error(_("Your session has ended. Sign in again to send."), 401,
                               "signed_out")
        return view(*args, **kwargs)

    return wrapped


@bp.post("/sync")
@json_sign_in_required
@role_required(Role.SUPER_USER)
def sync():
    """Store a batch of queued observations; answer for each: stored, duplicate or invalid.

    "stored" means the server holds it (now or from an earlier try): the client forgets it.
    "duplicate" means its UUID belongs to someone else's observation; "invalid" lists reasons.
    """
    payload = request.get_json(silent=True)
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        return _json_error(_("Send a JSON object with a list of items."), 400)
    if len(items) > SYNC_BATCH_MAX:
        return _json_error(_("Send at most %(n)d observations at a time.", n=SYNC_BATCH_MAX), 413)
    location_choices, places = _places()
    themes = active_themes()
    results = [_sync_item(item, location_choices, places, themes) for item in items]
    db.session.commit()
    return jsonify(
        results=results,
        stored=sum(result["status"] == "stored" for result in results),
    )


def _sync_item(item: Any, location_choices: list[SelectChoice], places: dict[str, Place],
               themes: dict[str, Theme]) -> dict:
    if not isinstance(item, dict):
        return {"uuid": None, "status": "invalid",
                "errors": {"item": [_("Each item must be an object.")]}}
    client_uuid = item.get("uuid") if isinstance(item.get("uuid"), str) else None
    formdata = MultiDict(
        [(name, item[name]) for name in SYNC_FIELDS if isinstance(item.get(name), str)]
        + [("themes", code) for code in item.get("themes") or [] if isinstance(code, str)]
        + [("client_uuid", client_uuid or "")]
    )
    form = ObservationForm(formdata=formdata, meta={"csrf": False})
    _prepare(form, location_choices, themes)
    if not form.validate():
        return {"uuid": client_uuid, "status": "invalid",
                "errors": {name: [str(error) for error in errors]
                           for name, errors in form.errors.items()}}
    try:
        feedback = _record(form, places, themes)
    except ObservationExists as exists:
        if exists.feedback.author_id != current_user.id:
            return {"uuid": client_uuid, "status": "duplicate",
                    "errors": {"client_uuid": [_("This identifier belongs to another "
                                                 "observation.")]}}
        return {"uuid": client_uuid, "status": "stored", "created": False,
                **_receipt(exists.feedback)}
    except Exception:
        # One item the server cannot store must not hold the rest of the queue back forever:
        # it is refused (the observer can put it back in the form), the error is logged.
        current_app.logger.exception("An observation of a sync could not be stored")
        return {"uuid": client_uuid, "status": "invalid",
                "errors": {"item": [_("This observation could not be stored. Put it back in "
                                      "the form and try again.")]}}
    return {"uuid": client_uuid, "status": "stored", "created": True, **_receipt(feedback)}


# What the browser's log of sent observations keeps: the stored, redacted words, never the draft
# (which may name a patient) once the server holds it.
RECEIPT_EXCERPT_LENGTH = 80


def _receipt(feedback: Feedback) -> dict:
    return {"ref": feedback.ref, "excerpt": feedback.text[:RECEIPT_EXCERPT_LENGTH]}


@bp.post("/themes")
@json_sign_in_required
@role_required(Role.SUPER_USER)
@limiter.limit("120 per minute", key_func=lambda: f"themes:{current_user.get_id()}")
def themes():
    """The themes the pipeline finds in a draft, for the chips. Nothing is stored."""
    payload = request.get_json(silent=True)
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str):
        return _json_error(_("Send a JSON object with the text."), 400)
    text = normalise_newlines(text).strip()
    if len(text) > OBSERVATION_MAX_LENGTH:
        return _json_error(_("Keep the observation to %(max)d characters or fewer.",
                             max=OBSERVATION_MAX_LENGTH), 422, "too_long")
    locale = str(get_locale())
    suggestions = suggest_themes(text) if text else []
    return jsonify(themes=[
        {"code": s.theme.code, "name": s.theme.name(locale), "confidence": round(s.confidence, 2)}
        for s in suggestions
    ])


@bp.get("/token")
@json_sign_in_required
@role_required(Role.SUPER_USER)
def token():
    """A fresh CSRF token for a queue that outlived the page it was written on."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from here so that its scope covers /observations/."""
    response = send_from_directory(current_app.static_folder, "js/sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/")
@role_required(Role.SUPER_USER)
def index():
    """Managers see the establishment's observations; super-users see their own."""
    locale = str(get_locale())
    filters = ObservationFilterForm(request.args)
    sectors = db.session.scalars(
        scoped(select(Sector).join(Site).where(Sector.active), Site.establishment_id)
        .options(selectinload(Sector.site))
    ).all()
    filters.sector.choices = [SelectChoice("", _("All sectors"))] + sorted(
        (SelectChoice(str(s.id), s.label(locale)) for s in sectors),
        key=lambda choice: choice.label,
    )
    filters.priority.choices = [SelectChoice("", _("All priorities")),
                                SelectChoice("none", _("Not set")),
                                *(SelectChoice(p.value) for p in Priority)]

    stmt = scoped(
        select(Feedback)
        .join(ObservationDetail)
        .where(Feedback.kind == FeedbackKind.OBSERVATION)
        .options(selectinload(Feedback.observation), selectinload(Feedback.sector),
                 selectinload(Feedback.site), selectinload(Feedback.author),
                 selectinload(Feedback.issue), selectinload(Feedback.themes))
        .order_by(Feedback.created_at.desc(), Feedback.id.desc()),
        Feedback.establishment_id,
    )
    if not current_user.has_role(Role.MANAGER):
        stmt = stmt.where(Feedback.author_id == current_user.id)
    if (sector := id_argument("sector")) is not None:
        stmt = stmt.where(Feedback.sector_id == sector)
    priority = request.args.get("priority", "")
    if priority == "none":
        stmt = stmt.where(ObservationDetail.priority.is_(None))
    elif priority in {p.value for p in Priority}:
        stmt = stmt.where(ObservationDetail.priority == Priority(priority))
    if (role := request.args.get("role", "")) in ROLE_LABELS:
        stmt = stmt.where(Feedback.role == WriterRole(role))
    if (days := request.args.get("days", "")).isdigit() and 0 < int(days) <= 366:
        stmt = stmt.where(Feedback.created_at >= utcnow() - timedelta(days=int(days)))
    triage = request.args.get("triage", "")
    if triage == "untriaged":
        stmt = stmt.where(Feedback.issue_id.is_(None))
    elif triage == "linked":
        stmt = stmt.where(Feedback.issue_id.is_not(None))
    page = keyset_page(stmt, OBSERVATION_KEYS, lambda item: (item.created_at, item.id), PER_PAGE)
    return render_template(
        "observations/index.html", page=page, filters=filters,
        can_triage=current_user.has_role(Role.MANAGER),
    )


@bp.get("/today")
@role_required(Role.SUPER_USER)
def today():
    """The observer's own observations of today (Québec), and what became of each."""
    items = observations_of_day(current_user._get_current_object(), local_today())
    # After a request, its outcome is said inside the card the observer just tapped.
    outcome = {request.args.get(name, ""): name for name in ("sent", "already")}
    return render_template("observations/today.html", items=items, outcome=outcome,
                           today=local_today(), can_triage=current_user.has_role(Role.MANAGER))


@bp.post("/<ref>/issue-request")
@role_required(Role.SUPER_USER)
def issue_request(ref: str):
    """One tap: the command centre receives this observation as a new issue to triage."""
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    feedback = feedback_or_404(ref)
    # One's own observations only: a super-user does not file requests for colleagues.
    if feedback.author_id != current_user.id or feedback.kind is not FeedbackKind.OBSERVATION:
        abort(404)
    _issue, created = request_issue(feedback, actor=current_user._get_current_object())
    db.session.commit()
    return redirect(url_for(".today", **{"sent" if created else "already": feedback.ref},
                            _anchor=f"outcome-{feedback.ref}"))


@bp.errorhandler(HTTPException)
def _error(error: HTTPException):
    """JSON endpoints answer errors in JSON (the queue reads them); pages as everywhere else."""
    if request.endpoint not in JSON_ENDPOINTS:
        return render_error(error)
    if isinstance(error, CSRFError):
        return _json_error(_("The page has expired. Reload it, then send again."), 400, "csrf")
    return _json_error(error.description or error.name, error.code or 500, "http")
