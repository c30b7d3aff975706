"""The administration's blueprint and the helpers its pages share."""

import functools
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
)
from flask_babel import get_locale
from flask_login import current_user
from wtforms import SelectChoice

from feedback import admin
from feedback.access import can_see, role_required
from feedback.admin import AdminError
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.models import (
    Establishment,
    Role,
    Sector,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


PER_PAGE = 50


def network_admin_required(view: Callable) -> Callable:
    """Network settings: network-wide admins only; an establishment's admins get 403."""

    @functools.wraps(view)
    @role_required(Role.ADMIN)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.network_wide:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def locale_name() -> str:
    return str(get_locale())


def confirmed(action: Callable[[], object], done: str, *, back: str,
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


def form_error(form, error: AdminError) -> None:
    """Show a domain refusal next to its field, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def establishment_or_404(establishment_id: int) -> Establishment:
    establishment = db.session.get(Establishment, establishment_id)
    if establishment is None or not can_see(establishment.id):
        abort(404)
    return establishment


def sector_or_404(sector_id: int) -> Sector:
    sector = db.session.get(Sector, sector_id)
    if sector is None or not can_see(sector.site.establishment_id):
        abort(404)
    return sector


def establishment_choice(establishment: Establishment) -> SelectChoice:
    return SelectChoice(establishment.id, f"{establishment.name} ({establishment.code})")


def establishment_choices(*, network_label: str | None) -> list[SelectChoice]:
    """Active establishments the current admin may pick, with 0 for "none" when allowed."""
    if current_user.network_wide:
        choices = [establishment_choice(e) for e in admin.active_establishments()]
        return ([SelectChoice(0, network_label)] if network_label else []) + choices
    return [establishment_choice(current_user.establishment)]
