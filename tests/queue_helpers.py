"""Import jobs started as the pages start them, for the queue's tests."""

import csv
import shutil
from pathlib import Path

from sqlalchemy import func, select

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.imports import jobs as import_jobs
from feedback.imports import reading as import_reading
from feedback.imports.running import ImportRules
from feedback.models import Establishment, ImportJob, User


def write_rows(path: Path, count: int, *, start: int = 0) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Texte", "Secteur"])
        for n in range(start, start + count):
            writer.writerow([f"Commentaire {n} : le module de commande fige à l'urgence.",
                             "urgence"])
    return path


def started_job(app, establishment, user, path: Path) -> int:
    """A job uploaded, mapped, checked and confirmed, as the pages leave it; committed.

    Its first attempt is not queued: the test does it.
    """
    with app.app_context():
        instance = app.instance_path
        stored = import_jobs.store_upload(instance, lambda to: shutil.copy(path, to), ".csv")
        table = import_reading.read_headers(import_jobs.upload_folder(instance) / stored)
        job = import_jobs.create_job(
            user=db.session.get(User, user.id),
            establishment=db.session.get(Establishment, establishment.id),
            filename=path.name, stored_as=stored, source="Tests", table=table)
        db.session.flush()
        import_jobs.set_job_mapping(job, {"text": "Texte", "sector": "Secteur"})
        report = import_jobs.check_job(job, instance, ImportRules.from_config(app.config))
        import_jobs.start_job(job, valid_only=False, total_rows=report.total, now=utcnow())
        db.session.commit()
        return job.id


def load_job(app, job_id: int) -> ImportJob:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        db.session.expunge(job)
    return job


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))
