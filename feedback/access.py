"""Who may see what: one role decorator and one establishment scope, used by every view."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, select

from feedback.extensions import db, login_manager
from feedback.models import Role

F = TypeVar("F", bound=Callable[..., Any])
S = TypeVar("S", bound=Select)


def role_required(role: Role) -> Callable[[F], F]:
    """Let through signed-in, active users holding `role` or a higher one; others get 403."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def scoped(stmt: S, establishment_column: ColumnElement[int]) -> S:
    """Limit a query to the current user's establishment (network-wide users see all)."""
    if current_user.network_wide:
        return stmt
    return stmt.where(establishment_column == current_user.establishment_id)


def can_see(establishment_id: int | None) -> bool:
    return current_user.network_wide or establishment_id == current_user.establishment_id


def feedback_or_404(ref: str) -> Any:
    """A feedback of the user's establishment, by its public reference; else 404."""
    from feedback.models import Feedback

    feedback = db.session.scalar(
        scoped(select(Feedback).where(Feedback.ref == ref), Feedback.establishment_id))
    if feedback is None:
        abort(404)
    return feedback


def get_scoped_or_404(model: type, ident: Any) -> Any:
    """Load one object of the user's establishment; anything else is 404, never 403."""
    obj = db.session.get(model, ident)
    if obj is None or not can_see(obj.establishment_id):
        abort(404)
    return obj
