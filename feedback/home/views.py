"""The home page of each role, and the language switch."""

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask_login import current_user

from feedback import insights
from feedback.access import role_required
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.forms import LanguageForm
from feedback.home.changes import week_changes
from feedback.insights import anonymity
from feedback.models import Role
from feedback.web import safe_next, visible_establishments

bp = Blueprint("main", __name__)

@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return _home()


@role_required(Role.SUPER_USER)
def _home():
    scope = None if current_user.network_wide else [current_user.establishment_id]
    threshold = current_app.config["ANONYMITY_THRESHOLD"]
    # Weeks are cut into cohorts by the queue's task, never by a page read.
    overview = insights.overview(scope, anonymity.last_closed_week(utcnow()), threshold)
    volumes = insights.network_volumes(threshold) if current_user.network_wide else []
    changes = None
    if current_user.has_role(Role.MANAGER):
        changes = week_changes(visible_establishments(), scope, overview.week, threshold,
                               local_today(), utcnow())
    return render_template("main/home.html", overview=overview, volumes=volumes,
                           week_end=overview.week + timedelta(days=6), changes=changes,
                           week_span=timedelta(days=6), establishment_arg=(
                               {} if scope is None else {"establishment": scope[0]}))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            db.session.commit()
    return redirect(safe_next(form.next.data))


@bp.route("/healthz")
def healthz():
    """For load balancers and monitoring: the process answers (no database, no session)."""
    return {"status": "ok"}
