"""What managers download: the one-month update as a PDF, and the exports (CSV, XLSX).

A feedback export of more rows than EXPORT_DIRECT_ROWS is prepared by the job queue
(insights.export_jobs): its page says it is being prepared, refreshing itself, then offers the
file to the person who asked for it, and to no one else, until it expires.
"""

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import (
    format_number,
    get_locale,
)
from flask_login import current_user

from feedback import audit, insights
from feedback.access import can_see, role_required
from feedback.extensions import db
from feedback.insights import export_jobs, exports
from feedback.insights.blueprint import (
    EXPORT_FORMATS,
    FILTER_NAMES,
    LIST_FILTER_NAMES,
    bp,
    build_filter,
    filter_args,
    list_filters,
    prepare_filters,
    queue_export,
)
from feedback.insights.forms import (
    SummaryFilterForm,
)
from feedback.insights.presentation import (
    feedback_export_table,
    summary_tables,
)
from feedback.models import (
    ExportJob,
    Role,
)
from feedback.web import (
    requested_establishment,
)

FILE_TYPES = {**EXPORT_FORMATS, "pdf": "application/pdf"}


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
    stmt = insights.listing(f, theme.id if theme else None, sentiment)
    if export_jobs.is_large(stmt, current_app.config["EXPORT_DIRECT_ROWS"]):
        return render_template("dashboard/export_large.html", fmt=fmt, establishment=establishment,
                               args=filter_args(form, establishment, LIST_FILTER_NAMES),
                               limit=format_number(current_app.config["EXPORT_DIRECT_ROWS"]))
    rules = insights.listing_rules(f)
    _audit_feedback_export(establishment, form, f, fmt, rules)
    db.session.commit()
    table = feedback_export_table(f, rules, stmt, str(get_locale()))
    return _download([table], fmt, _feedback_filename(establishment, f))


@bp.post("/export/feedback.<fmt>")
@role_required(Role.MANAGER)
def prepare_export(fmt):
    """Ask the job queue for a feedback export, then follow it on its page."""
    if fmt not in EXPORT_FORMATS:
        abort(404)
    establishment, form, f = _export_context(LIST_FILTER_NAMES)
    theme, sentiment = list_filters(form)
    job = export_jobs.create_export(
        user=current_user, establishment=establishment, table="feedback", fmt=fmt,
        selection=export_jobs.selection_of(f, theme.id if theme else None, sentiment,
                                           str(get_locale())),
        filename=f"{_feedback_filename(establishment, f)}.{fmt}")
    db.session.flush()
    _audit_feedback_export(establishment, form, f, fmt, insights.listing_rules(f), job=job)
    return queue_export(job)


def _own_export(export_id: int) -> ExportJob:
    """An export of the current user's; anyone else's is 404, whatever their rights: its file
    was cut for the rights of the person who asked, as they stood then."""
    job = db.session.get(ExportJob, export_id)
    if job is None or job.user_id != current_user.id or not can_see(job.establishment_id):
        abort(404)
    return job


@bp.get("/exports/<int:export_id>")
@role_required(Role.MANAGER)
def export_job(export_id: int):
    job = _own_export(export_id)
    ready = export_jobs.export_file(current_app.instance_path, job) is not None
    return render_template("dashboard/export_job.html", job=job, ready=ready,
                           rows=format_number(job.rows))


@bp.get("/exports/<int:export_id>/file")
@role_required(Role.MANAGER)
def export_file(export_id: int):
    job = _own_export(export_id)
    path = export_jobs.export_file(current_app.instance_path, job)
    if path is None:
        return redirect(url_for(".export_job", export_id=job.id))
    response = send_file(path, mimetype=FILE_TYPES[job.format], as_attachment=True,
                         download_name=job.filename, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


def _feedback_filename(establishment, f: insights.SummaryFilter) -> str:
    return f"echo-{establishment.code}-feedback-{f.scope.first_week.isoformat()}"


def _audit_feedback_export(establishment, form: SummaryFilterForm, f: insights.SummaryFilter,
                           fmt: str, rules: insights.ListingRules,
                           job: ExportJob | None = None) -> None:
    audit.record("export.download", actor=current_user, establishment_id=establishment.id,
                 target=job, table="feedback", format=fmt, start=f.scope.first_week.isoformat(),
                 end=f.scope.last_day.isoformat(), anonymous=rules.anonymous_visible,
                 **_audited_filters(form, ("phase", "role", "sector", "kind", "theme",
                                           "sentiment")))


@bp.get("/export/summary.<fmt>")
@role_required(Role.MANAGER)
def export_summary(fmt):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    establishment, form, f = _export_context(FILTER_NAMES)
    figures = insights.SummaryFigures(f, establishment)
    audit.record("export.download", actor=current_user, establishment_id=establishment.id,
                 table="summary", format=fmt, start=f.scope.first_week.isoformat(),
                 end=f.scope.last_day.isoformat(),
                 **_audited_filters(form, ("phase", "role", "sector", "kind")))
    db.session.commit()
    locale = str(get_locale())
    tables = summary_tables(figures, locale)
    return _download(tables, fmt, f"echo-{establishment.code}-summary-"
                                  f"{f.scope.first_week.isoformat()}")
