"""The managers' pages' blueprint (/dashboard), the summary filter they share and how their
exports are handed to the job queue."""

from flask import (
    Blueprint,
    redirect,
    url_for,
)
from flask_babel import (
    get_locale,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from feedback import insights, tasks
from feedback.clock import utcnow
from feedback.extensions import db, task_queue
from feedback.insights import export_jobs
from feedback.insights.forms import (
    SummaryFilterForm,
)
from feedback.insights.presentation import (
    hidden_reason,
    withheld_note,
)
from feedback.labels import KIND_LABELS, PHASE_LABELS, ROLE_LABELS, SENTIMENT_LABELS, place_label
from feedback.models import (
    Establishment,
    ExportJob,
    FeedbackKind,
    Sector,
    SentimentLabel,
    Site,
    Theme,
    WriterRole,
)
from feedback.queue import QueueUnavailable
from feedback.templating import (
    duration_text,
    heat_class,
    locale_texts,
    points_text,
    share_text,
)
from feedback.web import (
    default_period,
    summary_selection,
    visible_establishments,
)

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


PER_PAGE = 25


RECENT_WEEKS = 4


FILTER_NAMES = ("establishment", "start", "end", "phase", "role", "sector", "kind")


LIST_FILTER_NAMES = (*FILTER_NAMES, "theme", "sentiment")


# Werkzeug adds "; charset=utf-8" to text types itself: naming it here too sent it twice.
EXPORT_FORMATS = {"csv": "text/csv",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.context_processor
def helpers() -> dict:
    # The language's formatters, looked up once for the page rather than once per figure.
    texts = locale_texts()
    return {"share": share_text, "duration": duration_text, "role_labels": ROLE_LABELS,
            "kind_labels": KIND_LABELS, "sentiment_labels": SENTIMENT_LABELS,
            "phase_labels": PHASE_LABELS, "hidden_reason": hidden_reason,
            "withheld_note": withheld_note,
            "percent": texts.percent, "points": points_text, "score": texts.score,
            "mean": texts.mean, "heat": heat_class, "week_label": texts.week,
            "number": texts.number}


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
        SelectChoice(str(ident), place_label(name_en if locale == "en" else name_fr, site))
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
                 establishment: Establishment) -> insights.SummaryFilter:
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


def list_filters(form: SummaryFilterForm) -> tuple[Theme | None, SentimentLabel | None]:
    theme_code, sentiment = form.value("theme"), form.value("sentiment")
    theme = db.session.scalar(select(Theme).where(Theme.code == theme_code)) if theme_code else None
    return theme, SentimentLabel(sentiment) if sentiment else None


def queue_export(job: ExportJob):
    """Commit an export's job and hand it to the queue, then show its page (which says so when
    the queue could not be reached)."""
    job_id = job.id  # read before the commit: the job is the task's from then on
    db.session.commit()
    try:
        task_queue.enqueue(tasks.run_export, job_id, 1)
    except QueueUnavailable:
        export_jobs.abandon_export(job, utcnow())
        db.session.commit()
    return redirect(url_for(".export_job", export_id=job_id))
