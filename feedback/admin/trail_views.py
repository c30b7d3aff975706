"""The audit trail and the confidentiality-incident register (routes of the admin blueprint)."""

from collections.abc import Iterator
from datetime import datetime

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select
from wtforms import SelectChoice

from feedback import admin, audit, privacy
from feedback.admin import trail
from feedback.admin.blueprint import (
    PER_PAGE,
    bp,
    confirmed,
    establishment_choice,
    network_admin_required,
)
from feedback.admin.forms import (
    AuditFilterForm,
)
from feedback.admin.trail import action_label
from feedback.clock import QUEBEC, local_today
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.insights import exports
from feedback.models import (
    AuditEntry,
    Establishment,
    Incident,
)
from feedback.paging import Key
from feedback.privacy.forms import IncidentForm
from feedback.web import keyset_page, page_number

AUDIT_KEYS = (Key(AuditEntry.at, descending=True, kind=datetime),
              Key(AuditEntry.id, descending=True, kind=int))

def _audit_filters() -> tuple[AuditFilterForm, Select]:
    """The filter form from the query string and the statement it selects (newest first)."""
    form = AuditFilterForm(request.args)
    actions = db.session.scalars(select(AuditEntry.action).distinct())
    form.action.choices = [SelectChoice("", _("All"))] + sorted(
        (SelectChoice(action, action_label(action)) for action in actions),
        key=lambda choice: choice.label.casefold(),
    )
    form.establishment.choices = [SelectChoice("", _("All")),
                                  SelectChoice("0", _("None (network)"))] + [
        SelectChoice(str(e.id), e.code)
        for e in db.session.scalars(select(Establishment).order_by(Establishment.code))
    ]
    if not form.validate():
        return form, admin.find_audit_entries()
    establishment = form.establishment.data
    return form, admin.find_audit_entries(
        action=form.action.data or None, actor=form.actor.data or None,
        establishment_id=int(establishment) if establishment else None,
        network_only=establishment == "0", since=form.since.data, until=form.until.data,
    )


@bp.route("/audit")
@network_admin_required
def audit_trail():
    form, stmt = _audit_filters()
    page = keyset_page(stmt, AUDIT_KEYS, lambda entry: (entry.at, entry.id), PER_PAGE)
    names = trail.names_for(page.items, get_locale().language)
    return render_template("admin/audit.html", form=form, page=page, trail=trail, names=names,
                           export_args={k: v for k, v in request.args.items() if k != "cursor"})


@bp.route("/audit.csv")
@network_admin_required
def audit_export():
    form, stmt = _audit_filters()
    if form.errors:
        abort(400)
    filters = {"filter_action": form.action.data, "filter_establishment": form.establishment.data,
               "since": form.since.data and form.since.data.isoformat(),
               "until": form.until.data and form.until.data.isoformat()}
    audit.record("audit.exported", actor=current_user,
                 **{key: value for key, value in filters.items() if value})
    db.session.commit()
    locale = get_locale().language
    header = [_("Time (Québec)"), _("Who"), _("Action code"), _("Action"), _("Establishment"),
              _("Target"), _("Details")]

    def rows() -> Iterator[list]:  # read while the response streams, not before
        # Names are read per batch of entries: one query per kind, never one per row.
        batch: list[AuditEntry] = []
        for entry in db.session.scalars(stmt.execution_options(yield_per=500)):
            batch.append(entry)
            if len(batch) == 500:
                yield from _csv_rows(batch, locale)
                batch = []
        yield from _csv_rows(batch, locale)

    lines = exports.csv_lines([exports.Table(_("Audit trail"), header, rows())])

    filename = f"echo-audit-{local_today().isoformat()}.csv"
    return Response(stream_with_context(lines), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


def _csv_rows(entries: list[AuditEntry], locale: str) -> Iterator[list]:
    names = trail.names_for(entries, locale)
    for entry in entries:
        yield [entry.at.astimezone(QUEBEC).strftime("%Y-%m-%d %H:%M:%S"),
               trail.actor_text(entry, names), entry.action, action_label(entry.action),
               trail.establishment_text(entry, names), trail.target_text(entry),
               trail.details_text(entry.details, names)]


def _incident_form(incident: Incident | None = None) -> IncidentForm:
    form = IncidentForm(obj=incident)
    form.establishment.choices = [SelectChoice(0, _("The whole network"))] + [
        establishment_choice(e)
        for e in db.session.scalars(select(Establishment).order_by(Establishment.name))
    ]
    if request.method == "GET" and incident is not None:
        form.establishment.data = incident.establishment_id or 0
    return form


def _incident_values(form: IncidentForm) -> dict:
    return {
        "establishment_id": form.establishment.data or None,
        "occurred_on": form.occurred_on.data, "discovered_on": form.discovered_on.data,
        "description": form.description.data, "information_kinds": form.information_kinds.data,
        "people_affected": form.people_affected.data, "risk_assessment": form.risk_assessment.data,
        "serious_risk": form.serious_risk.data, "cai_notified_on": form.cai_notified_on.data,
        "people_notified_on": form.people_notified_on.data, "measures": form.measures.data,
    }


@bp.route("/incidents")
@network_admin_required
def incidents():
    stmt = select(Incident).order_by(Incident.discovered_on.desc(), Incident.id.desc())
    page = db.paginate(stmt, page=page_number(), per_page=PER_PAGE,
                       error_out=False)
    return render_template("admin/incidents.html", page=page)


@bp.route("/incidents/new", methods=["GET", "POST"])
@network_admin_required
def incident_new():
    form = _incident_form()
    if request.method == "GET":
        form.discovered_on.data = local_today()
    if form.validate_on_submit():
        try:
            privacy.create_incident(current_user, local_today(), **_incident_values(form))
        except privacy.IncidentError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Incident recorded in the register."), "success")
            return redirect(url_for(".incidents"))
    return render_template("admin/incident_form.html", form=form, incident=None)


@bp.route("/incidents/<int:incident_id>/edit", methods=["GET", "POST"])
@network_admin_required
def incident_edit(incident_id):
    incident = db.get_or_404(Incident, incident_id)
    form = _incident_form(incident)
    if form.validate_on_submit():
        try:
            privacy.update_incident(current_user, incident, local_today(),
                                    **_incident_values(form))
        except privacy.IncidentError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Incident updated."), "success")
            return redirect(url_for(".incidents"))
    return render_template("admin/incident_form.html", form=form, incident=incident,
                           post_form=PostForm())


@bp.post("/incidents/<int:incident_id>/delete")
@network_admin_required
def incident_delete(incident_id):
    incident = db.get_or_404(Incident, incident_id)
    return confirmed(lambda: privacy.delete_incident(current_user, incident),
                      _("Incident deleted from the register."), back=url_for(".incidents"))
