"""Importing feedback from CSV and XLSX files, for managers and administrators.

upload → mapping (remembered per source) → dry-run report → confirm → progress → result. The real
run is a task of the job queue (feedback.tasks.run_import), so the pages never wait for it: the
progress page polls a small JSON status, or refreshes itself without JavaScript.
"""

import csv
import io
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from feedback import tasks
from feedback.access import get_scoped_or_404, role_required, scoped
from feedback.clock import utcnow
from feedback.errors import forget_request_body
from feedback.extensions import db, task_queue
from feedback.imports import checking as import_checks
from feedback.imports import jobs as import_jobs
from feedback.imports import mapping as import_mapping
from feedback.imports import reading as import_reading
from feedback.imports import running as import_runs
from feedback.imports.forms import (
    EVERY_ROW,
    IMPORT_MODES,
    ImportMappingForm,
    ImportRunForm,
    ImportUploadForm,
)
from feedback.imports.mapping import FIELD_LABELS, FIELDS
from feedback.imports.reading import ImportFileError
from feedback.insights.exports import csv_safe
from feedback.models import Establishment, ImportJob, ImportJobStatus, ImportMapping, Role
from feedback.privacy import retention_days
from feedback.queue import QueueUnavailable

bp = Blueprint("imports", __name__, url_prefix="/imports")

RECENT_JOBS = 20
SHOWN_REJECTIONS = 50


QUEUE_DOWN = _l("The job queue cannot be reached, so the import has not started. Your file and "
                "your choices are kept: try again in a few minutes, or tell your administrator "
                "if it lasts.")

STATUS_LABELS = {
    ImportJobStatus.PENDING.value: _l("Waiting for your confirmation"),
    ImportJobStatus.RUNNING.value: _l("In progress"),
    ImportJobStatus.DONE.value: _l("Finished"),
    ImportJobStatus.FAILED.value: _l("Not imported"),
}


@bp.context_processor
def labels() -> dict:
    retention = retention_days(current_app.config)
    return {"field_labels": FIELD_LABELS,
            "reason_text": lambda reason: import_checks.reason_message(reason, retention),
            "import_modes": IMPORT_MODES, "status_labels": STATUS_LABELS,
            "number": format_number}


def _establishments() -> list[Establishment]:
    return list(db.session.scalars(
        scoped(select(Establishment), Establishment.id).order_by(Establishment.name)))


def _upload_form() -> ImportUploadForm:
    form = ImportUploadForm()
    if current_user.network_wide:
        form.establishment.choices = [SelectChoice(e.id, f"{e.name} ({e.code})")
                                      for e in _establishments()]
        form.establishment.choices.append(
            SelectChoice(EVERY_ROW, _("Each row names its establishment (a column of the file)")))
    else:
        del form.establishment  # theirs, always
    return form


def _render_index(form: ImportUploadForm, status: int = 200):
    jobs = db.session.scalars(
        scoped(select(ImportJob), ImportJob.establishment_id)
        .order_by(ImportJob.created_at.desc(), ImportJob.id.desc()).limit(RECENT_JOBS)
    ).all()
    names = {e.id: e for e in _establishments()}
    sources = db.session.scalars(
        scoped(select(ImportMapping.source), ImportMapping.establishment_id)
        .order_by(ImportMapping.updated_at.desc())).all()
    limit = current_app.config["IMPORT_MAX_BYTES"]
    return render_template(
        "imports/index.html", form=form, jobs=jobs, establishments=names,
        sources=list(dict.fromkeys(sources)), max_megabytes=format_number(limit // 2**20),
        max_rows=format_number(import_runs.MAX_ROWS), queue_down=not task_queue.reachable(),
    ), status


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def index():
    form = _upload_form()
    if form.validate_on_submit():
        upload = form.file.data
        establishment = _chosen_establishment(form)
        extension = ".xlsx" if upload.filename.lower().endswith(".xlsx") else ".csv"
        instance = current_app.instance_path
        stored_as = import_jobs.store_upload(instance, upload.save, extension)
        path = import_jobs.upload_folder(instance) / stored_as
        try:
            if path.stat().st_size > current_app.config["IMPORT_MAX_BYTES"]:
                raise ImportFileError(_too_large_message())
            table = import_reading.read_headers(path)
        except ImportFileError as error:
            path.unlink(missing_ok=True)
            form.file.errors.append(str(error))
        else:
            job = import_jobs.create_job(user=current_user._get_current_object(),
                                    establishment=establishment, filename=upload.filename,
                                    stored_as=stored_as, source=form.source.data, table=table)
            import_jobs.expire_abandoned_jobs(instance, utcnow())
            db.session.commit()
            return redirect(url_for(".mapping", job_id=job.id))
    elif request.method == "GET" and not form.source.data:
        form.source.data = db.session.scalar(
            scoped(select(ImportMapping.source), ImportMapping.establishment_id)
            .order_by(ImportMapping.updated_at.desc()).limit(1))
    return _render_index(form, 422 if form.errors else 200)


def _too_large_message() -> str:
    return _("The file is larger than %(max)s MB: split it into several files.",
             max=format_number(current_app.config["IMPORT_MAX_BYTES"] // 2**20))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """An upload over the hard cap: the form again, with the reason next to the file field."""
    forget_request_body()
    form = _upload_form()
    form.file.errors = [_too_large_message()]
    return _render_index(form, 413)


def _chosen_establishment(form: ImportUploadForm) -> Establishment | None:
    if not current_user.network_wide:
        return current_user.establishment
    if form.establishment.data == EVERY_ROW:
        return None
    return db.session.get(Establishment, form.establishment.data)


def _job(job_id: int) -> ImportJob:
    return get_scoped_or_404(ImportJob, job_id)


def _headers(job: ImportJob) -> list[str]:
    return list((job.report or {}).get("headers", []))


@bp.route("/<int:job_id>/mapping", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def mapping(job_id: int):
    job = _job(job_id)
    if job.status is not ImportJobStatus.PENDING:
        return redirect(url_for(".show", job_id=job.id))
    headers = _headers(job)
    form = ImportMappingForm()
    choices = [SelectChoice("", _("— not in the file —"))] + [SelectChoice(h, h) for h in headers]
    for name in FIELDS:
        form[name].choices = choices
    if form.validate_on_submit():
        if job.establishment_id is None and not form.establishment.data:
            form.establishment.errors.append(_("Choose the column that names the "
                                               "establishment: this import has none chosen."))
        else:
            import_jobs.set_job_mapping(job, form.mapping())
            try:
                import_jobs.check_job(job, current_app.instance_path,
                                      import_runs.ImportRules.from_config(current_app.config))
            except ImportFileError as error:
                db.session.rollback()
                flash(str(error), "error")
                return redirect(url_for(".index"))
            db.session.commit()
            return redirect(url_for(".check", job_id=job.id))
    elif request.method == "GET":
        source = (job.report or {}).get("source", "")
        current = (job.report or {}).get("mapping") or import_mapping.remembered_mapping(
            job.establishment_id, source)
        for name, column in import_mapping.suggest_mapping(headers, current).items():
            form[name].data = column
    return render_template("imports/mapping.html", job=job, form=form, headers=headers,
                           remembered=bool(import_mapping.remembered_mapping(
                               job.establishment_id, (job.report or {}).get("source", "")))
                           ), 422 if form.errors else 200


@bp.get("/<int:job_id>/check")
@role_required(Role.MANAGER)
def check(job_id: int):
    job = _job(job_id)
    report = (job.report or {}).get("check")
    if job.status is not ImportJobStatus.PENDING:
        return redirect(url_for(".show", job_id=job.id))
    if report is None:
        return redirect(url_for(".mapping", job_id=job.id))
    form = ImportRunForm(mode="valid_only" if report["rejected"] and report["valid"] else "all")
    return render_template("imports/check.html", job=job, report=report, form=form,
                           shown=report["rejections"][:SHOWN_REJECTIONS])


@bp.post("/<int:job_id>/run")
@role_required(Role.MANAGER)
def run(job_id: int):
    job = _job(job_id)
    if job.status is not ImportJobStatus.PENDING or not (job.report or {}).get("check"):
        return redirect(url_for(".show", job_id=job.id))
    form = ImportRunForm()
    if not form.validate_on_submit():
        flash(_("Choose how to import."), "error")
        return redirect(url_for(".check", job_id=job.id))
    started = import_jobs.start_job(job, valid_only=form.mode.data == "valid_only",
                                    total_rows=job.report["check"]["total"], now=utcnow())
    db.session.commit()
    if started:
        try:
            task_queue.enqueue(tasks.run_import, job.id, 1)
        except QueueUnavailable:
            import_jobs.unstart_job(job)
            db.session.commit()
            flash(QUEUE_DOWN, "error")
            return redirect(url_for(".check", job_id=job.id))
    return redirect(url_for(".show", job_id=job.id))


@bp.post("/<int:job_id>/cancel")
@role_required(Role.MANAGER)
def cancel(job_id: int):
    job = _job(job_id)
    if job.status is ImportJobStatus.PENDING:
        import_jobs.cancel_job(job, current_app.instance_path, utcnow())
        db.session.commit()
        flash(_("Import cancelled: the file is deleted and nothing was imported."), "info")
    return redirect(url_for(".index"))


@bp.get("/<int:job_id>")
@role_required(Role.MANAGER)
def show(job_id: int):
    job = _job(job_id)
    if job.status is ImportJobStatus.PENDING:
        return redirect(url_for(".check" if (job.report or {}).get("check") else ".mapping",
                                job_id=job.id))
    report = job.report or {}
    return render_template("imports/show.html", job=job, report=report,
                           shown=report.get("rejections", [])[:SHOWN_REJECTIONS],
                           establishment=db.session.get(Establishment, job.establishment_id)
                           if job.establishment_id else None)


@bp.get("/<int:job_id>/status")
@role_required(Role.MANAGER)
def status(job_id: int):
    """What the progress page polls."""
    job = _job(job_id)
    response = {
        "status": job.status.value, "stage": (job.report or {}).get("stage"),
        "total": job.total_rows, "processed": job.processed_rows, "imported": job.imported,
        "duplicates": job.duplicates, "rejected": job.rejected,
        "finished": job.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED),
    }
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/<int:job_id>/rejected.csv")
@role_required(Role.MANAGER)
def rejected(job_id: int):
    """The rejected rows, with their line and reasons, as a CSV Excel opens (UTF-8 BOM, ;)."""
    job = _job(job_id)
    report = job.report or {}
    if job.status is ImportJobStatus.PENDING:
        report = report.get("check") or {}
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Line"), _("Reasons"), *(str(FIELD_LABELS[name]) for name in FIELDS)])
    for row in import_checks.rejected_rows(report, retention_days(current_app.config)):
        writer.writerow([csv_safe(cell) for cell in row])
    stem = Path(job.filename).stem or "import"
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_ascii(stem)}-rejected.csv"',
        "Cache-Control": "no-store",
    })


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_"
                   for ch in name)[:80] or "import"
