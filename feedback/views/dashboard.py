"""Managers' summaries, the feedback list and its corrections, the establishment comparison,
the one-month update and the exports (issue 6).

Users of an establishment always see theirs: asking for another one is a 404. Network-wide users
pick an establishment first (the comparison shows them all).
"""

from datetime import date, datetime, timedelta
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import (
    format_date,
    format_decimal,
    format_number,
    format_percent,
    get_locale,
    ngettext,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from feedback import anonymity, audit, charts, exports, reports, summaries, tagging
from feedback.access import feedback_or_404, role_required
from feedback.clock import QUEBEC, local_today, utcnow
from feedback.extensions import db
from feedback.forms import (
    COMPARE_PERIODS,
    CompareForm,
    ReportNoteForm,
    RethemeForm,
    SummaryFilterForm,
)
from feedback.labels import KIND_LABELS, PHASE_LABELS, ROLE_LABELS, SENTIMENT_LABELS
from feedback.models import (
    Campaign,
    Establishment,
    Feedback,
    FeedbackKind,
    FeedbackTheme,
    Role,
    Sector,
    SentimentLabel,
    Site,
    Theme,
    User,
    WriterRole,
)
from feedback.surveys import default_instrument
from feedback.tagging import active_themes
from feedback.views.issues import duration_text, share_text
from feedback.web import (
    MAX_ID,
    cut_finished_weeks,
    page_number,
    safe_next,
    summary_selection,
    threshold_of,
    visible_establishments,
)

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

PER_PAGE = 25
RECENT_WEEKS = 4
FILTER_NAMES = ("establishment", "start", "end", "phase", "role", "sector", "kind")
LIST_FILTER_NAMES = (*FILTER_NAMES, "theme", "sentiment")
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.context_processor
def helpers() -> dict:
    return {"share": share_text, "duration": duration_text, "role_labels": ROLE_LABELS,
            "kind_labels": KIND_LABELS, "sentiment_labels": SENTIMENT_LABELS,
            "phase_labels": PHASE_LABELS, "hidden_reason": hidden_reason,
            "withheld_note": withheld_note,
            "percent": percent_text, "points": points_text, "score": score_text,
            "mean": mean_text, "heat": heat_class, "week_label": week_label}


# --- Small formatting helpers ---------------------------------------------------------------

def hidden_reason(protection: summaries.Protection) -> str:
    """Why a figure is not shown, in words."""
    n = protection.threshold
    match protection.hidden:
        case summaries.Hidden.SMALL:
            return ngettext("Hidden: too few survey answers (fewer than %(num)d) to show on "
                            "their own.",
                            "Hidden: too few survey answers (fewer than %(num)d) to show on "
                            "their own.", n)
        case summaries.Hidden.PENDING:
            return _("Not yet shown: survey answers count once their week is over.")
    return ""


def withheld_note(protection: summaries.Protection) -> str:
    """Why a figure shown counts fewer survey answers than its group holds."""
    if not protection.withheld or protection.suppressed:
        return ""
    return ngettext(
        "Some survey answers of this group are not counted here: they count only in wider "
        "groups of at least %(num)d, or once their week is over.",
        "Some survey answers of this group are not counted here: they count only in wider "
        "groups of at least %(num)d, or once their week is over.", protection.threshold)


def percent_text(value: float | None) -> str:
    return format_percent(value, "#,##0 %") if value is not None else "—"


def points_text(value: float) -> str:
    """A change of share in percentage points, signed."""
    rounded = round(value * 100)
    return _("%(sign)s%(n)s pts", sign="+" if rounded > 0 else "", n=format_number(rounded))


def score_text(value: float | None) -> str:
    if value is None:
        return "—"
    rounded = round(value)
    return ("+" if rounded > 0 else "") + format_number(rounded)


def mean_text(value: float | None) -> str:
    return format_decimal(round(value, 1), "0.0") if value is not None else "—"


def heat_class(value: float | None, maximum: float = 0.5) -> str:
    """A CSS class from heat-0 to heat-5 for a share (colour is never the only cue)."""
    if value is None:
        return "heat-hidden"
    return f"heat-{min(5, int(value / maximum * 5 + 0.5)) if maximum else 0}"


def week_label(week: date) -> str:
    return format_date(week, "d MMM")


def item_labels(establishment_ids: list[int], locale: str) -> dict[str, str]:
    """Each survey item's wording: the latest campaign's, else the default questions'."""
    instruments = [default_instrument()]
    latest = db.session.scalar(
        select(Campaign.instrument).where(Campaign.establishment_id.in_(establishment_ids))
        .order_by(Campaign.opens_on.desc(), Campaign.id.desc()).limit(1)
    )
    if latest:
        instruments.append(latest)
    labels: dict[str, str] = {}
    for instrument in instruments:
        for item in instrument.get("items", []):
            labels[item["code"]] = item.get("en" if locale == "en" else "fr") or item["code"]
    return labels


# --- Which establishment, which filter ------------------------------------------------------

def requested_establishment() -> Establishment | None:
    """The user's own establishment, or the one a network-wide user asked for (None: not yet).

    Asking for another establishment than one's own is a 404, like any object of another one.
    """
    ident = request.values.get("establishment", "")
    if not current_user.network_wide:
        if ident and ident != str(current_user.establishment_id):
            abort(404)
        return current_user.establishment
    if not ident:
        return None
    establishment = (db.session.get(Establishment, int(ident))
                     if ident.isdigit() and int(ident) <= MAX_ID else None)
    if establishment is None:
        abort(404)
    return establishment


def default_period(establishment: Establishment) -> tuple[date, date]:
    """From go-live to the last week with feedback or responses (or today)."""
    weeks = summaries.data_weeks([establishment.id])
    last = weeks[1] + timedelta(days=6) if weeks else local_today()
    return establishment.go_live, max(last, establishment.go_live)


def prepare_filters(form: SummaryFilterForm, establishment: Establishment) -> None:
    locale = str(get_locale())
    if current_user.network_wide:
        form.establishment.choices = [SelectChoice(e.id, e.name)
                                      for e in visible_establishments()]
        form.establishment.data = establishment.id
    else:
        del form.establishment
    form.phase.choices = [SelectChoice("", _("All phases")),
                          *(SelectChoice(str(n), label) for n, label in PHASE_LABELS.items())]
    form.role.choices = [SelectChoice("", _("All roles")),
                         *(SelectChoice(role.value, ROLE_LABELS[role.value])
                           for role in WriterRole)]
    sectors = db.session.execute(
        select(Sector.id, Sector.name_fr, Sector.name_en, Site.name)
        .join(Site, Site.id == Sector.site_id)
        .where(Site.establishment_id == establishment.id)
        .order_by(Site.name, Sector.name_fr)
    ).all()
    form.sector.choices = [SelectChoice("", _("All sectors"))] + [
        SelectChoice(str(ident), f"{name_en if locale == 'en' else name_fr} — {site}")
        for ident, name_fr, name_en, site in sectors
    ]
    form.kind.choices = [SelectChoice("", _("All kinds")),
                         *(SelectChoice(kind, label) for kind, label in KIND_LABELS.items())]
    themes = db.session.scalars(select(Theme).order_by(Theme.code)).all()
    form.theme.choices = [SelectChoice("", _("All themes")),
                          *(SelectChoice(theme.code, theme.name(locale)) for theme in themes)]
    form.sentiment.choices = [SelectChoice("", _("Any sentiment")),
                              *(SelectChoice(k, label) for k, label in SENTIMENT_LABELS.items())]


def build_filter(form: SummaryFilterForm,
                 establishment: Establishment) -> summaries.SummaryFilter:
    """The summary filter the form asks for; a bad value falls back to no filtering."""
    first, last = default_period(establishment)
    if form.validate():
        first = form.start.data or first
        last = form.end.data or last
    phase, role, sector, kind = (form.value(name) for name in ("phase", "role", "sector", "kind"))
    f = summary_selection(
        establishment, first, last,
        phase=int(phase) if phase else None,
        role=WriterRole(role) if role else None,
        sector_id=int(sector) if sector else None,
        kind=FeedbackKind(kind) if kind else None,
    )
    form.start.data, form.end.data = f.scope.first_week, f.scope.last_day
    return f


def filter_args(form: SummaryFilterForm, establishment: Establishment,
                names: tuple[str, ...] = FILTER_NAMES) -> dict:
    """The query string of the current filters, for links to the list, exports and report."""
    args = {name: form.value(name) for name in names
            if name in form and name not in ("establishment", "start", "end")}
    args = {name: value for name, value in args.items() if value}
    if form.start.data:
        args["start"] = form.start.data.isoformat()
    if form.end.data:
        args["end"] = form.end.data.isoformat()
    if current_user.network_wide:
        args["establishment"] = establishment.id
    return args


def choose_establishment(endpoint: str):
    return render_template("dashboard/choose.html", establishments=visible_establishments(),
                           endpoint=endpoint)


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
    figures = summary_figures(f, establishment)
    locale = str(get_locale())
    return render_template(
        "dashboard/summary.html", establishment=establishment, form=form, f=f,
        args=filter_args(form, establishment), charts=summary_charts(figures, locale),
        items=item_labels([establishment.id], locale),
        sectors=summaries.sector_labels(
            [g.key for g in figures["by_sector"].groups if g.key], locale),
        kpi_first=f.scope.first_week, kpi_last=f.scope.last_day,
        period_label=_("Issues of the period (the other filters do not apply to them)"),
        **figures,
    )


def summary_figures(f: summaries.SummaryFilter, establishment: Establishment) -> dict:
    overall = summaries.theme_breakdown(f)
    weekly = summaries.theme_breakdown(f, "week")
    return {
        "overall": overall,
        "weekly": weekly,
        "trends": summaries.week_over_week(weekly),
        "by_phase": summaries.theme_breakdown(f, "phase"),
        "by_sector": summaries.theme_breakdown(f, "sector"),
        "by_role": summaries.theme_breakdown(f, "role_group"),
        "scores": summaries.survey_scores(f)[0],
        "scores_by_role": summaries.survey_scores(f, "role_group"),
        "campaigns": summaries.campaign_responses(f),
        "kpis": summaries.issue_kpis([establishment.id], f.scope.start, f.scope.end),
        "comments": summaries.representative_comments(f, overall),
    }


def summary_charts(figures: dict, locale: str) -> dict:
    """The SVG geometry of the summary's charts (their tables are in the template)."""
    weekly = figures["weekly"]
    hidden = _("hidden (anonymity)")
    kinds = ((FeedbackKind.SURVEY, "kind-survey"), (FeedbackKind.IMPORT, "kind-import"),
             (FeedbackKind.OBSERVATION, "kind-observation"))
    series = []
    for kind, css in kinds:
        values = [None if g.suppressed and kind is not FeedbackKind.OBSERVATION
                  else (g.by_kind or {}).get(kind, 0) for g in weekly.groups]
        series.append(charts.Series(str(KIND_LABELS[kind.value]), css, values))
    every = max(1, len(weekly.groups) // 12)
    volumes = charts.column_chart([week_label(g.key) for g in weekly.groups], series,
                                  label_every=every, hidden_label=hidden, number=format_number)
    overall = figures["overall"].overall
    shown = [] if overall.suppressed else figures["overall"].themes
    rows = []
    for theme in shown:
        figure = overall.theme(theme.id)
        if figure.sentiment is None:
            rows.append(charts.BarRow(theme.name(locale), [charts.Segment(
                figure.share, "sentiment-hidden", hidden)], percent_text(figure.share)))
            continue
        total = figure.sentiment.total or 1
        rows.append(charts.BarRow(theme.name(locale), [
            charts.Segment(figure.share * getattr(figure.sentiment, label) / total,
                           f"sentiment-{label}",
                           f"{SENTIMENT_LABELS[label]}: {getattr(figure.sentiment, label)}")
            for label in ("negative", "neutral", "positive")
        ], percent_text(figure.share)))
    top = max((overall.theme(t.id).share for t in shown), default=0)
    themes = charts.bar_chart(rows, maximum=charts.nice_ceiling(top * 100) / 100 if top else 1)
    sparks = {}
    for theme in weekly.themes:
        values = [None if g.suppressed else (g.theme(theme.id).share if g.total else None)
                  for g in weekly.groups]
        sparks[theme.id] = charts.sparkline(values)
    items = {}
    for scores in [figures["scores"]]:
        for item in scores.items or []:
            if item.shares is None:
                continue
            items[item.item] = charts.bar_chart([charts.BarRow("", [
                charts.Segment(share, f"agree-{value}", f"{value}: {count}")
                for value, (share, count) in enumerate(
                    zip(item.shares, item.distribution, strict=True), start=1)
            ], mean_text(item.mean))], width=420, label_width=4, row_height=24)
    return {"volumes": volumes, "themes": themes, "sparks": sparks, "item_bars": items}


# --- The feedback list and its corrections --------------------------------------------------

def list_filters(form: SummaryFilterForm) -> tuple[Theme | None, SentimentLabel | None]:
    theme_code, sentiment = form.value("theme"), form.value("sentiment")
    theme = db.session.scalar(select(Theme).where(Theme.code == theme_code)) if theme_code else None
    return theme, SentimentLabel(sentiment) if sentiment else None


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
    rules = summaries.listing_rules(f)
    stmt = summaries.listing(f, theme.id if theme else None, sentiment).options(
        selectinload(Feedback.themes).selectinload(FeedbackTheme.theme),
        selectinload(Feedback.sector).selectinload(Sector.site),
        selectinload(Feedback.author), selectinload(Feedback.observation),
        selectinload(Feedback.cohort),
    )
    page = db.paginate(stmt, page=page_number(), per_page=PER_PAGE,
                       error_out=False)
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
    if item.kind in summaries.ANONYMOUS_KINDS and item.cohort_id is None:
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
                           anonymous=item.kind in summaries.ANONYMOUS_KINDS)


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
    cut_finished_weeks(everyone)
    columns = [summaries.establishment_figures(compare_filter([e], period, narrowing), e)
               for e in shown]
    pool = everyone if current_user.network_wide else others
    network = None
    if len(pool) >= (2 if current_user.network_wide else summaries.NETWORK_POOL_MINIMUM):
        network = summaries.establishment_figures(compare_filter(pool, period, narrowing))
    themes = _compared_themes([*columns, *([network] if network else [])])
    locale = str(get_locale())
    return render_template(
        "dashboard/compare.html", form=form, columns=columns, network=network, themes=themes,
        items=item_labels([e.id for e in shown] or [0], locale),
        period_label=COMPARE_PERIODS[period],
        pool_minimum=summaries.NETWORK_POOL_MINIMUM, others=len(others),
        item_codes=sorted({i.item for c in [*columns, *([network] if network else [])]
                           for i in (c.scores.items or [])}),
    )


def compare_filter(establishments: list[Establishment], period: str,
                   narrowing: dict) -> summaries.SummaryFilter:
    """The same relative period in each establishment (their go-lives differ)."""
    scopes = []
    for establishment in establishments:
        first, last = default_period(establishment)
        if period == "month1":
            first, last = reports.first_month(establishment)
            last += timedelta(days=6)
        elif period == "recent":
            first = max(first, last - timedelta(weeks=RECENT_WEEKS) + timedelta(days=1))
        first_week, last_week = summaries.week_span(first, last)
        scopes.append(summaries.Scope(establishment.id, first_week, last_week))
    return summaries.SummaryFilter(scopes=tuple(scopes), threshold=threshold_of(establishments),
                                   cut_until=anonymity.last_closed_week(utcnow()), **narrowing)


def _compared_themes(columns: list[summaries.EstablishmentFigures]) -> list[Theme]:
    """Every theme shown in a column, the most mentioned across the columns first."""
    seen: dict[int, Theme] = {}
    shares: dict[int, float] = {}
    for column in columns:
        for theme in column.themes.themes:
            seen.setdefault(theme.id, theme)
            figure = column.themes.overall.theme(theme.id)
            shares[theme.id] = shares.get(theme.id, 0.0) + (figure.share if figure else 0.0)
    return sorted(seen.values(), key=lambda t: (-shares[t.id], t.code))


# --- The one-month update -------------------------------------------------------------------

def report_update(establishment: Establishment, first: date,
                  last: date) -> reports.MonthlyUpdate:
    return reports.monthly_update(establishment, summary_selection(establishment, first, last))


def report_period(establishment: Establishment) -> tuple[date, date]:
    """The period asked for (whole weeks), by default the first month after go-live."""
    first, last = reports.first_month(establishment)
    last += timedelta(days=6)
    try:
        if request.args.get("start"):
            first = date.fromisoformat(request.args["start"])
        if request.args.get("end"):
            last = date.fromisoformat(request.args["end"])
    except ValueError:
        abort(400)
    first_week, last_week = summaries.week_span(first, last)
    return first_week, last_week + timedelta(days=6)


def report_args(establishment: Establishment, first: date, last: date) -> dict:
    args = {"start": first.isoformat(), "end": last.isoformat()}
    if current_user.network_wide:
        args["establishment"] = establishment.id
    return args


def render_report(update: reports.MonthlyUpdate, *, standalone: bool = False,
                  note_form: ReportNoteForm | None = None) -> str:
    locale = str(get_locale())
    establishment = update.establishment
    css = ""
    if standalone:
        css = Path(current_app.static_folder, "css", "echo.css").read_text(encoding="utf-8")
    figures = {"overall": update.themes, "weekly": update.weekly, "scores": update.scores}
    return render_template(
        "dashboard/report.html", update=update, establishment=establishment,
        standalone=standalone, inline_css=css, note_form=note_form,
        args=report_args(establishment, update.first_day, update.last_day),
        charts=summary_charts(figures, locale),
        items=item_labels([establishment.id], locale),
        kpis=update.kpis, kpi_first=update.first_day, kpi_last=update.last_day,
        period_label=_("Issues of the period"), chromium=reports.chromium_path() is not None,
        generated=datetime.now(QUEBEC),
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
        reports.save_report_note(establishment, first, last, actor=current_user,
                                 highlights=form.highlights.data or "",
                                 success_factors=form.success_factors.data or "",
                                 summary=form.summary.data or "")
        db.session.commit()
        flash(_("Notes saved with the report."), "success")
        return redirect(url_for(".report", **report_args(establishment, first, last)))
    update = report_update(establishment, first, last)
    return render_report(update, note_form=form), 400


@bp.get("/report.pdf")
@role_required(Role.MANAGER)
def report_pdf():
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.report")
    first, last = report_period(establishment)
    args = report_args(establishment, first, last)
    if reports.chromium_path() is None:
        flash(_("The server cannot make PDF files (Chromium is not installed). Use your "
                "browser's Print command and choose “Save as PDF”: the page is laid out for "
                "it."), "error")
        return redirect(url_for(".report", **args))
    html = render_report(report_update(establishment, first, last), standalone=True)
    try:
        pdf = reports.pdf_from_html(html)
    except reports.PdfError:
        current_app.logger.exception("PDF rendering failed")
        flash(_("The PDF could not be made this time. Use your browser's Print command and "
                "choose “Save as PDF”."), "error")
        return redirect(url_for(".report", **args))
    audit.record("export.download", actor=current_user, establishment_id=establishment.id,
                 table="report", format="pdf", start=first.isoformat(), end=last.isoformat())
    db.session.commit()
    filename = f"echo-{establishment.code}-{first.isoformat()}-{last.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


# --- Exports --------------------------------------------------------------------------------

def _download(tables: list[exports.Table], fmt: str, filename: str) -> Response:
    body = exports.csv_lines(tables) if fmt == "csv" else exports.xlsx_chunks(tables)
    return Response(stream_with_context(body), mimetype=EXPORT_FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}.{fmt}"',
        "Cache-Control": "no-store",
    })


def _export_context(names: tuple[str, ...]):
    establishment = requested_establishment()
    if establishment is None:
        abort(404)
    form = SummaryFilterForm(request.args)
    prepare_filters(form, establishment)
    f = build_filter(form, establishment)
    return establishment, form, f


def _audited_filters(form: SummaryFilterForm, names: tuple[str, ...]) -> dict:
    """The filters of an export, for its audit entry (codes and ids, never text)."""
    return {f"filter_{name}": form.value(name) for name in names if form.value(name)}


@bp.get("/export/feedback.<fmt>")
@role_required(Role.MANAGER)
def export_feedback(fmt):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    establishment, form, f = _export_context(LIST_FILTER_NAMES)
    theme, sentiment = list_filters(form)
    rules = summaries.listing_rules(f)
    stmt = summaries.listing(f, theme.id if theme else None, sentiment)
    audit.record("export.download", actor=current_user, establishment_id=establishment.id,
                 table="feedback", format=fmt, start=f.scope.first_week.isoformat(),
                 end=f.scope.last_day.isoformat(), anonymous=rules.anonymous_visible,
                 **_audited_filters(form, ("phase", "role", "sector", "kind", "theme",
                                           "sentiment")))
    db.session.commit()
    table = feedback_export_table(f, rules, stmt, str(get_locale()))
    return _download([table], fmt, f"echo-{establishment.code}-feedback-"
                                   f"{f.scope.first_week.isoformat()}")


def feedback_export_table(f: summaries.SummaryFilter, rules: summaries.ListingRules, stmt,
                          locale: str) -> exports.Table:
    """One row per feedback: redacted text, themes, sentiment, and what anonymity allows."""
    sectors = summaries.sector_labels(
        list(db.session.scalars(select(Sector.id).join(Site).where(
            Site.establishment_id.in_(f.establishment_ids)))), locale)
    authors = dict(db.session.execute(select(User.id, User.name)).all())
    theme_names = {theme.id: theme.name(locale) for theme in db.session.scalars(select(Theme))}
    header = [_("Reference"), _("Kind"), _("Date (Québec)"), _("Week of"), _("Phase"), _("Role"),
              _("Sector"), _("Observed by"), _("Themes"), _("Sentiment"), _("Polarity"),
              _("Language"), _("Issue"), _("Text (redacted)")]
    kinds = {kind: str(label) for kind, label in KIND_LABELS.items()}
    roles = {role: str(label) for role, label in ROLE_LABELS.items()}
    sentiments = {key: str(label) for key, label in SENTIMENT_LABELS.items()}
    hidden = _("not shown (anonymity)")

    def row(item, theme_ids: list[int]) -> list:
        role = item.role.value
        if item.kind in summaries.ANONYMOUS_KINDS:
            # What the comment's cohort shares, as in the listing: never its day.
            when, author, week = hidden, "", item.cohort_week
            phase = item.cohort_phase if item.cohort_phase is not None else hidden
            role_text = roles[role] if item.cohort_role else hidden
            sector_text = (sectors.get(item.sector_id, "") if item.sector_id
                           and item.cohort_sector is not None else hidden)
        else:
            when = exports.local_time(item.created_at)
            week, phase = summaries.monday(item.created_at.astimezone(QUEBEC).date()), item.phase
            role_text = roles[role]
            sector_text = sectors.get(item.sector_id, "") if item.sector_id else ""
            author = authors.get(item.author_id, "") if item.author_id else ""
        return [item.ref, kinds[item.kind.value], when, week, phase, role_text, sector_text,
                author, ", ".join(sorted(theme_names[t] for t in theme_ids)),
                sentiments[item.sentiment.value], round(item.polarity, 3), item.language,
                item.issue_id, item.text]

    return exports.feedback_table(_("Feedback"), header, stmt, row)


@bp.get("/export/summary.<fmt>")
@role_required(Role.MANAGER)
def export_summary(fmt):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    establishment, form, f = _export_context(FILTER_NAMES)
    figures = summary_figures(f, establishment)
    audit.record("export.download", actor=current_user, establishment_id=establishment.id,
                 table="summary", format=fmt, start=f.scope.first_week.isoformat(),
                 end=f.scope.last_day.isoformat(),
                 **_audited_filters(form, ("phase", "role", "sector", "kind")))
    db.session.commit()
    locale = str(get_locale())
    tables = summary_tables(f, establishment, figures, locale)
    return _download(tables, fmt, f"echo-{establishment.code}-summary-"
                                  f"{f.scope.first_week.isoformat()}")


def summary_tables(f: summaries.SummaryFilter, establishment: Establishment, figures: dict,
                   locale: str) -> list[exports.Table]:
    """The summary's tables, hidden figures left empty with the reason beside them."""

    def pct(value: float | None):
        return round(value * 100, 1) if value is not None else None

    def reason(protection: summaries.Protection) -> str:
        return hidden_reason(protection) if protection.suppressed else ""

    overall, weekly = figures["overall"], figures["weekly"]
    themes = overall.themes
    names = {theme.id: theme.name(locale) for theme in
             {t.id: t for b in ("overall", "weekly", "by_phase", "by_sector", "by_role")
              for t in figures[b].themes}.values()}
    tables = []

    volumes = []
    for g in weekly.groups:
        kinds = g.by_kind or {}
        volumes.append([g.key, g.key + timedelta(days=6),
                        None if g.suppressed else kinds.get(FeedbackKind.SURVEY, 0),
                        None if g.suppressed else kinds.get(FeedbackKind.IMPORT, 0),
                        None if g.suppressed else kinds.get(FeedbackKind.OBSERVATION, 0),
                        g.total, reason(g.protection)])
    tables.append(exports.Table(_("Volumes by week"), [
        _("Week of"), _("To"), str(KIND_LABELS["survey"]), str(KIND_LABELS["import"]),
        str(KIND_LABELS["observation"]), _("Total"), _("Note")], volumes))

    tables.append(exports.Table(_("Responses by campaign"), [
        _("Campaign"), _("Opens on"), _("Closes on"), _("Responses"), _("Note")], [
        [row.campaign.title(locale), row.campaign.opens_on, row.campaign.closes_on,
         row.responses, reason(row.protection)] for row in figures["campaigns"]]))

    group = overall.overall
    theme_rows = []
    for theme in [] if group.suppressed else themes:
        figure = group.theme(theme.id)
        sentiment = figure.sentiment
        theme_rows.append([
            theme.name(locale), figure.count, pct(figure.share),
            *((sentiment.negative, sentiment.neutral, sentiment.positive,
               round(sentiment.mean_polarity, 3)) if sentiment else (None,) * 4),
            reason(figure.sentiment_protection),
        ])
    tables.append(exports.Table(_("Themes"), [
        _("Theme"), _("Feedback"), _("Share (%)"), str(SENTIMENT_LABELS["negative"]),
        str(SENTIMENT_LABELS["neutral"]), str(SENTIMENT_LABELS["positive"]),
        _("Mean polarity"), _("Note")], theme_rows if not group.suppressed
        else [[_("All"), *([None] * 6), reason(group.protection)]]))

    sector_names = summaries.sector_labels(
        [g.key for g in figures["by_sector"].groups if g.key], locale)
    for key, title, label in (
        ("by_phase", _("Themes by phase (share of feedback, %)"),
         lambda k: str(PHASE_LABELS[k])),
        ("by_sector", _("Themes by sector (share of feedback, %)"),
         lambda k: sector_names.get(k, _("No sector"))),
        ("weekly", _("Themes by week (share of feedback, %)"), lambda k: k.isoformat()),
        ("by_role", _("Physicians and other staff (share of comments, %)"),
         lambda k: _("Physicians") if k == "physician" else _("Other staff")),
    ):
        breakdown = figures[key]
        header = [_("Theme"), *(label(g.key) for g in breakdown.groups)]
        rows = [[_("Feedback in the group"), *(g.total for g in breakdown.groups)]]
        rows += [[names[theme.id], *(None if g.suppressed else pct(g.theme(theme.id).share)
                                     for g in breakdown.groups)] for theme in breakdown.themes]
        rows.append([_("Note"), *(reason(g.protection) for g in breakdown.groups)])
        tables.append(exports.Table(title, header, rows))

    items = item_labels([establishment.id], locale)
    score_rows, recommend_rows = [], []
    for label, scores in ((_("All"), figures["scores"]), *(
            ((_("Physicians") if s.key == "physician" else _("Other staff")), s)
            for s in figures["scores_by_role"])):
        if scores.suppressed:
            score_rows.append([label, "", None, None, *([None] * 5), reason(scores.protection)])
            recommend_rows.append([label, None, None, None, None, None,
                                   reason(scores.protection)])
            continue
        for item in scores.items:
            shares = item.shares or (None,) * 5
            score_rows.append([label, items.get(item.item, item.item), item.answers,
                               round(item.mean, 2) if item.mean is not None else None,
                               *(pct(s) for s in shares), reason(item.protection)])
        r = scores.recommend
        recommend_rows.append([label, r.answers, r.promoters, r.passives, r.detractors,
                               round(r.score, 1) if r.score is not None else None,
                               reason(r.protection)])
    tables.append(exports.Table(_("Survey items"), [
        _("Group"), _("Item"), _("Answers"), _("Mean (1–5)"),
        *(_("%(value)d (%%)", value=v) for v in range(1, 6)), _("Note")], score_rows))
    tables.append(exports.Table(_("Recommend score"), [
        _("Group"), _("Answers"), _("Promoters (9–10)"), _("Passives (7–8)"),
        _("Detractors (0–6)"), _("Score (−100 to 100)"), _("Note")], recommend_rows))

    kpis = figures["kpis"]
    tables.append(exports.Table(_("Issue indicators"), [_("Indicator"), _("Value")], [
        [_("Issues received"), kpis.received],
        [_("Issues resolved"), kpis.resolved],
        [_("Priority issues (P1, P2) received"), kpis.priority_received],
        [_("Priority issues resolved"), kpis.priority_resolved],
        [_("Priority issues resolved in under 24 hours"), kpis.priority_resolved_within_24h],
        [_("Priority issues not yet picked up"), kpis.priority_waiting],
        [_("Median time to resolution (hours)"),
         round(kpis.median_hours_to_resolution, 1)
         if kpis.median_hours_to_resolution is not None else None],
        [_("Open issues at the end of the period"), kpis.backlog],
    ]))
    return tables

