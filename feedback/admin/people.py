"""People: inviting them, changing their role and establishment, deactivating, finding them."""

import secrets

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from feedback import audit
from feedback.accounts import AccountError, create_user, normalise_email
from feedback.admin import (
    AdminError,
    changed_fields,
    check_assignment,
    check_may_manage_user,
    field_list,
)
from feedback.extensions import db
from feedback.models import (
    Establishment,
    Role,
    User,
)


def invite_user(
    actor: User, *, email: str, name: str, role: Role, establishment: Establishment | None,
    locale: str = "fr",
) -> User:
    """Create an account with an unusable random password; the caller issues its first link."""
    check_assignment(actor, role, establishment)
    try:
        user = create_user(email=email, name=name, role=role,
                           password=secrets.token_urlsafe(32), establishment=establishment,
                           locale=locale)
    except AccountError as error:
        raise AdminError(str(error), "email") from error
    audit.record("user.created", actor=actor, establishment_id=user.establishment_id,
                 target=user, role=role.value)
    return user


def update_user(
    actor: User, user: User, *, name: str, email: str, role: Role,
    establishment: Establishment | None, locale: str,
) -> list[str]:
    """Change a person's details, role or establishment; each kind of change is audited."""
    check_may_manage_user(actor, user)
    check_assignment(actor, role, establishment)
    email = normalise_email(email)
    new_establishment_id = establishment.id if establishment else None
    if user.id == actor.id and (role != user.role
                                or new_establishment_id != user.establishment_id):
        raise AdminError(_("You cannot change your own role or establishment."))
    if email != user.email and db.session.scalar(
        select(User.id).where(User.email == email, User.id != user.id)
    ):
        raise AdminError(_("A user with this e-mail already exists."), "email")

    old_role, old_establishment_id = user.role, user.establishment_id
    changed = changed_fields(user, {"name": name.strip(), "email": email, "locale": locale})
    if changed:
        audit.record("user.updated", actor=actor, establishment_id=user.establishment_id,
                     target=user, fields=field_list(changed))
    if role != old_role:
        user.role = role
        audit.record("user.role_changed", actor=actor, establishment_id=user.establishment_id,
                     target=user, from_role=old_role.value, to_role=role.value)
        changed.append("role")
    if new_establishment_id != old_establishment_id:
        user.establishment = establishment
        audit.record("user.establishment_changed", actor=actor,
                     establishment_id=new_establishment_id, target=user,
                     from_establishment=old_establishment_id,
                     to_establishment=new_establishment_id)
        changed.append("establishment")
    return changed


def set_user_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (signed out at once, history kept) or reactivate an account."""
    check_may_manage_user(actor, user)
    if user.id == actor.id:
        raise AdminError(_("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    audit.record("user.reactivated" if active else "user.deactivated", actor=actor,
                 establishment_id=user.establishment_id, target=user)


def find_users(actor: User, *, search: str = "", role: Role | None = None,
               establishment_id: int | None = None, active: bool | None = None) -> Select:
    """The select statement for the people `actor` may see, filtered (paginated by the view)."""
    stmt = select(User).order_by(func.lower(User.name), User.id)
    if not actor.network_wide:
        stmt = stmt.where(User.establishment_id == actor.establishment_id)
    elif establishment_id == 0:
        stmt = stmt.where(User.establishment_id.is_(None))
    elif establishment_id is not None:
        stmt = stmt.where(User.establishment_id == establishment_id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(pattern),
                              func.lower(User.email).like(pattern)))
    if role is not None:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.active == active)
    return stmt
