"""What managers download: the one-month update as a PDF, and the exports (CSV, XLSX)."""

from flask import (
    Response,
    abort,
    request,
    stream_with_context,
)
from flask_babel import (
    get_locale,
)
from flask_login import current_user

from feedback import audit, insights
from feedback.access import role_required
from feedback.extensions import db
from feedback.insights import exports
from feedback.insights.blueprint import (
    EXPORT_FORMATS,
    FILTER_NAMES,
    LIST_FILTER_NAMES,
    bp,
    build_filter,
    list_filters,
    prepare_filters,
)
from feedback.insights.forms import (
    SummaryFilterForm,
)
from feedback.insights.presentation import (
    feedback_export_table,
    summary_tables,
)
from feedback.models import (
    Role,
)
from feedback.web import (
    requested_establishment,
)


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
    rules = insights.listing_rules(f)
    stmt = insights.listing(f, theme.id if theme else None, sentiment)
    audit.record("export.download", actor=current_user, establishment_id=establishment.id,
                 table="feedback", format=fmt, start=f.scope.first_week.isoformat(),
                 end=f.scope.last_day.isoformat(), anonymous=rules.anonymous_visible,
                 **_audited_filters(form, ("phase", "role", "sector", "kind", "theme",
                                           "sentiment")))
    db.session.commit()
    table = feedback_export_table(f, rules, stmt, str(get_locale()))
    return _download([table], fmt, f"echo-{establishment.code}-feedback-"
                                   f"{f.scope.first_week.isoformat()}")


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
