"""The EHR's adoption indicators, uploaded by an admin as a CSV (routes of the admin blueprint)."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import SubmitField

from feedback.access import role_required, scoped
from feedback.admin.blueprint import bp
from feedback.clock import local_today
from feedback.extensions import db
from feedback.insights import adoption
from feedback.models import Establishment, Role
from feedback.templating import percent_text


class AdoptionUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a file.")),
        FileAllowed(("csv", "txt"), _l("Choose a CSV file.")),
    ], render_kw={"accept": ".csv,.txt"})
    submit = SubmitField(_l("Import the indicators"))


def _establishments() -> list[Establishment]:
    return list(db.session.scalars(scoped(select(Establishment), Establishment.id)
                                   .order_by(Establishment.name)))


def _page(form: AdoptionUploadForm, errors: list[tuple[int, str]], status: int = 200):
    establishments = _establishments()
    names = {e.id: e for e in establishments}
    return render_template(
        "admin/adoption.html", form=form, errors=errors, names=names,
        weeks=adoption.recent_adoption(list(names)), columns=adoption.COLUMNS,
        section="admin.adoption_upload", percent=percent_text, number=format_number), status


@bp.route("/adoption", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def adoption_upload():
    form = AdoptionUploadForm()
    if not form.validate_on_submit():
        return _page(form, [], 400 if form.is_submitted() else 200)
    allowed = {e.code.upper(): e for e in _establishments()}
    filename = form.file.data.filename or "adoption.csv"
    result = adoption.read_adoption_csv(form.file.data.read(), allowed, local_today())
    if not result.ok:
        form.file.errors = [_("The file was not imported: correct the lines below and send it "
                              "again. Nothing was changed.")]
        return _page(form, result.errors, 400)
    adoption.store_adoption(result, actor=current_user, source=filename)
    db.session.commit()
    flash(_("Adoption indicators imported: %(created)d new weeks, %(replaced)d replaced, "
            "%(unchanged)d unchanged.", created=result.created, replaced=result.replaced,
            unchanged=result.unchanged), "success")
    return redirect(url_for(".adoption_upload"))


@bp.get("/adoption/template.csv")
@role_required(Role.ADMIN)
def adoption_template():
    return Response(adoption.TEMPLATE.encode("utf-8"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="adoption.csv"'})
