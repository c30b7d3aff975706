"""The command centre: issues raised from feedback, their statuses, and the resolution KPIs."""

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_number, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from feedback import issues as domain
from feedback import notifications, tasks
from feedback.access import can_see, feedback_or_404, get_scoped_or_404, role_required, scoped
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.insights import charts
from feedback.issues import PRIORITY_LABELS, STATUS_LABELS, IssueError
from feedback.issues import board as stabilisation
from feedback.issues import kpis as kpi
from feedback.issues.forms import (
    ISSUE_AGES,
    KPI_PERIODS,
    EvidenceForm,
    IssueFilterForm,
    IssueForm,
    IssueStatusForm,
    SlaForm,
    WebhookForm,
)
from feedback.labels import ROLE_LABELS
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
from feedback.templating import duration_text, percent_text, share_text
from feedback.web import MAX_ID, offset_page

bp = Blueprint("issues", __name__, url_prefix="/issues")

PER_PAGE = 25
TITLE_HINT_LENGTH = 90
AGE_LIMITS = {"lt1d": timedelta(days=1), "gt1d": timedelta(days=1), "gt3d": timedelta(days=3),
              "gt7d": timedelta(days=7)}


@bp.context_processor
def helpers() -> dict:
    return {"status_labels": STATUS_LABELS, "priority_labels": PRIORITY_LABELS,
            "role_labels": ROLE_LABELS, "share": share_text, "duration": duration_text}


# --- The list and the KPIs ------------------------------------------------------------------

@bp.get("/")
@role_required(Role.MANAGER)
def index():
    locale = str(get_locale())
    filters = IssueFilterForm(request.args)
    establishments = _visible_establishments()
    filters.establishment.choices = [SelectChoice("", _("All establishments"))] + [
        SelectChoice(e.id, e.name) for e in establishments
    ]
    establishment = _chosen_establishment(filters, establishments)
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


def _visible_establishments() -> list[Establishment]:
    return list(db.session.scalars(
        scoped(select(Establishment), Establishment.id).order_by(Establishment.name)
    ))


def _chosen_establishment(filters: IssueFilterForm,
                          establishments: list[Establishment]) -> Establishment | None:
    """Users of an establishment always see theirs; network-wide users may pick one or none."""
    if not current_user.network_wide:
        del filters.establishment
        return next((e for e in establishments if e.id == current_user.establishment_id), None)
    chosen = filters.value("establishment")
    return next((e for e in establishments if str(e.id) == chosen), None)


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


# --- The stabilisation board and its service levels -------------------------------------------

@bp.get("/board")
@role_required(Role.MANAGER)
def board():
    filters = IssueFilterForm(request.args)
    establishments = _visible_establishments()
    filters.establishment.choices = [SelectChoice("", _("All establishments"))] + [
        SelectChoice(e.id, e.name) for e in establishments
    ]
    establishment = _chosen_establishment(filters, establishments)
    shown = [establishment] if establishment else establishments
    figures = stabilisation.board(shown, utcnow(),
                                  network=establishment is None and current_user.network_wide)
    return render_template("issues/board.html", board=figures, filters=filters,
                           establishment=establishment, age_buckets=BOARD_AGES,
                           exit_labels=_exit_labels(), trend_chart=_trend_chart(figures))


def _trend_chart(figures: stabilisation.Board) -> charts.Chart:
    """Columns of the median hours to resolution of each day (none: nothing resolved)."""
    days = figures.trend
    return charts.column_chart(
        [format_date(day.day, "d MMM") for day in days],
        [charts.Series(_("Median hours to resolution"), "kind-observation",
                       [round(day.median_hours or 0, 1) for day in days])],
        label_every=max(1, len(days) // 10), number=format_number)


BOARD_AGES = {"lt4h": _l("< 4 h"), "4to24h": _l("4–24 h"), "1to3d": _l("1–3 days"),
              "gt3d": _l("> 3 days")}
def _exit_labels() -> dict[str, str]:
    return {
        "p1": _("No P1 open for more than %(hours)d hours, %(days)d days in a row",
                hours=stabilisation.EXIT_P1_HOURS, days=stabilisation.EXIT_P1_DAYS),
        "priority_resolved": _("At least %(share)s of priority issues (P1, P2) resolved",
                               share=percent_text(stabilisation.EXIT_PRIORITY_RESOLVED)),
        "within_24h": _("At least %(share)s of priority issues resolved in under 24 hours",
                        share=percent_text(stabilisation.EXIT_WITHIN_24H)),
    }


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def settings():
    """An establishment's service levels and webhook (network-wide users pick the establishment)."""
    establishment = (current_user.establishment if not current_user.network_wide
                     else _establishment_from_args())
    if establishment is None:
        return render_template("issues/choose_establishment.html",
                               establishments=_visible_establishments(),
                               target="issues.settings")
    sla_form, webhook_form = SlaForm(prefix="sla"), WebhookForm(prefix="hook")
    if request.method == "POST" and sla_form.save_sla.data:
        if sla_form.validate():
            if stabilisation.set_sla(establishment, sla_form.levels(), actor=current_user):
                db.session.commit()
                flash(_("Service levels saved."), "success")
            return redirect(url_for(".settings", **_establishment_arg(establishment)))
    elif request.method == "POST" and webhook_form.save_webhook.data:
        if webhook_form.validate():
            try:
                notifications.set_webhook(
                    establishment, "" if webhook_form.remove.data else webhook_form.url.data,
                    actor=current_user)
            except notifications.WebhookError as error:
                db.session.rollback()
                webhook_form.url.errors = [str(error)]
            else:
                db.session.commit()
                flash(_("Webhook saved."), "success")
                return redirect(url_for(".settings", **_establishment_arg(establishment)))
    elif request.method == "POST":
        abort(400)
    if request.method == "GET" or not sla_form.save_sla.data:
        sla_form.fill(stabilisation.sla_of(establishment))
    hook = notifications.webhook_of(establishment)
    status = 422 if request.method == "POST" else 200
    return render_template("issues/settings.html", establishment=establishment,
                           sla_form=sla_form, webhook_form=webhook_form,
                           webhook=notifications.masked(hook.url) if hook else None,
                           defaults={p.value: hours
                                     for p, hours in stabilisation.DEFAULT_SLA.items()}), status


def _establishment_arg(establishment: Establishment) -> dict:
    return {"establishment": establishment.id} if current_user.network_wide else {}


# --- Creating an issue, from feedback or from scratch ----------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def new():
    feedback = None
    if ref := request.args.get("feedback", ""):
        feedback = feedback_or_404(ref)
        establishment = feedback.establishment
    elif current_user.network_wide:
        establishment = _establishment_from_args()
        if establishment is None:
            return render_template("issues/choose_establishment.html",
                                   establishments=_visible_establishments())
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


def _establishment_from_args() -> Establishment | None:
    ident = request.args.get("establishment", "")
    if not ident.isdigit() or int(ident) > MAX_ID:
        return None
    establishment = db.session.get(Establishment, int(ident))
    if establishment is None or not can_see(establishment.id):
        abort(404)
    return establishment


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
