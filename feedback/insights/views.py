"""Managers' summaries, the feedback list and its corrections, the establishment comparison,
the one-month update and the exports.

Users of an establishment always see theirs: asking for another one is a 404. Network-wide users
pick an establishment first (the comparison shows them all).
"""

from datetime import date, datetime, timedelta
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import (
    get_locale,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from feedback import audit, insights, tagging
from feedback.access import feedback_or_404, role_required
from feedback.clock import QUEBEC, utcnow
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.insights import anonymity, export_jobs
from feedback.insights import report as monthly
from feedback.insights.blueprint import (
    LIST_FILTER_NAMES,
    PER_PAGE,
    RECENT_WEEKS,
    bp,
    build_filter,
    filter_args,
    list_filters,
    prepare_filters,
    queue_export,
)
from feedback.insights.forms import (
    COMPARE_PERIODS,
    CompareForm,
    ReportNoteForm,
    RethemeForm,
    SummaryFilterForm,
)
from feedback.insights.presentation import (
    driver_themes,
    drivers_chart,
    item_labels,
    perception_charts,
    summary_charts,
)
from feedback.labels import KIND_LABELS, PHASE_LABELS, ROLE_LABELS
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Role,
    Sector,
    Theme,
    WriterRole,
)
from feedback.tagging import active_themes
from feedback.web import (
    choose_establishment,
    default_period,
    keyset_page,
    requested_establishment,
    safe_next,
    summary_selection,
    threshold_of,
)

# --- Small formatting helpers ---------------------------------------------------------------


# --- Which establishment, which filter ------------------------------------------------------


# --- The summary ----------------------------------------------------------------------------

@bp.get("/summary")
@role_required(Role.MANAGER)
def summary():
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.summary")
    form = SummaryFilterForm(request.args)
    prepare_filters(form, establishment)
    f = build_filter(form, establishment)
    figures = insights.SummaryFigures(f, establishment).prefetch()
    locale = str(get_locale())
    return render_template(
        "dashboard/summary.html", establishment=establishment, form=form, f=f, figures=figures,
        args=filter_args(form, establishment), charts=summary_charts(figures, locale),
        items=item_labels([establishment.id], locale),
        sectors=insights.sector_labels(
            [g.key for g in figures.by_sector.groups if g.key], locale),
        kpis=figures.kpis, kpi_first=f.scope.first_week, kpi_last=f.scope.last_day,
        period_label=_("Issues of the period (the other filters do not apply to them)"),
    )


# --- The feedback list and its corrections --------------------------------------------------


@bp.get("/feedback")
@role_required(Role.MANAGER)
def feedback():
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.feedback")
    form = SummaryFilterForm(request.args)
    prepare_filters(form, establishment)
    f = build_filter(form, establishment)
    theme, sentiment = list_filters(form)
    rules = insights.listing_rules(f)
    stmt = insights.listing(f, theme.id if theme else None, sentiment).options(
        selectinload(Feedback.themes).selectinload(FeedbackTheme.theme),
        selectinload(Feedback.sector).selectinload(Sector.site),
        selectinload(Feedback.author), selectinload(Feedback.observation),
        selectinload(Feedback.cohort),
    )
    page = keyset_page(stmt, insights.LISTING_KEYS, insights.listing_key, PER_PAGE)
    args = filter_args(form, establishment, LIST_FILTER_NAMES)
    retheme_forms = {item.ref: retheme_form(item, next_url=request.full_path,
                                            prefix=f"f{item.ref}")
                     for item in page.items}
    return render_template("dashboard/feedback.html", establishment=establishment, form=form,
                           f=f, page=page, rules=rules, args=args, retheme_forms=retheme_forms,
                           theme=theme, sentiment=sentiment,
                           summary_args=filter_args(form, establishment))


def retheme_form(item: Feedback, formdata=None, next_url: str | None = None,
                 prefix: str = "") -> RethemeForm:
    """The correction form; in the list, each one prefixed with its feedback (unique ids)."""
    locale = str(get_locale())
    form = RethemeForm(formdata=formdata, prefix=prefix) if formdata is not None \
        else RethemeForm(prefix=prefix)
    themes = dict(active_themes())
    for link in item.themes:
        themes.setdefault(link.theme.code, link.theme)
    form.themes.choices = [SelectChoice(code, theme.name(locale))
                           for code, theme in sorted(themes.items())]
    if formdata is None:
        form.themes.data = [link.theme.code for link in item.themes]
        form.next.data = next_url
    return form


@bp.route("/feedback/<ref>/themes", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def retheme(ref):
    item = feedback_or_404(ref)
    if item.kind in insights.ANONYMOUS_KINDS and item.cohort_id is None:
        abort(404)  # an anonymous comment that counts in no cohort is listed nowhere either
    if request.method == "POST":
        # Sent from the list (fields prefixed with the feedback) or from this page (plain).
        listed = f"f{item.ref}-"
        prefix = listed[:-1] if any(key.startswith(listed) for key in request.form) else ""
        form = retheme_form(item, formdata=request.form, prefix=prefix)
        if form.validate_on_submit():
            chosen = list(db.session.scalars(
                select(Theme).where(Theme.code.in_(form.themes.data))))
            changed = tagging.retheme_feedback(item, chosen, actor=current_user)
            db.session.commit()
            flash(_("Themes of feedback #%(ref)s saved: they will stay as you set them.",
                    ref=item.ref) if changed else _("The themes were already these."),
                  "success")
            return redirect(safe_next(form.next.data, "dashboard.feedback"))
    else:
        form = retheme_form(item, next_url=request.args.get("next"))
    return render_template("dashboard/retheme.html", item=item, form=form,
                           reasons=tagging.theme_reasons(item),
                           anonymous=item.kind in insights.ANONYMOUS_KINDS)


# --- Establishments side by side ------------------------------------------------------------

@bp.get("/compare")
@role_required(Role.MANAGER)
def compare():
    form = CompareForm(request.args)
    form.phase.choices = [SelectChoice("", _("All phases")),
                          *(SelectChoice(str(n), label) for n, label in PHASE_LABELS.items())]
    form.role.choices = [SelectChoice("", _("All roles")),
                         *(SelectChoice(r.value, ROLE_LABELS[r.value]) for r in WriterRole)]
    form.kind.choices = [SelectChoice("", _("All kinds")),
                         *(SelectChoice(k, label) for k, label in KIND_LABELS.items())]
    period = form.value("period") or "golive"
    form.period.data = period
    narrowing = {
        "phase": int(form.value("phase")) if form.value("phase") else None,
        "role": WriterRole(form.value("role")) if form.value("role") else None,
        "kind": FeedbackKind(form.value("kind")) if form.value("kind") else None,
    }
    everyone = list(db.session.scalars(
        select(Establishment).where(Establishment.active).order_by(Establishment.name)))
    if current_user.network_wide:
        shown = everyone
        others = []
    else:
        shown = [current_user.establishment]
        others = [e for e in everyone if e.id != current_user.establishment_id]
    columns = [insights.establishment_figures(compare_filter([e], period, narrowing, everyone),
                                              e)
               for e in shown]
    pool = everyone if current_user.network_wide else others
    network = None
    if len(pool) >= (2 if current_user.network_wide else insights.NETWORK_POOL_MINIMUM):
        network = insights.establishment_figures(compare_filter(pool, period, narrowing,
                                                                everyone))
    themes = _compared_themes([*columns, *([network] if network else [])])
    locale = str(get_locale())
    return render_template(
        "dashboard/compare.html", form=form, columns=columns, network=network, themes=themes,
        items=item_labels([e.id for e in shown] or [0], locale),
        period_label=COMPARE_PERIODS[period],
        pool_minimum=insights.NETWORK_POOL_MINIMUM, others=len(others),
        item_codes=sorted({i.item for c in [*columns, *([network] if network else [])]
                           for i in (c.scores.items or [])}),
    )


def compare_filter(establishments: list[Establishment], period: str, narrowing: dict,
                   compared: list[Establishment] | None = None) -> insights.SummaryFilter:
    """The same relative period in each establishment (their go-lives differ), of the same
    number of weeks for all the `compared` ones (default: these): the shortest one's."""
    spans = {e.id: _compare_span(e, period) for e in {*establishments, *(compared or [])}}
    weeks = min(((last - first).days // 7
                 for first, last in (spans[e.id] for e in compared or establishments)),
                default=0)
    scopes = []
    for establishment in establishments:
        first, last = spans[establishment.id]
        scopes.append(insights.Scope(establishment.id, last - timedelta(weeks=weeks), last)
                      if period == "recent"
                      else insights.Scope(establishment.id, first, first + timedelta(weeks=weeks)))
    return insights.SummaryFilter(scopes=tuple(scopes), threshold=threshold_of(establishments),
                                   cut_until=anonymity.cut_until(db.session.connection(),
                                                                 utcnow()),
                                   **narrowing)


def _compare_span(establishment: Establishment, period: str) -> tuple[date, date]:
    """The Mondays of the first and last weeks an establishment's own period would cover."""
    first, last = default_period(establishment)
    if period == "month1":
        first, last = monthly.first_month(establishment)
        last += timedelta(days=6)
    elif period == "recent":
        first = max(first, last - timedelta(weeks=RECENT_WEEKS) + timedelta(days=1))
    return insights.week_span(first, last)


def _compared_themes(columns: list[insights.SummaryFigures]) -> list[Theme]:
    """Every theme shown in a column, the most mentioned across the columns first."""
    seen: dict[int, Theme] = {}
    shares: dict[int, float] = {}
    for column in columns:
        for theme in column.overall.themes:
            seen.setdefault(theme.id, theme)
            figure = column.overall.overall.theme(theme.id)
            shares[theme.id] = shares.get(theme.id, 0.0) + (figure.share if figure else 0.0)
    return sorted(seen.values(), key=lambda t: (-shares[t.id], t.code))


# --- The one-month update -------------------------------------------------------------------

def report_update(establishment: Establishment, first: date,
                  last: date) -> monthly.MonthlyUpdate:
    return monthly.monthly_update(establishment, summary_selection(establishment, first, last))


def report_period(establishment: Establishment) -> tuple[date, date]:
    """The period asked for (whole weeks), by default the first month after go-live."""
    first, last = monthly.first_month(establishment)
    last += timedelta(days=6)
    try:
        if request.args.get("start"):
            first = date.fromisoformat(request.args["start"])
        if request.args.get("end"):
            last = date.fromisoformat(request.args["end"])
    except ValueError:
        abort(400)
    first_week, last_week = insights.week_span(first, last)
    return first_week, last_week + timedelta(days=6)


def report_args(establishment: Establishment, first: date, last: date) -> dict:
    args = {"start": first.isoformat(), "end": last.isoformat()}
    if current_user.network_wide:
        args["establishment"] = establishment.id
    return args


def render_report(update: monthly.MonthlyUpdate, *, standalone: bool = False,
                  note_form: ReportNoteForm | None = None) -> str:
    locale = str(get_locale())
    establishment = update.establishment
    css = ""
    if standalone:
        css = Path(current_app.static_folder, "css", "echo.css").read_text(encoding="utf-8")
    return render_template(
        "dashboard/report.html", update=update, figures=update.figures,
        establishment=establishment,
        standalone=standalone, inline_css=css, note_form=note_form,
        args=report_args(establishment, update.first_day, update.last_day),
        charts=summary_charts(update.figures, locale),
        items=item_labels([establishment.id], locale),
        kpis=update.figures.kpis, kpi_first=update.first_day, kpi_last=update.last_day,
        period_label=_("Issues of the period"), chromium=monthly.chromium_path() is not None,
        generated=datetime.now(QUEBEC), drivers_chart=drivers_chart, date_format="long",
        theme_names=driver_themes(locale),
        perception_charts=perception_charts(update.perception, locale, compact=True),
    )


@bp.get("/report")
@role_required(Role.MANAGER)
def report():
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.report")
    first, last = report_period(establishment)
    update = report_update(establishment, first, last)
    form = ReportNoteForm(obj=update.note)
    return render_report(update, note_form=form)


@bp.post("/report/notes")
@role_required(Role.MANAGER)
def report_notes():
    establishment = requested_establishment()
    if establishment is None:
        abort(404)
    first, last = report_period(establishment)
    form = ReportNoteForm()
    if form.validate_on_submit():
        monthly.save_report_note(establishment, first, last, actor=current_user,
                                 highlights=form.highlights.data or "",
                                 success_factors=form.success_factors.data or "",
                                 summary=form.summary.data or "")
        db.session.commit()
        flash(_("Notes saved with the report."), "success")
        return redirect(url_for(".report", **report_args(establishment, first, last)))
    update = report_update(establishment, first, last)
    return render_report(update, note_form=form), 400


# --- Exports --------------------------------------------------------------------------------


@bp.route("/report.pdf", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def report_pdf():
    """Ask the job queue for the PDF of the update (Chromium takes seconds: never in a request),
    then follow it on its page. The page is rendered here, as the manager reads it."""
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.report")
    first, last = report_period(establishment)
    args = report_args(establishment, first, last)
    if monthly.chromium_path() is None:
        flash(_("The server cannot make PDF files (Chromium is not installed). Use your "
                "browser's Print command and choose “Save as PDF”: the page is laid out for "
                "it."), "error")
        return redirect(url_for(".report", **args))
    if request.method == "GET" or not PostForm().validate_on_submit():
        return redirect(url_for(".report", **args))
    html = render_report(report_update(establishment, first, last), standalone=True)
    job = export_jobs.create_report_pdf(
        user=current_user, establishment=establishment, html=html,
        instance_path=current_app.instance_path, first=first, last=last,
        locale=str(get_locale()),
        filename=f"echo-{establishment.code}-{first.isoformat()}-{last.isoformat()}.pdf")
    db.session.flush()
    audit.record("export.download", actor=current_user, establishment_id=establishment.id,
                 table="report", format="pdf", start=first.isoformat(), end=last.isoformat(),
                 job=job.id)
    return queue_export(job)
