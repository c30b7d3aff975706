"""The command centre's blueprint (/issues) and the helpers its views share."""

from flask import Blueprint, abort, request
from flask_login import current_user
from sqlalchemy import select

from feedback.access import can_see, scoped
from feedback.extensions import db
from feedback.issues import PRIORITY_LABELS, STATUS_LABELS
from feedback.issues.forms import IssueFilterForm
from feedback.labels import ROLE_LABELS
from feedback.models import Establishment
from feedback.templating import duration_text, share_text
from feedback.web import MAX_ID

bp = Blueprint("issues", __name__, url_prefix="/issues")


@bp.context_processor
def helpers() -> dict:
    return {"status_labels": STATUS_LABELS, "priority_labels": PRIORITY_LABELS,
            "role_labels": ROLE_LABELS, "share": share_text, "duration": duration_text}


def visible_establishments() -> list[Establishment]:
    """The establishments the signed-in user may see, by name."""
    return list(db.session.scalars(
        scoped(select(Establishment), Establishment.id).order_by(Establishment.name)
    ))


def chosen_establishment(filters: IssueFilterForm,
                         establishments: list[Establishment]) -> Establishment | None:
    """Users of an establishment always see theirs; network-wide users may pick one or none."""
    if not current_user.network_wide:
        del filters.establishment
        return next((e for e in establishments if e.id == current_user.establishment_id), None)
    chosen = filters.value("establishment")
    return next((e for e in establishments if str(e.id) == chosen), None)


def establishment_from_args() -> Establishment | None:
    """The establishment named by `?establishment=`, if any (404 when the user may not see it)."""
    ident = request.args.get("establishment", "")
    if not ident.isdigit() or int(ident) > MAX_ID:
        return None
    establishment = db.session.get(Establishment, int(ident))
    if establishment is None or not can_see(establishment.id):
        abort(404)
    return establishment


def establishment_arg(establishment: Establishment) -> dict:
    """The query argument that keeps a network-wide user on the establishment they chose."""
    return {"establishment": establishment.id} if current_user.network_wide else {}
