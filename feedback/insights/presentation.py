"""Figures put into words, charts and tables: what the summary page, the report and the exports
show of the same figures."""

from datetime import timedelta

from flask_babel import (
    format_number,
    ngettext,
    pgettext,
)
from flask_babel import gettext as _
from sqlalchemy import select

from feedback import insights
from feedback.clock import QUEBEC
from feedback.extensions import db
from feedback.insights import charts, exports, rollups
from feedback.labels import KIND_LABELS, PHASE_LABELS, ROLE_LABELS, SENTIMENT_LABELS
from feedback.models import (
    Campaign,
    FeedbackKind,
    Sector,
    Site,
    Theme,
    User,
)
from feedback.surveys import default_instrument
from feedback.templating import mean_text, percent_text, week_label


def hidden_reason(protection: insights.Protection) -> str:
    """Why a figure is not shown, in words."""
    n = protection.threshold
    match protection.hidden:
        case insights.Hidden.SMALL:
            return ngettext("Hidden: too few survey answers (fewer than %(num)d) to show on "
                            "their own.",
                            "Hidden: too few survey answers (fewer than %(num)d) to show on "
                            "their own.", n)
        case insights.Hidden.PENDING:
            return _("Not yet shown: survey answers count once their week is over.")
    return ""


def withheld_note(protection: insights.Protection) -> str:
    """Why a figure shown counts fewer survey answers than its group holds."""
    if not protection.withheld or protection.suppressed:
        return ""
    return ngettext(
        "Some survey answers of this group are not counted here: they count only in wider "
        "groups of at least %(num)d, or once their week is over.",
        "Some survey answers of this group are not counted here: they count only in wider "
        "groups of at least %(num)d, or once their week is over.", protection.threshold)


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


def summary_charts(figures: insights.SummaryFigures, locale: str) -> dict:
    """The SVG geometry of the summary's charts (their tables are in the template)."""
    weekly = figures.weekly
    hidden = _("hidden (anonymity)")
    kinds = ((FeedbackKind.SURVEY, "kind-survey"), (FeedbackKind.IMPORT, "kind-import"),
             (FeedbackKind.OBSERVATION, "kind-observation"))
    series = []
    for kind, css in kinds:
        values = [None if g.suppressed and kind is not FeedbackKind.OBSERVATION
                  else (g.by_kind or {}).get(kind, 0) for g in weekly.groups]
        series.append(charts.Series(str(KIND_LABELS[kind.value]), css, values))
    every = max(1, -(-len(weekly.groups) // 9))  # at most nine week labels: none collide
    volumes = charts.column_chart([week_label(g.key) for g in weekly.groups], series,
                                  label_every=every, hidden_label=hidden, number=format_number)
    overall = figures.overall.overall
    shown = [] if overall.suppressed else figures.overall.themes
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
    for scores in [figures.scores]:
        for item in scores.items or []:
            if item.shares is None:
                continue
            items[item.item] = charts.bar_chart([charts.BarRow("", [
                charts.Segment(share, f"agree-{value}", f"{value}: {count}")
                for value, (share, count) in enumerate(
                    zip(item.shares, item.distribution, strict=True), start=1)
            ], mean_text(item.mean))], width=420, label_width=4, row_height=24)
    return {"volumes": volumes, "themes": themes, "sparks": sparks, "item_bars": items}


def feedback_export_table(f: insights.SummaryFilter, rules: insights.ListingRules, stmt,
                          locale: str) -> exports.Table:
    """One row per feedback: redacted text, themes, sentiment, and what anonymity allows."""
    sectors = insights.sector_labels(
        list(db.session.scalars(select(Sector.id).join(Site).where(
            Site.establishment_id.in_(f.establishment_ids)))), locale)
    authors = dict(db.session.execute(select(User.id, User.name)).all())
    theme_names = {theme.id: theme.name(locale) for theme in db.session.scalars(select(Theme))}
    header = [_("Reference"), _("Kind"), _("Date (Québec)"), _("Week of"), _("Phase"), _("Role"),
              _("Sector"), _("Observed by"), _("Who was affected"), _("Themes"), _("Sentiment"),
              _("Polarity"), _("Language"), _("Issue"), _("Text (redacted)")]
    # Keyed by the stored text: the export reads the enumerations as text (exports.py).
    kinds = {kind: str(label) for kind, label in KIND_LABELS.items()}
    roles = {role: str(label) for role, label in ROLE_LABELS.items()}
    anonymous = {kind.value for kind in insights.ANONYMOUS_KINDS}
    # One feedback's sentiment, in the singular ("négatif"), not a column's plural label.
    sentiments = {"negative": pgettext("sentiment of one feedback", "Negative"),
                  "neutral": pgettext("sentiment of one feedback", "Neutral"),
                  "positive": pgettext("sentiment of one feedback", "Positive")}
    hidden = _("not shown (anonymity)")

    def row(item, theme_ids: list[int]) -> list:
        # Unpacked in exports.FEEDBACK_COLUMNS' order: a million rows, fifteen lookups each.
        (_id, ref, kind, created_at, own_phase, role, sector_id, author_id, sentiment, polarity,
         language, issue_id, text, cohort_week, cohort_phase, cohort_role, cohort_sector) = item
        if kind in anonymous:
            # What the comment's cohort shares, as in the listing: never its day.
            when, author, week = hidden, "", cohort_week
            phase = cohort_phase if cohort_phase is not None else hidden
            affected = ""
            role_text = roles[role] if cohort_role else hidden
            sector_text = (sectors.get(sector_id, "") if sector_id
                           and cohort_sector is not None else hidden)
        else:
            local = created_at.astimezone(QUEBEC)
            when, week, phase = exports.local_text(local), rollups.monday(local.date()), own_phase
            role_text = roles[role]
            # An observation's role is the group it says was affected: named as such too.
            affected = role_text
            sector_text = sectors.get(sector_id, "") if sector_id else ""
            author = authors.get(author_id, "") if author_id else ""
        themes = (theme_names[theme_ids[0]] if len(theme_ids) == 1
                  else ", ".join(sorted(theme_names[t] for t in theme_ids)))
        return [ref, kinds[kind], when, week, phase, role_text, sector_text, author, affected,
                themes, sentiments[sentiment], round(polarity, 3), language, issue_id, text]

    return exports.feedback_table(_("Feedback"), header, stmt, row)


def summary_tables(figures: insights.SummaryFigures, locale: str) -> list[exports.Table]:
    """The summary's tables, hidden figures left empty with the reason beside them."""

    def pct(value: float | None):
        return round(value * 100, 1) if value is not None else None

    def reason(protection: insights.Protection) -> str:
        return hidden_reason(protection) if protection.suppressed else ""

    overall, weekly = figures.overall, figures.weekly
    themes = overall.themes
    names = {theme.id: theme.name(locale) for by in insights.BREAKDOWNS
             for theme in figures.breakdown(by).themes}
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
        str(KIND_LABELS["observation"]), _("Total"), _("Note")], volumes,
        _("Volumes by week")))

    tables.append(exports.Table(_("Responses by campaign"), [
        _("Campaign"), _("Opens on"), _("Closes on"), _("Responses"), _("Note")], [
        [row.campaign.title(locale), row.campaign.opens_on, row.campaign.closes_on,
         row.responses, reason(row.protection)] for row in figures.campaigns],
        _("Responses by campaign")))

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
        else [[_("All"), *([None] * 6), reason(group.protection)]], _("Themes")))

    sector_names = insights.sector_labels(
        [g.key for g in figures.by_sector.groups if g.key], locale)
    for by, title, sheet, label in (
        ("phase", _("Themes by phase (share of feedback, %)"), _("Themes by phase"),
         lambda k: str(PHASE_LABELS[k])),
        ("sector", _("Themes by sector (share of feedback, %)"), _("Themes by sector"),
         lambda k: sector_names.get(k, _("No sector"))),
        ("week", _("Themes by week (share of feedback, %)"), _("Themes by week"),
         lambda k: k.isoformat()),
        ("role_group", _("Physicians and other staff (share of comments, %)"),
         _("Physicians and others"),
         lambda k: _("Physicians") if k == "physician" else _("Other staff")),
    ):
        breakdown = figures.breakdown(by)
        header = [_("Theme"), *(label(g.key) for g in breakdown.groups)]
        rows = [[_("Feedback in the group"), *(g.total for g in breakdown.groups)]]
        rows += [[names[theme.id], *(None if g.suppressed else pct(g.theme(theme.id).share)
                                     for g in breakdown.groups)] for theme in breakdown.themes]
        rows.append([_("Note"), *(reason(g.protection) for g in breakdown.groups)])
        tables.append(exports.Table(title, header, rows, sheet))

    items = item_labels([figures.establishment.id], locale)
    score_rows, recommend_rows = [], []
    for label, scores in ((_("All"), figures.scores), *(
            ((_("Physicians") if s.key == "physician" else _("Other staff")), s)
            for s in figures.scores_by_role)):
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
        *(_("%(value)d (%%)", value=v) for v in range(1, 6)), _("Note")], score_rows,
        _("Survey items")))
    tables.append(exports.Table(_("Recommend score"), [
        _("Group"), _("Answers"), _("Promoters (9–10)"), _("Passives (7–8)"),
        _("Detractors (0–6)"), _("Score (−100 to 100)"), _("Note")], recommend_rows,
        _("Recommend score")))

    kpis = figures.kpis
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
    ], _("Issue indicators")))
    return tables


def driver_themes(locale: str) -> dict[str, str]:
    """The name of the theme each survey item measures (item codes are theme codes)."""
    return {theme.code: theme.name(locale) for theme in db.session.scalars(select(Theme))}


def drivers_chart(analysis, labels: dict[str, str]) -> charts.Chart | None:
    """Each driver's share of what the items explain, one bar per item named by its theme."""
    if not analysis.drivers:
        return None
    rows = [charts.BarRow(labels.get(d.item, d.item), [charts.Segment(
        d.share, f"driver-{d.kind or 'minor'}", percent_text(d.share))],
        percent_text(d.share)) for d in analysis.drivers]
    top = max(max(d.high or d.share for d in analysis.drivers), 0.01)
    return charts.bar_chart(rows, maximum=charts.nice_ceiling(top * 100) / 100, width=720,
                            label_width=240)


# The colours of the observed themes' stacked columns, in order of volume.
THEME_SERIES_CSS = ("series-1", "series-2", "series-3", "series-4", "series-5", "series-6",
                    "series-7")


def perception_charts(perception, locale: str, *, compact: bool = False) -> dict:
    """The perception view's charts: four panels over the same weeks, one time axis (lower
    when `compact`, for the printed update)."""
    lines, columns = (140, 150) if compact else (180, 200)
    weeks = perception.weeks
    labels = [week_label(w.week) for w in weeks]
    every = max(1, -(-len(weeks) // 9))  # at most nine labels: "11 mai" never meets "18 mai"
    hidden = _("hidden (anonymity)")

    def points(value: float | None) -> float | None:
        return None if value is None else value * 100

    perceived = charts.line_chart(labels, [
        charts.Series(_("Net sentiment of survey comments"), "line-sentiment",
                      [points(w.net_sentiment) for w in weeks]),
        charts.Series(_("Recommend score"), "line-recommend", [w.recommend for w in weeks]),
    ], minimum=-100, maximum=100, label_every=every, number=lambda v: f"{v:+.0f}",
        height=lines)
    themes = perception.themes[:len(THEME_SERIES_CSS)]
    observed = charts.column_chart(labels, [
        charts.Series(theme.name(locale), css, [w.observations.get(theme.id, 0) for w in weeks])
        for theme, css in zip(themes, THEME_SERIES_CSS, strict=False)
    ], label_every=every, hidden_label=hidden, number=format_number, height=columns)
    issues = charts.column_chart(labels, [
        charts.Series(_("Resolved by the end of the week"), "issues-resolved",
                      [w.issues.resolved for w in weeks]),
        charts.Series(_("Still open at the end of the week"), "issues-opened",
                      [w.issues.received - w.issues.resolved for w in weeks]),
    ], label_every=every, number=format_number, height=columns)
    adoption = None
    if perception.has_adoption:
        adoption = charts.line_chart(labels, [
            charts.Series(_("Users connected (share of all users)"), "line-adoption",
                          [points(w.adoption.connected_share) if w.adoption else None
                           for w in weeks]),
            charts.Series(_("Orders entered by physicians"), "line-resolved",
                          [points(w.adoption.physician_order_share)
                           if w.adoption and w.adoption.physician_order_share is not None
                           else None for w in weeks]),
        ], minimum=0, maximum=100, label_every=every, number=lambda v: f"{v:.0f} %",
            height=lines)
    return {"perceived": perceived, "observed": observed, "issues": issues,
            "adoption": adoption, "themes": list(zip(themes, THEME_SERIES_CSS, strict=False))}
