"""Theme digests and the learning a digest proposes (its routes join the dashboard's)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from feedback import learnings
from feedback.access import role_required
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.insights import digests
from feedback.insights.blueprint import bp
from feedback.issues import STATUS_LABELS
from feedback.labels import PHASE_LABELS
from feedback.models import Establishment, Role, Theme
from feedback.web import (
    choose_establishment,
    default_period,
    requested_establishment,
    summary_selection,
)


def _selection(establishment: Establishment):
    first, last = default_period(establishment)
    phase = request.values.get("phase", "")
    return summary_selection(establishment, first, last,
                             phase=int(phase) if phase in {"1", "2", "3"} else None)


def _theme_or_404(code: str) -> Theme:
    theme = db.session.scalar(select(Theme).where(Theme.code == code))
    if theme is None:
        abort(404)
    return theme


@bp.get("/themes/<code>")
@role_required(Role.MANAGER)
def theme_digest(code):
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.themes_index")
    theme = _theme_or_404(code)
    f = _selection(establishment)
    return render_template("dashboard/digest.html", establishment=establishment, theme=theme,
                           digest=digests.theme_digest(f, theme), f=f,
                           phase=f.phase, phases=PHASE_LABELS, status_labels=STATUS_LABELS)


@bp.get("/themes")
@role_required(Role.MANAGER)
def themes_index():
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.themes_index")
    themes = list(db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.code)))
    return render_template("dashboard/digests.html", establishment=establishment, themes=themes)


@bp.post("/themes/<code>/propose")
@role_required(Role.MANAGER)
def propose_learning(code):
    """A draft learning from a mostly resolved theme, opened for the manager to edit."""
    establishment = requested_establishment()
    if establishment is None:
        abort(404)
    theme = _theme_or_404(code)
    if not PostForm().validate_on_submit():
        abort(400)
    digest = digests.theme_digest(_selection(establishment), theme)
    if not digest.mostly_resolved:
        flash(_("A learning is proposed once most of the theme's issues are resolved."), "error")
        return redirect(url_for(".theme_digest", code=code, establishment=establishment.id))
    learning = learnings.propose_learning(
        establishment, author=current_user, theme=theme, phrases=digest.phrases[:4],
        mentions=digest.figure.count if digest.figure else None,
        resolved=digest.resolved_issues)
    db.session.commit()
    flash(_("Draft learning proposed: edit it, then publish it when it reads right."), "success")
    return redirect(url_for("learnings.edit", learning_id=learning.id))
