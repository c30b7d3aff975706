"""The command centre: issues raised from feedback, their statuses, and the resolution KPIs."""

from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from feedback import issues as domain
from feedback import notifications, tasks
from feedback.access import feedback_or_404, get_scoped_or_404, role_required, scoped
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.issues import STATUS_LABELS, IssueError
from feedback.issues import kpis as kpi
from feedback.issues.blueprint import (
    bp,
    chosen_establishment,
    establishment_from_args,
    visible_establishments,
)
from feedback.issues.forms import (
    ISSUE_AGES,
    KPI_PERIODS,
    EvidenceForm,
    IssueFilterForm,
    IssueForm,
    IssueStatusForm,
)
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    Issue,
    IssueStatus,
    Priority,
    Role,
    Sector,
    Site,
    Theme,
    User,
    issue_theme,
)
from feedback.tagging import active_themes
from feedback.web import offset_page

PER_PAGE = 25
TITLE_HINT_LENGTH = 90
AGE_LIMITS = {"lt1d": timedelta(days=1), "gt1d": timedelta(days=1), "gt3d": timedelta(days=3),
              "gt7d": timedelta(days=7)}


# --- The list and the KPIs ------------------------------------------------------------------

@bp.get("/")
@role_required(Role.MANAGER)
def index():
    locale = str(get_locale())
    filters = IssueFilterForm(request.args)
    establishments = visible_establishments()
    filters.establishment.choices = [SelectChoice("", _("All establishments"))] + [
        SelectChoice(e.id, e.name) for e in establishments
    ]
    establishment = chosen_establishment(filters, establishments)
    scope_ids = [establishment.id] if establishment else None

    sectors = db.session.scalars(
        select(Sector).join(Site).where(Site.establishment_id.in_([e.id for e in establishments]))
        .where(*([Site.establishment_id == establishment.id] if establishment else []))
        .options(selectinload(Sector.site))
    ).all()
    filters.status.choices = [SelectChoice("open", _("Open (new or in progress)")),
                              SelectChoice("all", _("All statuses"))]
    filters.status.choices += [SelectChoice(s.value, STATUS_LABELS[s]) for s in IssueStatus]
    filters.priority.choices = [SelectChoice("", _("All priorities")),
                                SelectChoice("priority", _("P1 and P2")),
                                *(SelectChoice(p.value) for p in Priority)]
    filters.theme.choices = [SelectChoice("", _("All themes"))] + [
        SelectChoice(code, theme.name(locale)) for code, theme in active_themes().items()
    ]
    filters.sector.choices = [SelectChoice("", _("All sectors"))] + sorted(
        (SelectChoice(str(s.id), s.label(locale)) for s in sectors),
        key=lambda choice: choice.label,
    )
    status = filters.value("status") or "open"
    filters.status.data = status
    sort = filters.value("sort") or "priority"
    filters.sort.data = sort
    period = filters.value("period") or "golive"
    filters.period.data = period

    evidence_count = (
        select(func.count(Feedback.id)).where(Feedback.issue_id == Issue.id)
        .correlate(Issue).scalar_subquery()
    )
    stmt = scoped(select(Issue), Issue.establishment_id)
    if establishment:
        stmt = stmt.where(Issue.establishment_id == establishment.id)
    if status == "open":
        stmt = stmt.where(Issue.status.in_(domain.OPEN_STATUSES))
    elif status != "all":
        stmt = stmt.where(Issue.status == IssueStatus(status))
    if priority := filters.value("priority"):
        levels = kpi.PRIORITY_LEVELS if priority == "priority" else (Priority(priority),)
        stmt = stmt.where(Issue.priority.in_(levels))
    if theme := filters.value("theme"):
        stmt = stmt.where(
            select(issue_theme.c.issue_id)
            .join(Theme, Theme.id == issue_theme.c.theme_id)
            .where(issue_theme.c.issue_id == Issue.id, Theme.code == theme)
            .exists()
        )
    if sector := filters.value("sector"):
        stmt = stmt.where(Issue.sector_id == int(sector))
    if age := filters.value("age"):
        limit = utcnow() - AGE_LIMITS[age]
        stmt = stmt.where(Issue.created_at > limit if age == "lt1d" else Issue.created_at <= limit)
    stmt = stmt.order_by(*{
        "priority": (Issue.priority, Issue.created_at, Issue.id),
        "newest": (Issue.created_at.desc(), Issue.id.desc()),
        "oldest": (Issue.created_at, Issue.id),
        "evidence": (evidence_count.desc(), Issue.created_at.desc(), Issue.id.desc()),
    }[sort]).options(selectinload(Issue.sector).selectinload(Sector.site),
                     selectinload(Issue.themes), selectinload(Issue.owner),
                     selectinload(Issue.establishment))
    page = offset_page(stmt, PER_PAGE)
    counts = dict(db.session.execute(
        select(Feedback.issue_id, func.count(Feedback.id))
        .where(Feedback.issue_id.in_([issue.id for issue in page.items]))
        .group_by(Feedback.issue_id)
    ).all()) if page.items else {}

    first, last = _kpi_days(period, establishment, establishments)
    kpis = kpi.issue_kpis(scope_ids, *kpi.local_period(first, last))
    # Observations nobody has turned into an issue or evidence yet: the command centre's inbox.
    untriaged = db.session.scalar(
        scoped(select(func.count(Feedback.id)), Feedback.establishment_id).where(
            Feedback.kind == FeedbackKind.OBSERVATION, Feedback.issue_id.is_(None),
            *([Feedback.establishment_id == establishment.id] if establishment else []),
            Feedback.created_at >= utcnow() - timedelta(days=7),
        )
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "issues/index.html", page=page, counts=counts, filters=filters, args=args, kpis=kpis,
        kpi_first=first, kpi_last=last, period_label=KPI_PERIODS[period], age_labels=ISSUE_AGES,
        establishment=establishment, untriaged=untriaged, now=utcnow(),
    )


def _kpi_days(period: str, establishment: Establishment | None,
              establishments: list[Establishment]):
    today = local_today()
    go_live = (establishment.go_live if establishment
               else min((e.go_live for e in establishments), default=today))
    if period == "month1":
        return go_live, go_live + timedelta(days=29)
    if period == "30d":
        return today - timedelta(days=29), today
    if period == "7d":
        return today - timedelta(days=6), today
    return go_live, max(today, go_live)


def _links() -> notifications.Links:
    return notifications.links_from(current_app.config, request.host_url)


# --- Creating an issue, from feedback or from scratch ----------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def new():
    feedback = None
    if ref := request.args.get("feedback", ""):
        feedback = feedback_or_404(ref)
        establishment = feedback.establishment
    elif current_user.network_wide:
        establishment = establishment_from_args()
        if establishment is None:
            return render_template("issues/choose_establishment.html",
                                   establishments=visible_establishments())
    else:
        establishment = current_user.establishment

    form = IssueForm()
    _prepare_issue_form(form, establishment)
    if request.method == "GET" and feedback is not None:
        _prefill_from_feedback(form, feedback)
    if form.validate_on_submit():
        values = _issue_values(form, establishment)
        try:
            if feedback is not None:
                issue = domain.create_issue_from_feedback(feedback, actor=current_user, **values)
            else:
                issue = domain.create_issue(establishment, actor=current_user, **values)
            outbox = notifications.issue_created(issue, links=_links())
            outbox += notifications.issue_assigned(issue, actor=current_user, links=_links())
        except IssueError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            tasks.send_notifications(outbox)
            flash(_("Issue #%(id)d opened.", id=issue.id), "success")
            return redirect(url_for(".show", issue_id=issue.id))
    similar = (domain.similar_open_issues(establishment.id, feedback.text)
               if feedback is not None else [])
    return render_template("issues/new.html", form=form, feedback=feedback,
                           establishment=establishment, similar=similar,
                           evidence_form=EvidenceForm())


def _prepare_issue_form(form: IssueForm, establishment: Establishment,
                        issue: Issue | None = None) -> None:
    locale = str(get_locale())
    form.sector.choices = [SelectChoice("", _("No particular sector"))] + [
        SelectChoice(sector.id, sector.name(locale), optgroup=site.name)
        for site in establishment.sites
        for sector in site.sectors
        if sector.active or (issue is not None and issue.sector_id == sector.id)
    ]
    themes = dict(active_themes())
    for theme in issue.themes if issue else []:
        themes.setdefault(theme.code, theme)
    form.themes.choices = [SelectChoice(code, theme.name(locale)) for code, theme in themes.items()]
    owners = db.session.scalars(
        select(User).where(User.establishment_id == establishment.id, User.active)
        .order_by(User.name)
    ).all()
    form.owner.choices = [SelectChoice("", _("Nobody yet"))] + [
        SelectChoice(u.id, u.name) for u in owners
    ]
    if issue is not None and issue.owner is not None and issue.owner not in owners:
        form.owner.choices.append(SelectChoice(issue.owner.id, issue.owner.name))


def _prefill_from_feedback(form: IssueForm, feedback: Feedback) -> None:
    text = " ".join(feedback.text.split())
    form.title.data = (text if len(text) <= TITLE_HINT_LENGTH
                       else text[:TITLE_HINT_LENGTH].rsplit(" ", 1)[0] + "…")
    if feedback.observation is not None and feedback.observation.priority is not None:
        form.priority.data = feedback.observation.priority.value
    form.sector.data = feedback.sector_id
    form.themes.data = [link.theme.code for link in feedback.themes]


def _issue_values(form: IssueForm, establishment: Establishment) -> dict:
    sector = db.session.get(Sector, form.sector.data) if form.sector.data else None
    owner = db.session.get(User, form.owner.data) if form.owner.data else None
    themes = list(db.session.scalars(select(Theme).where(Theme.code.in_(form.themes.data or []))))
    return {"title": form.title.data, "description": form.description.data or "",
            "priority": Priority(form.priority.data), "sector": sector, "owner": owner,
            "themes": themes}


# --- One issue ------------------------------------------------------------------------------

@bp.get("/<int:issue_id>")
@role_required(Role.MANAGER)
def show(issue_id):
    issue = get_scoped_or_404(Issue, issue_id)
    similar = _similar_to(issue)
    return _render_show(issue, _status_form(issue, similar), similar)


def _similar_to(issue: Issue) -> list[domain.SimilarIssue]:
    if issue.status not in domain.OPEN_STATUSES:
        return []
    return domain.similar_open_issues(issue.establishment_id,
                                      f"{issue.title} {issue.description}", exclude_id=issue.id)


def _status_form(issue: Issue, similar: list[domain.SimilarIssue],
                 formdata=None) -> IssueStatusForm:
    form = IssueStatusForm(formdata=formdata) if formdata is not None else IssueStatusForm()
    form.status.choices = [SelectChoice(s.value, STATUS_LABELS[s])
                           for s in domain.allowed_statuses(issue)]
    # The likeliest originals first: the open issues that read the most like this one.
    likely = [match.issue for match in similar]
    others = [other for other in domain.duplicate_candidates(issue) if other not in likely]
    form.duplicate_of.choices = [SelectChoice("", _("Choose an issue"))] + [
        SelectChoice(other.id, f"#{other.id} · {other.title}", optgroup=group)
        for group, candidates in ((_("Similar open issues"), likely), (_("Other issues"), others))
        for other in candidates
    ]
    return form


def _render_show(issue: Issue, status_form: IssueStatusForm, similar: list):
    evidence = db.session.scalars(
        select(Feedback).where(Feedback.issue_id == issue.id)
        .options(selectinload(Feedback.observation), selectinload(Feedback.sector),
                 selectinload(Feedback.author), selectinload(Feedback.themes))
        .order_by(Feedback.created_at, Feedback.id)
    ).all()
    duplicates = db.session.scalars(
        select(Issue).where(Issue.duplicate_of_id == issue.id).order_by(Issue.id)
    ).all()
    return render_template(
        "issues/show.html", issue=issue, evidence=evidence, duplicates=duplicates,
        status_form=status_form, evidence_form=EvidenceForm(), similar=similar,
    )


@bp.post("/<int:issue_id>/status")
@role_required(Role.MANAGER)
def change_status(issue_id):
    issue = get_scoped_or_404(Issue, issue_id)
    similar = _similar_to(issue)
    form = _status_form(issue, similar, request.form)
    if form.validate_on_submit():
        original = None
        if form.status.data == IssueStatus.DUPLICATE.value:
            original = get_scoped_or_404(Issue, form.duplicate_of.data)
        try:
            domain.change_status(issue, IssueStatus(form.status.data), actor=current_user,
                                 note=form.note.data or "", duplicate_of=original)
        except IssueError as error:
            db.session.rollback()
            form.status.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Issue #%(id)d is now “%(status)s”.", id=issue.id,
                    status=STATUS_LABELS[issue.status]), "success")
            return redirect(url_for(".show", issue_id=issue.id))
    return _render_show(issue, form, similar)


@bp.route("/<int:issue_id>/edit", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def edit(issue_id):
    issue = get_scoped_or_404(Issue, issue_id)
    form = IssueForm(obj=None if request.method == "POST" else _IssueData(issue))
    _prepare_issue_form(form, issue.establishment, issue)
    if form.validate_on_submit():
        owner_before, priority_before = issue.owner_id, issue.priority
        try:
            domain.update_issue(issue, actor=current_user,
                                **_issue_values(form, issue.establishment))
            outbox = (notifications.issue_assigned(issue, actor=current_user, links=_links())
                      if issue.owner_id != owner_before else [])
            if issue.priority is Priority.P1 and priority_before is not Priority.P1:
                outbox += notifications.issue_created(issue, links=_links())  # raised to P1
        except IssueError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            tasks.send_notifications(outbox)
            flash(_("Issue #%(id)d saved.", id=issue.id), "success")
            return redirect(url_for(".show", issue_id=issue.id))
    return render_template("issues/edit.html", form=form, issue=issue)


class _IssueData:
    """What the edit form starts from: the issue's values in the form's shapes."""

    def __init__(self, issue: Issue) -> None:
        self.title = issue.title
        self.description = issue.description
        self.priority = issue.priority.value
        self.sector = issue.sector_id
        self.themes = [theme.code for theme in issue.themes]
        self.owner = issue.owner_id


def _issue_and_evidence(issue_id: int) -> tuple[Issue, Feedback]:
    """The issue and the feedback an evidence button names, both within the user's scope."""
    issue = get_scoped_or_404(Issue, issue_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        abort(400)
    return issue, feedback_or_404(form.feedback.data)


@bp.post("/<int:issue_id>/attach")
@role_required(Role.MANAGER)
def attach(issue_id):
    issue, feedback = _issue_and_evidence(issue_id)
    try:
        domain.attach_feedback(issue, feedback, actor=current_user)
    except IssueError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".new", feedback=feedback.ref))
    db.session.commit()
    flash(_("Feedback added to the evidence of issue #%(id)d.", id=issue.id), "success")
    return redirect(url_for(".show", issue_id=issue.id))


@bp.post("/<int:issue_id>/detach")
@role_required(Role.MANAGER)
def detach(issue_id):
    issue, feedback = _issue_and_evidence(issue_id)
    try:
        domain.detach_feedback(issue, feedback, actor=current_user)
    except IssueError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Feedback taken out of the evidence."), "success")
    return redirect(url_for(".show", issue_id=issue.id))
