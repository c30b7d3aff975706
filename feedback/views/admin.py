"""Administration: establishments, sites, sectors, people, themes, settings, audit trail, incidents.

Network admins (role admin, no establishment) reach everything. An establishment's admins manage
its sites, sectors and people only; every other page is 403 for them, and any object of another
establishment is 404. Managers and super-users reach nothing here.
"""

import csv
import functools
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, select
from wtforms import SelectChoice

from feedback import administration, audit, insights, privacy
from feedback.access import can_see, get_scoped_or_404, role_required
from feedback.accounts.views import deliver_reset_link
from feedback.administration import AdminError
from feedback.clock import QUEBEC, local_today, utcnow
from feedback.extensions import db
from feedback.forms import (
    AuditFilterForm,
    EstablishmentForm,
    PostForm,
    SectorForm,
    SiteForm,
    ThemeForm,
    UserFilterForm,
    UserForm,
)
from feedback.insights.exports import csv_safe
from feedback.labels import ACCOUNT_ROLE_LABELS, SITE_KIND_LABELS
from feedback.models import (
    AuditEntry,
    Establishment,
    Incident,
    Role,
    Sector,
    Site,
    SiteKind,
    Theme,
    User,
)
from feedback.privacy.forms import IncidentForm
from feedback.privacy.views import RETENTION_LABELS
from feedback.web import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50

# Readable names of the audit trail's actions; an action missing here shows its code.
ACTION_LABELS = {
    "login.success": _l("Signed in"),
    "login.failure": _l("Failed sign-in"),
    "user.created": _l("Account created"),
    "user.updated": _l("Account details changed"),
    "user.role_changed": _l("Role changed"),
    "user.establishment_changed": _l("Establishment of an account changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.reset_issued": _l("Password link issued"),
    "user.reset_mail_failed": _l("Password link could not be e-mailed"),
    "user.reset_used": _l("Password set through a link"),
    "user.password_changed": _l("Own password changed"),
    "establishment.created": _l("Establishment created"),
    "establishment.updated": _l("Establishment changed"),
    "establishment.deactivated": _l("Establishment deactivated"),
    "establishment.reactivated": _l("Establishment reactivated"),
    "site.created": _l("Site created"),
    "site.updated": _l("Site changed"),
    "site.deactivated": _l("Site deactivated"),
    "site.reactivated": _l("Site reactivated"),
    "site.deleted": _l("Site deleted"),
    "sector.created": _l("Sector created"),
    "sector.updated": _l("Sector changed"),
    "sector.deactivated": _l("Sector deactivated"),
    "sector.reactivated": _l("Sector reactivated"),
    "sector.deleted": _l("Sector deleted"),
    "theme.created": _l("Theme created"),
    "theme.updated": _l("Theme changed"),
    "theme.deactivated": _l("Theme deactivated"),
    "theme.reactivated": _l("Theme reactivated"),
    "incident.created": _l("Incident recorded"),
    "incident.updated": _l("Incident updated"),
    "incident.deleted": _l("Incident deleted"),
    "followup.handled": _l("Follow-up contact handled"),
    "followup.reopened": _l("Follow-up contact reopened"),
    "followup.deleted": _l("Follow-up contact deleted"),
    "issue.create": _l("Issue created"),
    "issue.update": _l("Issue changed"),
    "issue.status": _l("Issue status changed"),
    "issue.attach": _l("Feedback added to an issue"),
    "issue.detach": _l("Feedback taken out of an issue"),
    "audit.exported": _l("Audit trail exported"),
    "retention.purge": _l("Retention purge run"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def network_admin_required(view: Callable) -> Callable:
    """Network settings: network-wide admins only; an establishment's admins get 403."""

    @functools.wraps(view)
    @role_required(Role.ADMIN)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.network_wide:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _locale() -> str:
    return str(get_locale())


def _confirmed(action: Callable[[], object], done: str, *, back: str,
               on_error: str | None = None):
    """Run a confirmed (CSRF-checked) button's action, flash its outcome and go back.

    An AdminError is flashed, and leads to on_error (the page that explains it) when given.
    """
    if PostForm().validate_on_submit():
        try:
            action()
        except AdminError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(on_error or back)
        db.session.commit()
        flash(done, "success")
    return redirect(back)


def _form_error(form, error: AdminError) -> None:
    """Show a domain refusal next to its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def _establishment_or_404(establishment_id: int) -> Establishment:
    establishment = db.session.get(Establishment, establishment_id)
    if establishment is None or not can_see(establishment.id):
        abort(404)
    return establishment


def _sector_or_404(sector_id: int) -> Sector:
    sector = db.session.get(Sector, sector_id)
    if sector is None or not can_see(sector.site.establishment_id):
        abort(404)
    return sector


def _establishment_choice(establishment: Establishment) -> SelectChoice:
    return SelectChoice(establishment.id, f"{establishment.name} ({establishment.code})")


def _establishment_choices(*, network_label: str | None) -> list[SelectChoice]:
    """Active establishments the current admin may pick, with 0 for "none" when allowed."""
    if current_user.network_wide:
        choices = [_establishment_choice(e) for e in administration.active_establishments()]
        return ([SelectChoice(0, network_label)] if network_label else []) + choices
    return [_establishment_choice(current_user.establishment)]


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
            establishment = administration.create_establishment(
                current_user, name=form.name.data, code=form.code.data, go_live=form.go_live.data,
                phase2_day=form.phase2_day.data, phase3_day=form.phase3_day.data,
                anonymity_threshold=form.anonymity_threshold.data,
            )
        except AdminError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("Establishment %(code)s created. Add its sites and sectors.",
                    code=establishment.code), "success")
            return redirect(url_for(".establishment", establishment_id=establishment.id))
    return render_template("admin/establishment_form.html", form=form, establishment=None,
                           bounds=administration.ANONYMITY_BOUNDS)


@bp.route("/establishments/<int:establishment_id>")
@role_required(Role.ADMIN)
def establishment(establishment_id):
    establishment = _establishment_or_404(establishment_id)
    return render_template(
        "admin/establishment.html", establishment=establishment, today=local_today(),
        sector_feedback=insights.sector_feedback_counts(establishment.id),
        kind_labels=SITE_KIND_LABELS,
        default_threshold=current_app.config["ANONYMITY_THRESHOLD"], post_form=PostForm(),
    )


@bp.route("/establishments/<int:establishment_id>/edit", methods=["GET", "POST"])
@network_admin_required
def establishment_edit(establishment_id):
    establishment = _establishment_or_404(establishment_id)
    form = EstablishmentForm(obj=establishment)
    if form.validate_on_submit():
        try:
            changed = administration.update_establishment(
                current_user, establishment, name=form.name.data, code=form.code.data,
                go_live=form.go_live.data, phase2_day=form.phase2_day.data,
                phase3_day=form.phase3_day.data,
                anonymity_threshold=form.anonymity_threshold.data,
            )
        except AdminError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("Establishment saved."), "success")
            return redirect(url_for(".establishment", establishment_id=establishment.id))
    return render_template("admin/establishment_form.html", form=form, establishment=establishment,
                           bounds=administration.ANONYMITY_BOUNDS)


@bp.post("/establishments/<int:establishment_id>/<any(deactivate, reactivate):verb>")
@network_admin_required
def establishment_activation(establishment_id, verb):
    establishment = _establishment_or_404(establishment_id)
    active = verb == "reactivate"
    return _confirmed(
        lambda: administration.set_establishment_active(current_user, establishment, active),
        _("Establishment reactivated.") if active
        else _("Establishment deactivated: it no longer appears in forms; its history is kept."),
        back=url_for(".establishment", establishment_id=establishment.id))


# -- Sites and sectors -----------------------------------------------------------------------


@bp.route("/establishments/<int:establishment_id>/sites/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def site_new(establishment_id):
    establishment = _establishment_or_404(establishment_id)
    form = SiteForm()
    if form.validate_on_submit():
        site = administration.create_site(current_user, establishment, name=form.name.data,
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
        administration.update_site(current_user, site, name=form.name.data,
                                   kind=SiteKind(form.kind.data))
        db.session.commit()
        flash(_("Site saved."), "success")
        return redirect(url_for(".establishment", establishment_id=site.establishment_id))
    return render_template("admin/site_form.html", form=form, establishment=site.establishment,
                           site=site, deletable=not administration.site_in_use(site),
                           post_form=PostForm())


@bp.post("/sites/<int:site_id>/<any(deactivate, reactivate):verb>")
@role_required(Role.ADMIN)
def site_activation(site_id, verb):
    site = get_scoped_or_404(Site, site_id)
    active = verb == "reactivate"
    return _confirmed(
        lambda: administration.set_site_active(current_user, site, active),
        _("Site reactivated.") if active
        else _("Site deactivated: it and its sectors no longer appear in forms; their history "
               "is kept."),
        back=url_for(".establishment", establishment_id=site.establishment_id))


@bp.post("/sites/<int:site_id>/delete")
@role_required(Role.ADMIN)
def site_delete(site_id):
    site = get_scoped_or_404(Site, site_id)
    return _confirmed(lambda: administration.delete_site(current_user, site), _("Site deleted."),
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
            sector = administration.create_sector(current_user, site, code=form.code.data,
                                                  name_fr=form.name_fr.data,
                                                  name_en=form.name_en.data)
        except AdminError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("Sector %(name)s created.", name=sector.name(_locale())), "success")
            return redirect(url_for(".establishment", establishment_id=site.establishment_id))
    return render_template("admin/sector_form.html", form=form, site=site, sector=None,
                           known_codes=_known_sector_codes())


@bp.route("/sectors/<int:sector_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def sector_edit(sector_id):
    sector = _sector_or_404(sector_id)
    form = SectorForm(obj=sector)
    if form.validate_on_submit():
        try:
            administration.update_sector(current_user, sector, code=form.code.data,
                                         name_fr=form.name_fr.data, name_en=form.name_en.data)
        except AdminError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("Sector saved."), "success")
            return redirect(url_for(".establishment",
                                    establishment_id=sector.site.establishment_id))
    return render_template("admin/sector_form.html", form=form, site=sector.site, sector=sector,
                           known_codes=_known_sector_codes(),
                           deletable=not administration.sector_in_use(sector),
                           post_form=PostForm())


@bp.post("/sectors/<int:sector_id>/<any(deactivate, reactivate):verb>")
@role_required(Role.ADMIN)
def sector_activation(sector_id, verb):
    sector = _sector_or_404(sector_id)
    active = verb == "reactivate"
    return _confirmed(
        lambda: administration.set_sector_active(current_user, sector, active),
        _("Sector reactivated.") if active
        else _("Sector deactivated: it no longer appears in forms; its history is kept."),
        back=url_for(".establishment", establishment_id=sector.site.establishment_id))


@bp.post("/sectors/<int:sector_id>/delete")
@role_required(Role.ADMIN)
def sector_delete(sector_id):
    sector = _sector_or_404(sector_id)
    return _confirmed(
        lambda: administration.delete_sector(current_user, sector), _("Sector deleted."),
        back=url_for(".establishment", establishment_id=sector.site.establishment_id),
        on_error=url_for(".sector_edit", sector_id=sector.id))


# -- People ----------------------------------------------------------------------------------


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, str(ACCOUNT_ROLE_LABELS[role.value]))
            for role in administration.assignable_roles(current_user)]


def _prepare_user_form(form: UserForm, person: User | None = None) -> None:
    """Offer the roles and establishments the admin may give; one's own stay as they are."""
    if person is not None and person.id == current_user.id:
        del form.role, form.establishment
        return
    form.role.choices = _role_choices()
    form.establishment.choices = _establishment_choices(
        network_label=str(_l("Network-wide (every establishment)"))
    )
    current = person.establishment if person is not None else None
    if current is not None and not current.active:  # keep a deactivated one selectable
        form.establishment.choices.append(_establishment_choice(current))


def _chosen(form: UserForm, person: User | None) -> tuple[Role, Establishment | None]:
    """The role and establishment the form asks for (one's own cannot be changed here)."""
    if "role" not in form:
        return person.role, person.establishment
    establishment = (db.session.get(Establishment, form.establishment.data)
                     if form.establishment.data else None)
    return Role(form.role.data), establishment


@bp.route("/people")
@role_required(Role.ADMIN)
def people():
    form = UserFilterForm(request.args)
    form.role.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(r.value, str(ACCOUNT_ROLE_LABELS[r.value])) for r in Role
    ]
    if current_user.network_wide:
        form.establishment.choices = [SelectChoice("", _("All")),
                                      SelectChoice("0", _("Network-wide"))] + [
            SelectChoice(str(e.id), e.code) for e in db.session.scalars(
                select(Establishment).order_by(Establishment.code))
        ]
    else:
        del form.establishment
    filters: dict = {}
    if form.validate():
        filters = {
            "search": form.q.data or "",
            "role": Role(form.role.data) if form.role.data else None,
            "active": {"active": True, "inactive": False}.get(form.status.data or ""),
        }
        if current_user.network_wide and form.establishment.data:
            filters["establishment_id"] = int(form.establishment.data)
    page = db.paginate(administration.find_users(current_user, **filters), page=page_number(),
                       per_page=PER_PAGE, error_out=False)
    return render_template("admin/people.html", form=form, page=page,
                           role_labels=ACCOUNT_ROLE_LABELS)


@bp.route("/people/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def person_new():
    form = UserForm()
    _prepare_user_form(form)
    if request.method == "GET" and not current_user.network_wide:
        form.establishment.data = current_user.establishment_id
    if form.validate_on_submit():
        role, establishment = _chosen(form, None)
        try:
            user = administration.invite_user(
                current_user, email=form.email.data, name=form.name.data, role=role,
                establishment=establishment, locale=form.locale.data,
            )
        except PermissionError:
            abort(403)
        except AdminError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            return deliver_reset_link(user, invitation=True,
                                      back=url_for(".person_edit", user_id=user.id))
    return render_template("admin/person_form.html", form=form, person=None)


def _person_or_404(user_id: int) -> User:
    """A person the current admin may manage; anyone else is 404, as if not there."""
    user = get_scoped_or_404(User, user_id)
    try:
        administration.check_may_manage_user(current_user, user)
    except PermissionError:
        abort(404)
    return user


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def person_edit(user_id):
    user = _person_or_404(user_id)
    form = UserForm(obj=user)
    _prepare_user_form(form, user)
    if request.method == "GET" and "role" in form:
        form.role.data = user.role.value
        form.establishment.data = user.establishment_id or 0
    if form.validate_on_submit():
        role, establishment = _chosen(form, user)
        try:
            changed = administration.update_user(
                current_user, user, name=form.name.data, email=form.email.data, role=role,
                establishment=establishment, locale=form.locale.data,
            )
        except PermissionError:
            abort(403)
        except AdminError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("%(name)s saved.", name=user.name), "success")
            return redirect(url_for(".people"))
    return render_template("admin/person_form.html", form=form, person=user,
                           post_form=PostForm())


@bp.post("/people/<int:user_id>/<any(deactivate, reactivate):verb>")
@role_required(Role.ADMIN)
def person_activation(user_id, verb):
    user = _person_or_404(user_id)
    active = verb == "reactivate"
    return _confirmed(
        lambda: administration.set_user_active(current_user, user, active),
        _("%(name)s can sign in again.", name=user.name) if active
        else _("%(name)s can no longer sign in; what they did stays in history.", name=user.name),
        back=url_for(".person_edit", user_id=user.id))


@bp.post("/people/<int:user_id>/reset-link")
@role_required(Role.ADMIN)
def person_reset_link(user_id):
    user = _person_or_404(user_id)
    if not PostForm().validate_on_submit():
        return redirect(url_for(".person_edit", user_id=user.id))
    if not user.active:
        flash(_("Reactivate the account before sending it a link."), "error")
        return redirect(url_for(".person_edit", user_id=user.id))
    return deliver_reset_link(user, invitation=False,
                              back=url_for(".person_edit", user_id=user.id))


# -- Themes ----------------------------------------------------------------------------------


@bp.route("/themes")
@network_admin_required
def themes():
    rows = db.session.scalars(select(Theme).order_by(Theme.active.desc(), Theme.code))
    return render_template("admin/themes.html", themes=list(rows), post_form=PostForm())


@bp.route("/themes/new", methods=["GET", "POST"])
@network_admin_required
def theme_new():
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = administration.create_theme(
                current_user, code=form.code.data, name_fr=form.name_fr.data,
                name_en=form.name_en.data, description_fr=form.description_fr.data,
                description_en=form.description_en.data, keywords=form.keywords.data or "",
            )
        except AdminError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("Theme %(name)s created: new feedback is analysed with it from now on.",
                    name=theme.name(_locale())), "success")
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
            changed = administration.update_theme(
                current_user, theme, name_fr=form.name_fr.data, name_en=form.name_en.data,
                description_fr=form.description_fr.data, description_en=form.description_en.data,
                keywords=form.keywords.data or "",
            )
        except AdminError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("Theme saved: new feedback is analysed with it from now on."), "success")
            return redirect(url_for(".themes"))
    return render_template("admin/theme_form.html", form=form, theme=theme)


@bp.post("/themes/<int:theme_id>/<any(deactivate, reactivate):verb>")
@network_admin_required
def theme_activation(theme_id, verb):
    theme = db.get_or_404(Theme, theme_id)
    active = verb == "reactivate"
    return _confirmed(
        lambda: administration.set_theme_active(current_user, theme, active),
        _("Theme reactivated.") if active
        else _("Theme deactivated: new feedback no longer gets it; past tags stay."),
        back=url_for(".themes"))


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
                           settings=administration.effective_settings(current_app),
                           periods=periods, preview=preview, overrides=list(overrides),
                           retention_labels=RETENTION_LABELS)


# -- Audit trail -----------------------------------------------------------------------------


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
        return form, administration.find_audit_entries()
    establishment = form.establishment.data
    return form, administration.find_audit_entries(
        action=form.action.data or None, actor=form.actor.data or None,
        establishment_id=int(establishment) if establishment else None,
        network_only=establishment == "0", since=form.since.data, until=form.until.data,
    )


@bp.route("/audit")
@network_admin_required
def audit_trail():
    form, stmt = _audit_filters()
    page = db.paginate(stmt, page=page_number(), per_page=PER_PAGE,
                       error_out=False)
    codes = dict(db.session.execute(select(Establishment.id, Establishment.code)).all())
    return render_template("admin/audit.html", form=form, page=page, label=action_label,
                           codes=codes, details=_details_text,
                           export_args={k: v for k, v in request.args.items() if k != "page"})


def _details_text(details: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted((details or {}).items()))


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
    codes = dict(db.session.execute(select(Establishment.id, Establishment.code)).all())
    header = [_("Time (Québec)"), _("Who"), _("Action code"), _("Action"), _("Establishment"),
              _("Target"), _("Target id"), _("Details")]

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def line(cells: list) -> str:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([csv_safe(cell) for cell in cells])
            return buffer.getvalue()

        yield "\ufeff" + line(header)  # the BOM lets spreadsheets read the accents right
        for entry in db.session.scalars(stmt.execution_options(yield_per=500)):
            yield line([
                entry.at.astimezone(QUEBEC).strftime("%Y-%m-%d %H:%M:%S"), entry.actor_email,
                entry.action, action_label(entry.action), codes.get(entry.establishment_id, ""),
                entry.target_type, entry.target_id,
                json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True),
            ])

    filename = f"echo-audit-{local_today().isoformat()}.csv"
    return Response(stream_with_context(rows()), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


# -- Confidentiality-incident register -------------------------------------------------------


def _incident_form(incident: Incident | None = None) -> IncidentForm:
    form = IncidentForm(obj=incident)
    form.establishment.choices = [SelectChoice(0, _("The whole network"))] + [
        _establishment_choice(e)
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
    return _confirmed(lambda: privacy.delete_incident(current_user, incident),
                      _("Incident deleted from the register."), back=url_for(".incidents"))
