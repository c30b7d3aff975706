"""The administration's people pages (routes of the admin blueprint)."""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from feedback import admin
from feedback.access import get_scoped_or_404, role_required
from feedback.accounts import sso
from feedback.admin import AdminError
from feedback.admin import people as staff
from feedback.admin.blueprint import (
    PER_PAGE,
    bp,
    confirmed,
    establishment_choice,
    establishment_choices,
    form_error,
)
from feedback.admin.forms import (
    UserFilterForm,
    UserForm,
)
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.labels import ACCOUNT_ROLE_LABELS
from feedback.models import (
    Establishment,
    Role,
    User,
)
from feedback.web import deliver_reset_link, page_number


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, str(ACCOUNT_ROLE_LABELS[role.value]))
            for role in admin.assignable_roles(current_user)]


def _prepare_user_form(form: UserForm, person: User | None = None) -> None:
    """Offer the roles and establishments the admin may give; one's own stay as they are."""
    if person is not None and person.id == current_user.id:
        del form.role, form.establishment
        return
    form.role.choices = _role_choices()
    form.establishment.choices = establishment_choices(
        network_label=str(_l("Network-wide (every establishment)"))
    )
    current = person.establishment if person is not None else None
    if current is not None and not current.active:  # keep a deactivated one selectable
        form.establishment.choices.append(establishment_choice(current))


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
    page = db.paginate(staff.find_users(current_user, **filters), page=page_number(),
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
            user = staff.invite_user(
                current_user, email=form.email.data, name=form.name.data, role=role,
                establishment=establishment, locale=form.locale.data,
            )
        except PermissionError:
            abort(403)
        except AdminError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            return deliver_reset_link(user, invitation=True,
                                      back=url_for(".person_edit", user_id=user.id))
    return render_template("admin/person_form.html", form=form, person=None)


def _person_or_404(user_id: int) -> User:
    """A person the current admin may manage; anyone else is 404, as if not there."""
    user = get_scoped_or_404(User, user_id)
    try:
        admin.check_may_manage_user(current_user, user)
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
            changed = staff.update_user(
                current_user, user, name=form.name.data, email=form.email.data, role=role,
                establishment=establishment, locale=form.locale.data,
            )
        except PermissionError:
            abort(403)
        except AdminError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("%(name)s saved.", name=user.name), "success")
            return redirect(url_for(".people"))
    return render_template("admin/person_form.html", form=form, person=user,
                           post_form=PostForm(), identities=sso.external_identities(user))


@bp.post("/people/<int:user_id>/<any(deactivate, reactivate):verb>")
@role_required(Role.ADMIN)
def person_activation(user_id, verb):
    user = _person_or_404(user_id)
    active = verb == "reactivate"
    return confirmed(
        lambda: staff.set_user_active(current_user, user, active),
        _("%(name)s can sign in again.", name=user.name) if active
        else _("%(name)s can no longer sign in; what they did stays in history.", name=user.name),
        back=url_for(".person_edit", user_id=user.id))


@bp.post("/people/<int:user_id>/untie")
@role_required(Role.ADMIN)
def person_untie(user_id):
    """The person's account at the identity provider was replaced: match it by e-mail again."""
    user = _person_or_404(user_id)
    return confirmed(lambda: sso.untie(user, actor=current_user),
                     _("%(name)s's next sign-in through the organisation is matched by verified "
                       "e-mail again.", name=user.name),
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
