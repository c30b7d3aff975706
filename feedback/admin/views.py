"""Administration: establishments, sites, sectors, people, themes, settings, audit trail, incidents.

Network admins (role admin, no establishment) reach everything. An establishment's admins manage
its sites, sectors and people only; every other page is 403 for them, and any object of another
establishment is 404. Managers and super-users reach nothing here.
"""


from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from feedback import admin, insights, privacy, runs, tasks
from feedback.access import get_scoped_or_404, role_required
from feedback.admin import AdminError
from feedback.admin.blueprint import (
    bp,
    confirmed,
    establishment_or_404,
    form_error,
    locale_name,
    network_admin_required,
    sector_or_404,
)
from feedback.admin.forms import (
    EstablishmentForm,
    SectorForm,
    SiteForm,
    ThemeForm,
)
from feedback.admin.settings import effective_settings
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.labels import RETENTION_LABELS, SITE_KIND_LABELS
from feedback.models import (
    Establishment,
    Role,
    Sector,
    Site,
    SiteKind,
    Theme,
)

# -- Home ------------------------------------------------------------------------------------


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    if not current_user.network_wide:
        return redirect(url_for(".establishment", establishment_id=current_user.establishment_id))
    return render_template("admin/index.html")


# -- Establishments --------------------------------------------------------------------------


@bp.route("/establishments")
@network_admin_required
def establishments():
    rows = db.session.scalars(select(Establishment).order_by(Establishment.active.desc(),
                                                             Establishment.name))
    return render_template("admin/establishments.html", establishments=list(rows),
                           today=local_today())


@bp.route("/establishments/new", methods=["GET", "POST"])
@network_admin_required
def establishment_new():
    form = EstablishmentForm()
    if form.validate_on_submit():
        try:
            establishment = admin.create_establishment(
                current_user, name=form.name.data, code=form.code.data, go_live=form.go_live.data,
                phase2_day=form.phase2_day.data, phase3_day=form.phase3_day.data,
                anonymity_threshold=form.anonymity_threshold.data,
            )
        except AdminError as error:
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Establishment %(code)s created. Add its sites and sectors.",
                    code=establishment.code), "success")
            return redirect(url_for(".establishment", establishment_id=establishment.id))
    return render_template("admin/establishment_form.html", form=form, establishment=None,
                           bounds=admin.ANONYMITY_BOUNDS)


@bp.route("/establishments/<int:establishment_id>")
@role_required(Role.ADMIN)
def establishment(establishment_id):
    establishment = establishment_or_404(establishment_id)
    return render_template(
        "admin/establishment.html", establishment=establishment, today=local_today(),
        sector_feedback=insights.sector_feedback_counts(establishment.id),
        kind_labels=SITE_KIND_LABELS,
        default_threshold=current_app.config["ANONYMITY_THRESHOLD"], post_form=PostForm(),
    )


@bp.route("/establishments/<int:establishment_id>/edit", methods=["GET", "POST"])
@network_admin_required
def establishment_edit(establishment_id):
    establishment = establishment_or_404(establishment_id)
    form = EstablishmentForm(obj=establishment)
    if form.validate_on_submit():
        try:
            changed = admin.update_establishment(
                current_user, establishment, name=form.name.data, code=form.code.data,
                go_live=form.go_live.data, phase2_day=form.phase2_day.data,
                phase3_day=form.phase3_day.data,
                anonymity_threshold=form.anonymity_threshold.data,
            )
        except AdminError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("Establishment saved."), "success")
            return redirect(url_for(".establishment", establishment_id=establishment.id))
    return render_template("admin/establishment_form.html", form=form, establishment=establishment,
                           bounds=admin.ANONYMITY_BOUNDS)


@bp.post("/establishments/<int:establishment_id>/<any(deactivate, reactivate):verb>")
@network_admin_required
def establishment_activation(establishment_id, verb):
    establishment = establishment_or_404(establishment_id)
    active = verb == "reactivate"
    return confirmed(
        lambda: admin.set_establishment_active(current_user, establishment, active),
        _("Establishment reactivated.") if active
        else _("Establishment deactivated: it no longer appears in forms; its history is kept."),
        back=url_for(".establishment", establishment_id=establishment.id))


# -- Sites and sectors -----------------------------------------------------------------------


@bp.route("/establishments/<int:establishment_id>/sites/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def site_new(establishment_id):
    establishment = establishment_or_404(establishment_id)
    form = SiteForm()
    if form.validate_on_submit():
        site = admin.create_site(current_user, establishment, name=form.name.data,
                                          kind=SiteKind(form.kind.data))
        db.session.commit()
        flash(_("Site %(name)s created.", name=site.name), "success")
        return redirect(url_for(".establishment", establishment_id=establishment.id))
    return render_template("admin/site_form.html", form=form, establishment=establishment,
                           site=None)


@bp.route("/sites/<int:site_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def site_edit(site_id):
    site = get_scoped_or_404(Site, site_id)
    form = SiteForm(obj=site)
    if request.method == "GET":
        form.kind.data = site.kind.value
    if form.validate_on_submit():
        admin.update_site(current_user, site, name=form.name.data,
                                   kind=SiteKind(form.kind.data))
        db.session.commit()
        flash(_("Site saved."), "success")
        return redirect(url_for(".establishment", establishment_id=site.establishment_id))
    return render_template("admin/site_form.html", form=form, establishment=site.establishment,
                           site=site, deletable=not admin.site_in_use(site),
                           post_form=PostForm())


@bp.post("/sites/<int:site_id>/<any(deactivate, reactivate):verb>")
@role_required(Role.ADMIN)
def site_activation(site_id, verb):
    site = get_scoped_or_404(Site, site_id)
    active = verb == "reactivate"
    return confirmed(
        lambda: admin.set_site_active(current_user, site, active),
        _("Site reactivated.") if active
        else _("Site deactivated: it and its sectors no longer appear in forms; their history "
               "is kept."),
        back=url_for(".establishment", establishment_id=site.establishment_id))


@bp.post("/sites/<int:site_id>/delete")
@role_required(Role.ADMIN)
def site_delete(site_id):
    site = get_scoped_or_404(Site, site_id)
    return confirmed(lambda: admin.delete_site(current_user, site), _("Site deleted."),
                      back=url_for(".establishment", establishment_id=site.establishment_id),
                      on_error=url_for(".site_edit", site_id=site.id))


def _known_sector_codes() -> list[str]:
    """Codes already used anywhere, offered so the same sector gets the same code everywhere."""
    return list(db.session.scalars(select(Sector.code).distinct().order_by(Sector.code)))


@bp.route("/sites/<int:site_id>/sectors/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def sector_new(site_id):
    site = get_scoped_or_404(Site, site_id)
    form = SectorForm()
    if form.validate_on_submit():
        try:
            sector = admin.create_sector(current_user, site, code=form.code.data,
                                                  name_fr=form.name_fr.data,
                                                  name_en=form.name_en.data)
        except AdminError as error:
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Sector %(name)s created.", name=sector.name(locale_name())), "success")
            return redirect(url_for(".establishment", establishment_id=site.establishment_id))
    return render_template("admin/sector_form.html", form=form, site=site, sector=None,
                           known_codes=_known_sector_codes())


@bp.route("/sectors/<int:sector_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def sector_edit(sector_id):
    sector = sector_or_404(sector_id)
    form = SectorForm(obj=sector)
    if form.validate_on_submit():
        try:
            admin.update_sector(current_user, sector, code=form.code.data,
                                         name_fr=form.name_fr.data, name_en=form.name_en.data)
        except AdminError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Sector saved."), "success")
            return redirect(url_for(".establishment",
                                    establishment_id=sector.site.establishment_id))
    return render_template("admin/sector_form.html", form=form, site=sector.site, sector=sector,
                           known_codes=_known_sector_codes(),
                           deletable=not admin.sector_in_use(sector),
                           post_form=PostForm())


@bp.post("/sectors/<int:sector_id>/<any(deactivate, reactivate):verb>")
@role_required(Role.ADMIN)
def sector_activation(sector_id, verb):
    sector = sector_or_404(sector_id)
    active = verb == "reactivate"
    return confirmed(
        lambda: admin.set_sector_active(current_user, sector, active),
        _("Sector reactivated.") if active
        else _("Sector deactivated: it no longer appears in forms; its history is kept."),
        back=url_for(".establishment", establishment_id=sector.site.establishment_id))


@bp.post("/sectors/<int:sector_id>/delete")
@role_required(Role.ADMIN)
def sector_delete(sector_id):
    sector = sector_or_404(sector_id)
    return confirmed(
        lambda: admin.delete_sector(current_user, sector), _("Sector deleted."),
        back=url_for(".establishment", establishment_id=sector.site.establishment_id),
        on_error=url_for(".sector_edit", sector_id=sector.id))


# -- People ----------------------------------------------------------------------------------


# -- Themes ----------------------------------------------------------------------------------


@bp.route("/themes")
@network_admin_required
def themes():
    rows = db.session.scalars(select(Theme).order_by(Theme.active.desc(), Theme.code))
    recent = runs.recent_runs(RUN_KINDS)
    running = any(run.status is runs.RUNNING for run in recent)
    return render_template("admin/themes.html", themes=list(rows), post_form=PostForm(),
                           runs=recent, running=running)


RUN_KINDS = ("retag", "retrain")


def _queue_run(kind: str) -> None:
    """Hand a re-analysis or retraining to the job queue, and say plainly if it is out of
    reach (what the admin saved stays saved)."""
    _run, queued = tasks.queue_run(kind, current_user)
    if queued:
        flash(_("Stored feedback is being re-analysed by the job queue: follow it on this "
                "page.") if kind == "retag" else
              _("The theme model is being retrained by the job queue, then stored feedback "
                "will be re-analysed: follow it on this page."), "info")
    else:
        flash(_("The job queue cannot be reached, so stored feedback was not re-analysed. "
                "What you saved is kept: start the re-analysis from the Themes page once the "
                "queue is back."), "error")


@bp.post("/themes/<any(retag, retrain):verb>")
@network_admin_required
def theme_run(verb):
    if PostForm().validate_on_submit():
        _queue_run(verb)
    return redirect(url_for(".themes"))


@bp.route("/themes/new", methods=["GET", "POST"])
@network_admin_required
def theme_new():
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = admin.create_theme(
                current_user, code=form.code.data, name_fr=form.name_fr.data,
                name_en=form.name_en.data, description_fr=form.description_fr.data,
                description_en=form.description_en.data, keywords=form.keywords.data or "",
            )
        except AdminError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Theme %(name)s created: new feedback is analysed with it from now on.",
                    name=theme.name(locale_name())), "success")
            _queue_run("retag")
            return redirect(url_for(".themes"))
    return render_template("admin/theme_form.html", form=form, theme=None)


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@network_admin_required
def theme_edit(theme_id):
    theme = db.get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    form.code.data = theme.code  # the code is the theme's identity in data and models
    if form.validate_on_submit():
        try:
            changed = admin.update_theme(
                current_user, theme, name_fr=form.name_fr.data, name_en=form.name_en.data,
                description_fr=form.description_fr.data, description_en=form.description_en.data,
                keywords=form.keywords.data or "",
            )
        except AdminError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("Theme saved: new feedback is analysed with it from now on."), "success")
                _queue_run("retag")
            return redirect(url_for(".themes"))
    return render_template("admin/theme_form.html", form=form, theme=theme)


@bp.post("/themes/<int:theme_id>/<any(deactivate, reactivate):verb>")
@network_admin_required
def theme_activation(theme_id, verb):
    theme = db.get_or_404(Theme, theme_id)
    active = verb == "reactivate"
    response = confirmed(
        lambda: admin.set_theme_active(current_user, theme, active),
        _("Theme reactivated.") if active
        else _("Theme deactivated: new feedback no longer gets it; past tags stay."),
        back=url_for(".themes"))
    if active and theme.active:  # stored feedback may carry it again
        _queue_run("retag")
    return response


# -- Settings --------------------------------------------------------------------------------


@bp.route("/settings")
@network_admin_required
def settings():
    periods = privacy.retention_days(current_app.config)
    preview = privacy.purge(utcnow(), periods=periods, dry_run=True)
    overrides = db.session.scalars(
        select(Establishment).where(Establishment.anonymity_threshold.is_not(None))
        .order_by(Establishment.code)
    )
    return render_template("admin/settings.html",
                           settings=effective_settings(current_app),
                           periods=periods, preview=preview, overrides=list(overrides),
                           retention_labels=RETENTION_LABELS)


# -- Audit trail -----------------------------------------------------------------------------


# -- Confidentiality-incident register -------------------------------------------------------


