"""Learnings, and the public "Vous avez dit, nous avons fait" page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from feedback import learnings as domain
from feedback.access import feedback_or_404, get_scoped_or_404, role_required
from feedback.extensions import db
from feedback.forms import PostForm, ref_list
from feedback.labels import PHASE_LABELS
from feedback.learnings import LearningError
from feedback.learnings.forms import LearningForm
from feedback.models import Establishment, Feedback, Issue, IssueStatus, Learning, Role, Theme
from feedback.tagging import active_themes
from feedback.web import MAX_ID, requested_establishment, visible_establishments

bp = Blueprint("learnings", __name__)

ISSUE_CHOICES = 300  # the most recent issues offered as evidence


@bp.context_processor
def helpers() -> dict:
    return {"phase_labels": PHASE_LABELS}


@bp.get("/learnings")
@role_required(Role.MANAGER)
def index():
    establishment = requested_establishment()
    if establishment is not None:
        ids = [establishment.id]
    else:
        ids = [e.id for e in visible_establishments()]
    items = domain.learnings_of(ids)
    return render_template("learnings/index.html", learnings=items, establishment=establishment,
                           establishments=visible_establishments(), post_form=PostForm())


@bp.get("/learnings/<int:learning_id>")
@role_required(Role.MANAGER)
def show(learning_id):
    learning = get_scoped_or_404(Learning, learning_id)
    return render_template("learnings/show.html", learning=learning, post_form=PostForm())


def _prepare(form: LearningForm, establishment: Establishment,
             learning: Learning | None = None) -> None:
    locale = str(get_locale())
    themes = dict(active_themes())
    for theme in learning.themes if learning else []:
        themes.setdefault(theme.code, theme)
    form.themes.choices = [SelectChoice(code, theme.name(locale))
                           for code, theme in sorted(themes.items())]
    issues = db.session.scalars(
        select(Issue).where(Issue.establishment_id == establishment.id)
        .order_by(Issue.created_at.desc(), Issue.id.desc()).limit(ISSUE_CHOICES)
    ).all()
    chosen = learning.issues if learning else []
    form.issues.choices = [SelectChoice(issue.id, f"#{issue.id} · {issue.title}")
                           for issue in dict.fromkeys([*chosen, *issues])]


def _evidence(form: LearningForm, establishment: Establishment):
    """The feedback and issues named in the form, all of this establishment (else an error)."""
    refs = ref_list(form.feedback.data) or []
    feedback = list(db.session.scalars(select(Feedback).where(
        Feedback.ref.in_(refs), Feedback.establishment_id == establishment.id)))
    missing = [ref for ref in refs if ref not in {item.ref for item in feedback}]
    if missing:
        form.feedback.errors = [*form.feedback.errors, _(
            "No feedback %(refs)s in this establishment.",
            refs=", ".join(f"#{ref}" for ref in missing))]
        return None
    issues = list(db.session.scalars(select(Issue).where(
        Issue.id.in_(form.issues.data or []), Issue.establishment_id == establishment.id)))
    themes = list(db.session.scalars(select(Theme).where(Theme.code.in_(form.themes.data or []))))
    return feedback, issues, themes


def _values(form: LearningForm) -> dict:
    return {"title": form.title.data, "learned": form.learned.data,
            "action": form.action.data or "", "action_owner": form.action_owner.data or "",
            "action_on": form.action_on.data, "phase": form.phase.data,
            "title_en": form.title_en.data or "", "learned_en": form.learned_en.data or "",
            "action_en": form.action_en.data or ""}


@bp.route("/learnings/new", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def new():
    establishment = requested_establishment()
    if establishment is None:
        return render_template("dashboard/choose.html", establishments=visible_establishments(),
                               endpoint="learnings.new")
    form = LearningForm()
    _prepare(form, establishment)
    if request.method == "GET":
        _prefill(form)
    if form.validate_on_submit() and (evidence := _evidence(form, establishment)):
        feedback, issues, themes = evidence
        try:
            learning = domain.create_learning(establishment, author=current_user,
                                              themes=themes, feedback=feedback, issues=issues,
                                              **_values(form))
        except LearningError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Draft saved. Publish it when the change is in place."), "success")
            return redirect(url_for(".show", learning_id=learning.id))
    return render_template("learnings/form.html", form=form, establishment=establishment,
                           learning=None)


def _prefill(form: LearningForm) -> None:
    """Evidence handed over from the feedback list or an issue (?feedback=12&issue=3)."""
    refs = [feedback_or_404(ref).ref for ref in request.args.getlist("feedback") if ref]
    if refs:
        form.feedback.data = ", ".join(refs)
    issue_ids = [int(v) for v in request.args.getlist("issue")
                 if v.isdigit() and int(v) <= MAX_ID]
    issues = [get_scoped_or_404(Issue, ident) for ident in issue_ids]
    if issues:
        form.issues.data = [issue.id for issue in issues]
        form.themes.data = sorted({theme.code for issue in issues for theme in issue.themes})
        if not form.title.data:
            form.title.data = issues[0].title


@bp.route("/learnings/<int:learning_id>/edit", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def edit(learning_id):
    learning = get_scoped_or_404(Learning, learning_id)
    form = LearningForm(obj=None if request.method == "POST" else _LearningData(learning))
    _prepare(form, learning.establishment, learning)
    if form.validate_on_submit() and (evidence := _evidence(form, learning.establishment)):
        feedback, issues, themes = evidence
        try:
            domain.update_learning(learning, actor=current_user, themes=themes,
                                   feedback=feedback, issues=issues, **_values(form))
        except LearningError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Learning saved."), "success")
            return redirect(url_for(".show", learning_id=learning.id))
    return render_template("learnings/form.html", form=form, establishment=learning.establishment,
                           learning=learning)


class _LearningData:
    """What the edit form starts from: the learning's values in the form's shapes."""

    def __init__(self, learning: Learning) -> None:
        for name in ("title", "learned", "action", "action_owner", "action_on", "phase",
                     "title_en", "learned_en", "action_en"):
            setattr(self, name, getattr(learning, name))
        self.themes = [theme.code for theme in learning.themes]
        self.feedback = ", ".join(str(item.id) for item in learning.feedback)
        self.issues = [issue.id for issue in learning.issues]


@bp.post("/learnings/<int:learning_id>/publish")
@role_required(Role.MANAGER)
def publish(learning_id):
    learning = get_scoped_or_404(Learning, learning_id)
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        domain.publish_learning(learning, actor=current_user)
    except LearningError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Published: staff see it on the thank-you page and on “Vous avez dit, nous "
                "avons fait”."), "success")
    return redirect(url_for(".show", learning_id=learning.id))


@bp.post("/learnings/<int:learning_id>/unpublish")
@role_required(Role.MANAGER)
def unpublish(learning_id):
    learning = get_scoped_or_404(Learning, learning_id)
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        domain.unpublish_learning(learning, actor=current_user)
    except LearningError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Back to draft: staff no longer see it."), "success")
    return redirect(url_for(".show", learning_id=learning.id))


@bp.get("/vous-avez-dit/<code>")
def public(code):
    """The establishment's published learnings, for staff, without an account."""
    establishment = db.session.scalar(select(Establishment).where(
        func.upper(Establishment.code) == code.upper(), Establishment.active))
    if establishment is None:
        abort(404)
    items = domain.published_learnings(establishment.id)
    resolved = db.session.scalar(select(func.count(Issue.id)).where(
        Issue.establishment_id == establishment.id, Issue.status == IssueStatus.RESOLVED))
    return render_template("learnings/public.html", establishment=establishment,
                           learnings=items, resolved=resolved or 0)
